// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace halfscope {

/// Recipe that turns an image into a model input: resize, optional center
/// crop, scale to 0..1 (or 0..255), then (value - mean) / std per channel.
struct PreprocessPreset
{
    /// Resampling method of the resize step.
    enum class Interpolation {
        /// Pillow's BILINEAR, antialiased when shrinking: what torchvision's
        /// Resize does to PIL images.
        Bilinear,
        /// Pillow's BICUBIC, antialiased when shrinking.
        Bicubic,
        /// OpenCV's INTER_AREA when shrinking and INTER_LINEAR when enlarging.
        Area,
        /// Nearest neighbour, sampling at pixel centres (OpenCV's INTER_NEAREST_EXACT).
        Nearest,
    };

    /// Order of the three channels in the model input.
    enum class ChannelOrder { Rgb, Bgr };

    enum class ResizeMode {
        /// Resize straight to width x height, ignoring the aspect ratio.
        Squash,
        /// Resize so that the shorter side is shorterSide pixels, keeping the
        /// aspect ratio.
        ShorterSide,
    };

    QString name;
    ResizeMode resizeMode = ResizeMode::Squash;
    int width = 224;       ///< Target width in pixels (Squash).
    int height = 224;      ///< Target height in pixels (Squash).
    int shorterSide = 256; ///< Length of the shorter side in pixels (ShorterSide).
    int cropWidth = 0;     ///< Center crop width in pixels; 0 means no crop.
    int cropHeight = 0;    ///< Center crop height in pixels; 0 means no crop.
    Interpolation interpolation = Interpolation::Bilinear;
    ChannelOrder channelOrder = ChannelOrder::Rgb;
    /// Value of a full-intensity pixel after scaling: 1 (ToTensor's 0..1) or
    /// 255 (models trained on raw 8-bit values).
    float maxValue = 1.0f;
    /// Per channel, in channelOrder, on the scale that maxValue sets.
    std::array<float, 3> mean { 0.0f, 0.0f, 0.0f };
    /// Per channel, in channelOrder, on the scale that maxValue sets.
    std::array<float, 3> std { 1.0f, 1.0f, 1.0f };

    /// Returns the input's spatial size after resize and crop, in pixels.
    int outputWidth() const;
    int outputHeight() const;

    /// Returns a one-line description such as "resize to 224x224, bilinear, 0..1".
    QString describe() const;

    /// Returns the names used in JSON and on the command line: "bilinear",
    /// "bicubic", "area", "nearest".
    static QStringList interpolationNames();
    static QString interpolationName(Interpolation interpolation);
    /// Returns the interpolation with this name, if there is one.
    static std::optional<Interpolation> interpolationFromName(const QString &name);

    bool operator==(const PreprocessPreset &other) const;
    bool operator!=(const PreprocessPreset &other) const { return !(*this == other); }

    QJsonObject toJson() const;

    /// Parses the JSON that toJson() writes; throws Error naming the invalid
    /// field. source names the file or archive entry in the message.
    static PreprocessPreset fromJson(const QJsonObject &object, const QString &source);

    /// Reads a preset from a JSON file in the format toJson() writes; throws
    /// Error naming the file when it cannot be read or is invalid.
    static PreprocessPreset readFile(const QString &path);

    /// "squash224": resize to 224x224, scale to 0..1, no mean/std (Tiny Darknet).
    static PreprocessPreset squash224();
    /// "imagenet": shorter side 256, center crop 224x224, ImageNet mean/std.
    static PreprocessPreset imagenet();
    /// "inception": shorter side 342, center crop 299x299, ImageNet mean/std
    /// (torchvision's Inception v3 weights).
    static PreprocessPreset inception();

    /// Returns the names of the built-in presets.
    static QStringList builtinNames();
    /// Returns the built-in preset with this name, if there is one.
    static std::optional<PreprocessPreset> builtin(const QString &name);
};

} // namespace halfscope
