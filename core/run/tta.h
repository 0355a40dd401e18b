// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace halfscope {

/// One view of an image that test-time augmentation feeds to the model: a
/// transform of the preprocessed input that keeps its height and width.
struct TtaView
{
    enum class Crop { Full, Center, TopLeft, TopRight, BottomLeft, BottomRight };

    bool horizontalFlip = false;
    bool verticalFlip = false;
    int rotations = 0;       ///< Quarter turns counter-clockwise, as torch.rot90's k (0 to 3).
    Crop crop = Crop::Full;  ///< A kCropRatio crop, resized back to the input size.
    double scale = 1.0;      ///< Zoom at fixed size: above 1 crops the middle, below 1 pads with zeros.

    /// Returns a short name such as "identity", "hflip", "crop-tl+hflip", "scale0.9".
    QString name() const;
};

/// Side of each five-crop or ten-crop view relative to the input (224 of 256,
/// as in torchvision's usual Resize(256) + FiveCrop(224)).
constexpr double kCropRatio = 0.875;

/// Rule that merges the views of one image into one prediction. Merging
/// always runs in float32, whatever the model's precision.
enum class MergeMode {
    MeanProbabilities, ///< Mean of the views' softmax probabilities (default).
    MeanLogits,        ///< Softmax of the mean logits.
    GeometricMean,     ///< Geometric mean of the probabilities, renormalized.
    Max,               ///< Per-class maximum probability, renormalized.
    TSharpen,          ///< Mean of the square roots of the probabilities, renormalized.
};

QString mergeModeName(MergeMode mode);
QString mergeModeDescription(MergeMode mode);
/// Parses "mean", "mean-logits", "gmean", "max" or "tsharpen".
std::optional<MergeMode> parseMergeMode(const QString &text);

/// The views of every image and how they are merged.
struct TtaPlan
{
    QString spec = QStringLiteral("none"); ///< The text it was parsed from.
    std::vector<TtaView> views { TtaView() };
    MergeMode merge = MergeMode::MeanProbabilities;

    int viewCount() const { return int(views.size()); }
    QStringList viewNames() const;
    /// Returns a description such as "10 views (ten-crop); mean of probabilities".
    QString describe() const;

    /// Parses a comma-separated list of transforms whose views multiply:
    /// "none", "hflip", "vflip", "rot90" (quarter turns 0-3) or "rot90=1,2",
    /// "five-crop", "ten-crop" (five crops and their mirror images) and
    /// "scales=0.9,1.1" (the identity scale 1 is always included). For
    /// example "hflip,scales=0.9,1.1" gives 6 views. Throws Error naming the
    /// invalid part.
    static TtaPlan parse(const QString &spec, MergeMode merge = MergeMode::MeanProbabilities);
};

} // namespace halfscope
