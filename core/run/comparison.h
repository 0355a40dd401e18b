// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"
#include "model/model.h"
#include "precision/precision.h"
#include "run/latencystats.h"
#include "run/memoryformat.h"
#include "run/tta.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace halfscope {

/// Settings of one fp32-against-converted comparison.
struct ComparisonOptions
{
    PreprocessPreset preset = PreprocessPreset::squash224();
    TtaPlan tta;              ///< Views per image and how they merge; identity only by default.
    int batchSize = 8;        ///< Images per forward call, before TTA.
    int topK = 5;             ///< Classes kept per image and precision.
    int warmupIterations = 1; ///< Untimed forward calls per precision before timing.
    int timedIterations = 5;  ///< Timed forward calls per precision; 0 skips timing.
    QString device = QStringLiteral("cpu"); ///< "cpu" or "cuda".
    /// Layout of the input batches. A model that raises on channels-last
    /// inputs falls back to contiguous ones with a warning.
    MemoryFormat memoryFormat = MemoryFormat::ChannelsLast;
    QStringList classNames;   ///< Names of the output classes, in output order; may be empty.
};

/// The classes a model ranked highest for one image.
struct Prediction
{
    std::vector<int> classes;         ///< Class indices, most probable first.
    std::vector<float> probabilities; ///< Probabilities after TTA merging, same order.

    int top1() const { return classes.empty() ? -1 : classes.front(); }
    float top1Probability() const { return probabilities.empty() ? 0.0f : probabilities.front(); }
};

/// Score a model gave an image's true class.
struct TargetScore
{
    float probability = 0.0f; ///< Merged probability of the true class.
    int rank = -1;            ///< 0 when it is the top-1 class; -1 without ground truth.
};

/// One image compared in both precisions.
struct ImageComparison
{
    QString path;
    QString error;                  ///< Why the image could not be compared; empty on success.
    Prediction reference;           ///< fp32 model.
    Prediction converted;           ///< Converted (fp16 or bf16) model.
    bool top1Agrees = false;
    /// Largest |fp32 logit - converted logit| over all classes and TTA views,
    /// both logits taken in float32.
    float maxLogitDelta = 0.0f;
    /// Largest |fp32 probability - converted probability| over all classes,
    /// after TTA merging.
    float maxProbabilityDelta = 0.0f;
    /// |fp32 probability - converted probability| for every class, after merging.
    std::vector<float> probabilityDeltas;
    /// Probability of every class after TTA merging, in output order: fp32
    /// model and converted model, both computed in float32.
    std::vector<float> referenceProbabilities;
    std::vector<float> convertedProbabilities;
    /// Largest |fp32 probability - converted probability| of each TTA view
    /// before merging, in the order of TtaPlan::views.
    std::vector<float> viewProbabilityDeltas;
    /// True when either model produced NaN or infinite logits for this image
    /// (for example fp16 overflow past 65504). The drift values are then NaN
    /// and top1Agrees is false.
    bool nonFinite = false;
    int targetClass = -1;           ///< Ground-truth class, or -1.
    TargetScore referenceTarget;
    TargetScore convertedTarget;

    bool ok() const { return error.isEmpty(); }
    /// Returns true when both models ran on the image (false for failed
    /// images and for images a cancelled run did not reach).
    bool compared() const { return ok() && !reference.classes.empty(); }
};

/// Everything one comparison produced. A cancelled run keeps the images it finished.
struct ComparisonResult
{
    QString modelPath;
    Precision precision = Precision::Float16; ///< Precision of the converted model.
    ComparisonOptions options;
    std::vector<ImageComparison> images;
    LatencyStats referenceLatency; ///< fp32 model.
    LatencyStats convertedLatency; ///< Converted model.
    QString timingError;           ///< Why timing failed; empty when it ran or was skipped.
    QStringList warnings;          ///< Problems that did not stop the run (unlabelled images, ...).
    int intraOpThreads = 0;        ///< LibTorch's intra-op thread count during the run.
    /// Layout the inputs had at the end of the run: options.memoryFormat,
    /// or contiguous after a fallback (see warnings).
    MemoryFormat memoryFormat = MemoryFormat::ChannelsLast;
    bool cancelled = false;

    int comparedCount() const;     ///< Images compared successfully.
    int failedCount() const;       ///< Images that could not be compared.
    int agreementCount() const;    ///< Images whose top-1 class agrees.
    int nonFiniteCount() const;    ///< Compared images with NaN or infinite outputs.
    /// Largest drift over the compared images; NaN when any of them is non-finite.
    float maxLogitDelta() const;
    float maxProbabilityDelta() const;
    int outputClasses = 0;         ///< Width of the models' output, known after the first batch.
    double referenceTotalMs = 0.0; ///< fp32 forward calls of the comparison, summed.
    double convertedTotalMs = 0.0; ///< Converted model's forward calls, summed.
    /// Reading and decoding the image files, summed over images. Decoding
    /// runs on a prefetch thread while the models run, so it overlaps the
    /// forward calls and is not part of their sum.
    double decodeTotalMs = 0.0;
    double preprocessTotalMs = 0.0; ///< Resizing, cropping and normalizing, summed over images.
    /// Wall time of the comparison over all images, from the first decode to
    /// the last result: decoding, preprocessing and both models' forward
    /// calls. The timing phase afterwards is not included.
    double wallMs = 0.0;
    /// Returns compared images per second of wallMs (both precisions per
    /// image), or 0 before any image was compared.
    double endToEndImagesPerSecond() const;
    /// Returns compared images per second of the forward calls alone
    /// (referenceTotalMs + convertedTotalMs), or 0 before any image was compared.
    double modelOnlyImagesPerSecond() const;
    qint64 referenceParameterBytes = 0; ///< Parameters and buffers of the fp32 model.
    qint64 convertedParameterBytes = 0; ///< Parameters and buffers of the converted model.
    /// Process peak resident set size in bytes at the end of the run
    /// (VmHWM: the largest since the process started); -1 when unknown.
    qint64 peakResidentBytes = -1;
    /// Returns the class name for an index, or "class N" when no names are known.
    QString className(int index) const;
};

/// Hooks a caller passes to a long run. Both may be empty.
struct RunCallbacks
{
    /// Called after each batch with images processed so far and the total.
    std::function<void(int processed, int total)> progress;
    /// Polled between batches and timing iterations; true stops the run.
    std::function<bool()> isCancelled;
};

/// Returns true when this LibTorch build and machine can run on CUDA.
bool cudaAvailable();

/// Runs every image through the fp32 reference and the converted model and
/// compares the outputs, then times both models on the first batch with the
/// most images (the first full batch when there is one). targetClasses, when
/// not empty, gives each image's ground-truth class (-1 for none) for
/// evaluate().
///
/// Images that cannot be read or decoded, and batches whose forward call
/// fails, are reported in ImageComparison::error; the other images are still
/// compared. Throws Error only for problems that affect every image: a null
/// model, invalid options, an unavailable device.
ComparisonResult compareModels(const Model &reference, const Model &converted,
                               const QStringList &imagePaths, const ComparisonOptions &options,
                               const RunCallbacks &callbacks = {},
                               const std::vector<int> &targetClasses = {});

} // namespace halfscope
