// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/comparison.h"

#include "common/error.h"
#include "common/logging.h"
#include "imaging/imagedecoder.h"
#include "imaging/preprocessor.h"
#include "model/modeldata.h"
#include "run/augmentation.h"
#include "run/inference.h"
#include "run/memoryusage.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <future>
#include <cmath>
#include <limits>

namespace halfscope {

namespace {

/// The decoded and preprocessed images of one batch.
struct PreparedBatch
{
    std::vector<size_t> resultIndices; ///< Where each row's result goes in ComparisonResult::images.
    std::vector<torch::Tensor> inputs; ///< [3, H, W] float32 each.
    std::vector<std::pair<size_t, QString>> errors; ///< Images that failed, by result index.
    double decodeMs = 0.0;     ///< Reading and decoding the files, summed.
    double preprocessMs = 0.0; ///< preprocessImage() calls, summed.
};

double millisecondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// Runs forward() and returns float32 logits shaped [N, C] on the CPU.
torch::Tensor forwardLogits(RunnableModel &model, const torch::Tensor &input)
{
    const torch::IValue output = forwardWithFallback(model, input);
    torch::Tensor logits;
    if (output.isTensor()) {
        logits = output.toTensor();
    } else if (output.isTuple() && !output.toTupleRef().elements().empty()
               && output.toTupleRef().elements()[0].isTensor()) {
        logits = output.toTupleRef().elements()[0].toTensor();
    } else {
        throw Error(QStringLiteral("The model's forward() returned %1, not a tensor of class "
                                   "scores. HalfScope compares classifiers whose output is "
                                   "shaped [batch, classes].")
                        .arg(QString::fromStdString(output.tagKind())));
    }
    if (logits.dim() == 4 && logits.size(2) == 1 && logits.size(3) == 1)
        logits = logits.flatten(1);
    if (logits.dim() != 2 || logits.size(0) != input.size(0)) {
        throw Error(QStringLiteral("The model's output has shape %1 for a batch of %2 inputs; "
                                   "HalfScope compares classifiers whose output is shaped "
                                   "[batch, classes].")
                        .arg(QString::fromStdString(c10::str(logits.sizes())))
                        .arg(input.size(0)));
    }
    return logits.to(torch::kCPU, torch::kFloat32);
}

/// Decodes and preprocesses images [begin, end) of paths. Touches no shared
/// state, so it can run on a prefetch thread while the models run.
PreparedBatch prepareBatch(const QStringList &paths, size_t begin, size_t end,
                           const PreprocessPreset &preset)
{
    PreparedBatch batch;
    for (size_t index = begin; index < end; ++index) {
        const QString &path = paths.at(qsizetype(index));
        try {
            const auto decodeStart = std::chrono::steady_clock::now();
            const cv::Mat rgb = decodeImageFile(path);
            batch.decodeMs += millisecondsSince(decodeStart);
            const auto preprocessStart = std::chrono::steady_clock::now();
            batch.inputs.push_back(preprocessImage(rgb, preset));
            batch.preprocessMs += millisecondsSince(preprocessStart);
            batch.resultIndices.push_back(index);
        } catch (const Error &error) {
            batch.errors.emplace_back(index, error.message());
            qCDebug(lcRun) << error.message() << error.detail();
        } catch (const std::exception &error) {
            batch.errors.emplace_back(index, QStringLiteral("Cannot prepare %1: %2.").arg(path, firstLineOf(error.what())));
            qCDebug(lcRun) << batch.errors.back().second;
        }
    }
    return batch;
}

Prediction topClasses(const torch::Tensor &probabilities, int k)
{
    Prediction prediction;
    const auto top = probabilities.topk(std::min<int64_t>(k, probabilities.size(0)));
    const torch::Tensor values = std::get<0>(top).contiguous();
    const torch::Tensor indices = std::get<1>(top).contiguous();
    for (int64_t i = 0; i < values.size(0); ++i) {
        prediction.probabilities.push_back(values[i].item<float>());
        prediction.classes.push_back(int(indices[i].item<int64_t>()));
    }
    return prediction;
}

/// Returns the probability of class target and how many classes rank above it.
TargetScore scoreOf(const torch::Tensor &probabilities, int target)
{
    TargetScore score;
    const torch::Tensor value = probabilities[target];
    score.probability = value.item<float>();
    score.rank = int(probabilities.gt(value).sum().item<int64_t>());
    return score;
}

void storeImageResult(ImageComparison &image, const torch::Tensor &referenceLogits,
                      const torch::Tensor &convertedLogits, const torch::Tensor &referenceProbs,
                      const torch::Tensor &convertedProbs, int topK)
{
    image.reference = topClasses(referenceProbs, topK);
    image.converted = topClasses(convertedProbs, topK);
    image.nonFinite = !torch::isfinite(referenceLogits).all().item<bool>()
        || !torch::isfinite(convertedLogits).all().item<bool>();
    image.top1Agrees = !image.nonFinite && image.reference.top1() == image.converted.top1();

    const torch::Tensor deltas = (referenceProbs - convertedProbs).abs().contiguous();
    constexpr float notANumber = std::numeric_limits<float>::quiet_NaN();
    image.maxLogitDelta = image.nonFinite ? notANumber
                                          : (referenceLogits - convertedLogits).abs().max().item<float>();
    image.maxProbabilityDelta = image.nonFinite ? notANumber : deltas.max().item<float>();
    if (image.targetClass >= 0 && image.targetClass < referenceProbs.size(0)) {
        image.referenceTarget = scoreOf(referenceProbs, image.targetClass);
        image.convertedTarget = scoreOf(convertedProbs, image.targetClass);
    }
    image.probabilityDeltas.assign(deltas.data_ptr<float>(),
                                   deltas.data_ptr<float>() + deltas.numel());
    const torch::Tensor referenceAll = referenceProbs.contiguous();
    const torch::Tensor convertedAll = convertedProbs.contiguous();
    image.referenceProbabilities.assign(referenceAll.data_ptr<float>(),
                                        referenceAll.data_ptr<float>() + referenceAll.numel());
    image.convertedProbabilities.assign(convertedAll.data_ptr<float>(),
                                        convertedAll.data_ptr<float>() + convertedAll.numel());
}

void compareBatch(ComparisonResult &result, const PreparedBatch &batch, const torch::Tensor &views,
                  RunnableModel &reference, RunnableModel &converted)
{
    const int viewsPerImage = result.options.tta.viewCount();
    auto timed = [](RunnableModel &model, const torch::Tensor &input, double &totalMs) {
        synchronize(model.device);
        const auto start = std::chrono::steady_clock::now();
        torch::Tensor logits = forwardLogits(model, input);
        totalMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        return logits;
    };
    const torch::Tensor referenceLogits = timed(reference, views, result.referenceTotalMs);
    const torch::Tensor convertedLogits = timed(converted, views, result.convertedTotalMs);
    result.outputClasses = int(referenceLogits.size(1));
    const MergeMode merge = result.options.tta.merge;
    const torch::Tensor referenceProbs = mergeViews(referenceLogits, viewsPerImage, merge);
    const torch::Tensor convertedProbs = mergeViews(convertedLogits, viewsPerImage, merge);
    // Drift of each view before merging: [N, V].
    const torch::Tensor viewDeltas = (viewProbabilities(referenceLogits) - viewProbabilities(convertedLogits))
                                         .abs()
                                         .amax(/*dim=*/1)
                                         .view({ -1, viewsPerImage })
                                         .contiguous();

    for (size_t row = 0; row < batch.resultIndices.size(); ++row) {
        const int64_t first = int64_t(row) * viewsPerImage;
        storeImageResult(result.images[batch.resultIndices[row]],
                         referenceLogits.slice(0, first, first + viewsPerImage),
                         convertedLogits.slice(0, first, first + viewsPerImage),
                         referenceProbs[int64_t(row)], convertedProbs[int64_t(row)],
                         result.options.topK);
        const torch::Tensor rowDeltas = viewDeltas[int64_t(row)];
        result.images[batch.resultIndices[row]].viewProbabilityDeltas.assign(
            rowDeltas.data_ptr<float>(), rowDeltas.data_ptr<float>() + viewsPerImage);
    }
}

/// Times both models on one batch. Timed iterations alternate between the
/// models so that drift in the machine's speed affects both alike.
void measureLatency(ComparisonResult &result, const torch::Tensor &views, int images,
                    RunnableModel &reference, RunnableModel &converted,
                    const RunCallbacks &callbacks)
{
    const ComparisonOptions &options = result.options;
    const torch::Tensor referenceInput = prepareInput(reference, views);
    const torch::Tensor convertedInput = prepareInput(converted, views);
    for (int i = 0; i < options.warmupIterations; ++i) {
        timeForward(reference, referenceInput);
        timeForward(converted, convertedInput);
    }

    std::vector<double> referenceMs;
    std::vector<double> convertedMs;
    for (int i = 0; i < options.timedIterations; ++i) {
        if (callbacks.isCancelled && callbacks.isCancelled()) {
            result.cancelled = true;
            return;
        }
        referenceMs.push_back(timeForward(reference, referenceInput));
        convertedMs.push_back(timeForward(converted, convertedInput));
    }

    for (auto [stats, samples] : { std::pair { &result.referenceLatency, &referenceMs },
                                   std::pair { &result.convertedLatency, &convertedMs } }) {
        *stats = summarizeLatency(*samples);
        stats->batchImages = images;
        stats->batchViews = int(views.size(0));
        stats->warmupIterations = options.warmupIterations;
    }
}

void validateOptions(const ComparisonOptions &options)
{
    if (options.batchSize < 1) {
        throw Error(QStringLiteral("Invalid batch size %1: use 1 or more images per batch.")
                        .arg(options.batchSize));
    }
    if (options.topK < 1)
        throw Error(QStringLiteral("Invalid top-k %1: use 1 or more.").arg(options.topK));
    if (options.warmupIterations < 0 || options.timedIterations < 0) {
        throw Error(QStringLiteral("Invalid timing settings: warm-up (%1) and timed iterations "
                                   "(%2) cannot be negative.")
                        .arg(options.warmupIterations)
                        .arg(options.timedIterations));
    }
}

/// Adds one warning when either model fell back to contiguous inputs.
void addMemoryFormatWarning(QStringList &warnings, const RunnableModel &reference,
                            const RunnableModel &converted)
{
    QString warning = memoryFormatFallbackWarning(reference);
    if (warning.isEmpty())
        warning = memoryFormatFallbackWarning(converted);
    if (!warning.isEmpty())
        warnings << warning;
}

void failBatch(ComparisonResult &result, const PreparedBatch &batch, const QString &message)
{
    for (size_t index : batch.resultIndices)
        result.images[index].error = message;
}

} // namespace

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

int ComparisonResult::comparedCount() const
{
    return int(std::count_if(images.begin(), images.end(),
                             [](const ImageComparison &image) { return image.compared(); }));
}

int ComparisonResult::failedCount() const
{
    return int(std::count_if(images.begin(), images.end(),
                             [](const ImageComparison &image) { return !image.ok(); }));
}

int ComparisonResult::agreementCount() const
{
    return int(std::count_if(images.begin(), images.end(), [](const ImageComparison &image) {
        return image.compared() && image.top1Agrees;
    }));
}

int ComparisonResult::nonFiniteCount() const
{
    return int(std::count_if(images.begin(), images.end(), [](const ImageComparison &image) {
        return image.compared() && image.nonFinite;
    }));
}

namespace {

/// Returns the largest value of field over compared images; NaN wins, so a
/// non-finite output is never hidden by finite ones.
float maxOverImages(const std::vector<ImageComparison> &images, float ImageComparison::*field)
{
    float maximum = 0.0f;
    for (const ImageComparison &image : images) {
        if (!image.compared())
            continue;
        const float value = image.*field;
        if (std::isnan(value))
            return value;
        maximum = std::max(maximum, value);
    }
    return maximum;
}

} // namespace

float ComparisonResult::maxLogitDelta() const
{
    return maxOverImages(images, &ImageComparison::maxLogitDelta);
}

float ComparisonResult::maxProbabilityDelta() const
{
    return maxOverImages(images, &ImageComparison::maxProbabilityDelta);
}

double ComparisonResult::endToEndImagesPerSecond() const
{
    return wallMs > 0.0 ? comparedCount() * 1000.0 / wallMs : 0.0;
}

double ComparisonResult::modelOnlyImagesPerSecond() const
{
    const double modelMs = referenceTotalMs + convertedTotalMs;
    return modelMs > 0.0 ? comparedCount() * 1000.0 / modelMs : 0.0;
}

QString ComparisonResult::className(int index) const
{
    if (index >= 0 && index < options.classNames.size())
        return options.classNames.at(index);
    return QStringLiteral("class %1").arg(index);
}

ComparisonResult compareModels(const Model &reference, const Model &converted,
                               const QStringList &imagePaths, const ComparisonOptions &options,
                               const RunCallbacks &callbacks, const std::vector<int> &targetClasses)
{
    if (reference.isNull() || converted.isNull())
        throw Error(QStringLiteral("Open a model and convert it before comparing."));
    validateOptions(options);

    c10::InferenceMode inferenceMode;
    const torch::Device device = resolveDevice(options.device);
    RunnableModel referenceModel = placeOnDevice(reference, device, options.memoryFormat);
    RunnableModel convertedModel = placeOnDevice(converted, device, options.memoryFormat);

    ComparisonResult result;
    result.modelPath = reference.path();
    result.precision = converted.precision();
    result.options = options;
    result.intraOpThreads = at::get_num_threads();
    for (const TensorInfo &tensor : reference.tensors())
        result.referenceParameterBytes += tensor.bytes;
    for (const TensorInfo &tensor : converted.tensors())
        result.convertedParameterBytes += tensor.bytes;
    if (!targetClasses.empty() && targetClasses.size() != size_t(imagePaths.size())) {
        throw Error(QStringLiteral("Internal error: %1 ground-truth classes for %2 images.")
                        .arg(targetClasses.size())
                        .arg(imagePaths.size()));
    }
    for (qsizetype i = 0; i < imagePaths.size(); ++i) {
        ImageComparison image;
        image.path = imagePaths.at(i);
        image.targetClass = targetClasses.empty() ? -1 : targetClasses[size_t(i)];
        result.images.push_back(std::move(image));
    }

    torch::Tensor timingViews;
    int timingImages = 0;
    const size_t total = result.images.size();
    const size_t batchSize = size_t(options.batchSize);
    // The next batch is decoded on a prefetch thread while the models run.
    auto prefetch = [&imagePaths, &options, total, batchSize](size_t begin) {
        return std::async(std::launch::async, [&imagePaths, &options, total, batchSize, begin] {
            return prepareBatch(imagePaths, begin, std::min(total, begin + batchSize), options.preset);
        });
    };
    std::future<PreparedBatch> next;
    const auto loopStart = std::chrono::steady_clock::now();
    if (total > 0)
        next = prefetch(0);
    for (size_t begin = 0; begin < total; begin += batchSize) {
        const PreparedBatch batch = next.get();
        if (callbacks.isCancelled && callbacks.isCancelled()) {
            result.cancelled = true;
            break;
        }
        const size_t end = std::min(total, begin + batchSize);
        if (end < total)
            next = prefetch(end);
        for (const auto &[index, message] : batch.errors)
            result.images[index].error = message;
        result.decodeTotalMs += batch.decodeMs;
        result.preprocessTotalMs += batch.preprocessMs;
        if (!batch.inputs.empty()) {
            const torch::Tensor views = expandViews(torch::stack(batch.inputs), options.tta);
            try {
                compareBatch(result, batch, views, referenceModel, convertedModel);
                if (int(batch.inputs.size()) > timingImages) {
                    timingViews = views;
                    timingImages = int(batch.inputs.size());
                }
            } catch (const Error &error) {
                failBatch(result, batch, error.message());
            } catch (const c10::Error &error) {
                qCDebug(lcRun) << "forward failed:" << error.what_without_backtrace();
                failBatch(result, batch,
                          QStringLiteral("Inference failed on this image's batch: %1.")
                              .arg(firstLineOf(error.what_without_backtrace())));
            } catch (const std::exception &error) {
                // The TorchScript interpreter reports a raise in forward() as
                // torch::jit::JITException, a std::runtime_error.
                qCDebug(lcRun) << "forward failed:" << error.what();
                failBatch(result, batch,
                          QStringLiteral("Inference failed on this image's batch: %1.")
                              .arg(firstLineOf(error.what())));
            }
        }
        if (callbacks.progress)
            callbacks.progress(int(end), int(total));
    }

    result.wallMs = millisecondsSince(loopStart);
    addMemoryFormatWarning(result.warnings, referenceModel, convertedModel);
    result.memoryFormat = convertedModel.memoryFormat;

    if (!result.cancelled && timingImages > 0 && options.timedIterations > 0) {
        try {
            measureLatency(result, timingViews, timingImages, referenceModel, convertedModel,
                           callbacks);
        } catch (const std::exception &error) {
            result.timingError = QStringLiteral("Timing failed: %1.").arg(firstLineOf(error.what()));
            qCWarning(lcRun) << result.timingError;
        }
    }
    result.peakResidentBytes = peakResidentBytes();
    qCInfo(lcRun) << "compared" << result.comparedCount() << "of" << total << "images in"
                  << precisionName(result.precision);
    return result;
}

} // namespace halfscope
