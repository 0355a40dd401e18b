// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/benchmark.h"

#include "common/error.h"
#include "common/logging.h"
#include "imaging/imagedecoder.h"
#include "imaging/preprocessor.h"
#include "run/cpufeatures.h"
#include "run/inference.h"
#include "run/memoryusage.h"
#include "run/threading.h"

// NOTE: the HALFSCOPE_WITH_CUDA branches follow the LibTorch 2.13 headers
// but have only been compiled against CPU builds, where they are disabled.
#ifdef HALFSCOPE_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <chrono>

namespace halfscope {

namespace {

/// Largest batch size the sweep and the main timing accept.
constexpr int kMaxBatchSize = 4096;

/// The fixed input of a benchmark.
struct BenchmarkInput
{
    torch::Tensor batch; ///< [maxBatch, 3, H, W] float32 on the CPU.
    std::vector<double> decodeMs;
    std::vector<double> preprocessMs;
};

double millisecondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void validate(const BenchmarkOptions &options)
{
    if (options.batchSize < 1 || options.batchSize > kMaxBatchSize) {
        throw Error(QStringLiteral("Invalid batch size %1: use 1 to %2 inputs per batch.")
                        .arg(options.batchSize)
                        .arg(kMaxBatchSize));
    }
    if (options.timedIterations < 2) {
        throw Error(QStringLiteral("Invalid number of timed iterations %1: use 2 or more, so that "
                                   "a median and a spread exist.")
                        .arg(options.timedIterations));
    }
    if (options.warmupIterations < 0 || options.warmupSeconds < 0.0) {
        throw Error(QStringLiteral("Invalid warm-up: %1 iterations or %2 seconds; neither may be "
                                   "negative.")
                        .arg(options.warmupIterations)
                        .arg(options.warmupSeconds));
    }
    if (options.intraOpThreads < 0)
        throw Error(QStringLiteral("Invalid thread count %1: use 1 or more, or 0 for the "
                                   "current count.").arg(options.intraOpThreads));
    for (int size : options.sweepBatchSizes) {
        if (size < 1 || size > kMaxBatchSize) {
            throw Error(QStringLiteral("Invalid sweep batch size %1: use 1 to %2.")
                            .arg(size)
                            .arg(kMaxBatchSize));
        }
    }
    if (options.blockSize < 1) {
        throw Error(QStringLiteral("Invalid block size %1: use 1 or more consecutive calls per "
                                   "model.")
                        .arg(options.blockSize));
    }
    if (!options.sweepBatchSizes.empty() && options.sweepIterations < 1) {
        throw Error(QStringLiteral("Invalid number of sweep iterations %1: use 1 or more.")
                        .arg(options.sweepIterations));
    }
}

BenchmarkInput prepareInput(const BenchmarkOptions &options, int rows)
{
    BenchmarkInput input;
    const int width = options.preset.outputWidth();
    const int height = options.preset.outputHeight();
    if (options.imagePaths.isEmpty()) {
        // A private generator keeps the global seed of the process untouched.
        auto generator = at::make_generator<at::CPUGeneratorImpl>(20261204);
        input.batch = torch::rand({ rows, 3, height, width }, generator, torch::kFloat32);
        return input;
    }

    std::vector<torch::Tensor> images;
    for (const QString &path : options.imagePaths) {
        const auto decodeStart = std::chrono::steady_clock::now();
        const cv::Mat rgb = decodeImageFile(path);
        input.decodeMs.push_back(millisecondsSince(decodeStart));
        const auto preprocessStart = std::chrono::steady_clock::now();
        images.push_back(preprocessImage(rgb, options.preset));
        input.preprocessMs.push_back(millisecondsSince(preprocessStart));
    }
    std::vector<torch::Tensor> rowsOfBatch;
    for (int row = 0; row < rows; ++row)
        rowsOfBatch.push_back(images[size_t(row) % images.size()]);
    input.batch = torch::stack(rowsOfBatch).contiguous();
    return input;
}

qint64 parameterBytesOf(const Model &model)
{
    qint64 bytes = 0;
    for (const TensorInfo &tensor : model.tensors())
        bytes += tensor.bytes;
    return bytes;
}

void resetCudaPeak(const torch::Device &device)
{
#ifdef HALFSCOPE_WITH_CUDA
    if (device.is_cuda())
        c10::cuda::CUDACachingAllocator::resetPeakStats(device.index());
#else
    Q_UNUSED(device);
#endif
}

qint64 cudaPeakBytes(const torch::Device &device)
{
#ifdef HALFSCOPE_WITH_CUDA
    if (device.is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
        return stats.allocated_bytes[size_t(c10::CachingAllocator::StatType::AGGREGATE)].peak;
    }
#else
    Q_UNUSED(device);
#endif
    return -1;
}

/// Measures the peak memory of one forward call of model into measured.
/// The call may switch the model to contiguous inputs (see
/// forwardWithFallback()), so it runs before the timed inputs are laid out.
void measureMemory(RunnableModel &model, const torch::Tensor &batch, PrecisionBenchmark &measured,
                   QStringList &warnings)
{
    const bool reset = resetPeakResidentBytes();
    resetCudaPeak(model.device);
    forwardWithFallback(model, batch);
    synchronize(model.device);
    measured.peakResidentBytes = peakResidentBytes();
    measured.cudaPeakBytes = cudaPeakBytes(model.device);
    if (!reset && measured.peakResidentBytes >= 0) {
        warnings << QStringLiteral("The peak resident memory of %1 covers the whole process, "
                                   "because /proc/self/clear_refs could not be written.")
                        .arg(precisionName(measured.precision));
    }
}

/// Runs the warm-up calls and returns how many each model made, including
/// the one that measured memory.
int warmUp(const BenchmarkOptions &options, RunnableModel &reference, const torch::Tensor &referenceInput,
           RunnableModel &converted, const torch::Tensor &convertedInput)
{
    int calls = 1;
    if (options.warmupSeconds > 0.0) {
        const auto start = std::chrono::steady_clock::now();
        while (millisecondsSince(start) < options.warmupSeconds * 1000.0) {
            timeForward(reference, referenceInput);
            timeForward(converted, convertedInput);
            ++calls;
        }
        return calls;
    }
    for (; calls < options.warmupIterations; ++calls) {
        timeForward(reference, referenceInput);
        timeForward(converted, convertedInput);
    }
    return calls;
}

/// Timed iterations done so far over the main timing and the sweep, passed
/// to RunCallbacks::progress after each one.
struct IterationProgress
{
    const RunCallbacks &callbacks;
    int total = 0;
    int done = 0;

    bool isCancelled() const { return callbacks.isCancelled && callbacks.isCancelled(); }
    void advance()
    {
        ++done;
        if (callbacks.progress)
            callbacks.progress(done, total);
    }
};

/// Times both models alternately; returns false when cancelled.
bool timeAlternating(int iterations, int blockSize, RunnableModel &reference,
                     const torch::Tensor &referenceInput, RunnableModel &converted,
                     const torch::Tensor &convertedInput, std::vector<double> &referenceMs,
                     std::vector<double> &convertedMs, IterationProgress &progress)
{
    for (int done = 0; done < iterations; done += blockSize) {
        // Cancelling only between blocks keeps the two sample lists paired.
        if (progress.isCancelled())
            return false;
        const int calls = std::min(blockSize, iterations - done);
        for (int i = 0; i < calls; ++i)
            referenceMs.push_back(timeForward(reference, referenceInput));
        for (int i = 0; i < calls; ++i) {
            convertedMs.push_back(timeForward(converted, convertedInput));
            progress.advance();
        }
    }
    return true;
}

LatencyStats summarizeBatch(const std::vector<double> &samples, int batchSize, int warmup)
{
    LatencyStats stats = summarizeLatency(samples);
    stats.batchImages = batchSize;
    stats.batchViews = batchSize;
    stats.warmupIterations = warmup;
    return stats;
}

/// Runs the batch-size sweep; returns false when cancelled.
bool sweepBatchSizes(BenchmarkResult &result, const BenchmarkOptions &options,
                     const torch::Tensor &batch, RunnableModel &reference, RunnableModel &converted,
                     IterationProgress &progress)
{
    for (int size : options.sweepBatchSizes) {
        const torch::Tensor rows = batch.slice(0, 0, size);
        const torch::Tensor referenceInput = prepareInput(reference, rows);
        const torch::Tensor convertedInput = prepareInput(converted, rows);
        // TorchScript's profiling executor may profile and specialize its
        // graph again on the first calls with a new input shape.
        for (int call = 0; call < 2; ++call) {
            timeForward(reference, referenceInput);
            timeForward(converted, convertedInput);
        }
        std::vector<double> referenceMs;
        std::vector<double> convertedMs;
        if (!timeAlternating(options.sweepIterations, options.blockSize, reference, referenceInput,
                             converted, convertedInput, referenceMs, convertedMs, progress)) {
            return false;
        }
        BatchSweepPoint point;
        point.batchSize = size;
        point.referenceMedianMs = quantile(referenceMs, 0.5);
        point.convertedMedianMs = quantile(convertedMs, 0.5);
        point.referenceImagesPerSecond = size * 1000.0 / point.referenceMedianMs;
        point.convertedImagesPerSecond = size * 1000.0 / point.convertedMedianMs;
        point.iterations = options.sweepIterations;
        result.sweep.push_back(point);
    }
    return true;
}

void addSpreadWarnings(BenchmarkResult &result)
{
    for (const PrecisionBenchmark *measured : { &result.reference, &result.converted }) {
        const LatencyStats &stats = measured->latency;
        if (!stats.isSpreadTooWide())
            continue;
        result.warnings << QStringLiteral("The %1 timings spread widely (interquartile range %2% "
                                          "of the median), so the comparison is uncertain; close "
                                          "other programs or raise the number of iterations.")
                               .arg(precisionName(measured->precision))
                               .arg(100.0 * stats.interquartileRangeMs / stats.medianMs, 0, 'f', 0);
    }
}

void runTimings(BenchmarkResult &result, const BenchmarkOptions &options, const BenchmarkInput &input,
                RunnableModel &reference, RunnableModel &converted, const RunCallbacks &callbacks)
{
    const torch::Tensor batch = input.batch.slice(0, 0, options.batchSize);

    // The first call of each model counts as warm-up and measures its memory,
    // so there is always at least one untimed call.
    measureMemory(reference, batch, result.reference, result.warnings);
    measureMemory(converted, batch, result.converted, result.warnings);
    for (const RunnableModel *model : { &reference, &converted }) {
        const QString warning = memoryFormatFallbackWarning(*model);
        if (!warning.isEmpty()) {
            result.warnings << warning;
            break;
        }
    }
    result.memoryFormat = converted.memoryFormat;
    const torch::Tensor referenceInput = prepareInput(reference, batch);
    const torch::Tensor convertedInput = prepareInput(converted, batch);
    const int warmup = warmUp(options, reference, referenceInput, converted, convertedInput);

    IterationProgress progress { callbacks };
    progress.total = options.timedIterations
        + options.sweepIterations * int(options.sweepBatchSizes.size());
    std::vector<double> referenceMs;
    std::vector<double> convertedMs;
    result.cancelled = !timeAlternating(options.timedIterations, options.blockSize, reference,
                                        referenceInput, converted, convertedInput, referenceMs,
                                        convertedMs, progress);
    result.reference.latency = summarizeBatch(referenceMs, options.batchSize, warmup);
    result.converted.latency = summarizeBatch(convertedMs, options.batchSize, warmup);
    if (result.cancelled)
        return;
    result.speedup = estimateSpeedup(referenceMs, convertedMs);
    result.cancelled = !sweepBatchSizes(result, options, input.batch, reference, converted, progress);
}

} // namespace

double PrecisionBenchmark::modelMsPerImage() const
{
    return latency.batchImages > 0 ? latency.medianMs / latency.batchImages : 0.0;
}

double BenchmarkResult::preprocessShare(bool convertedModel) const
{
    const double preparation = decodeMsPerImage + preprocessMsPerImage;
    const double model = (convertedModel ? converted : reference).modelMsPerImage();
    return preparation > 0.0 ? preparation / (preparation + model) : 0.0;
}

BenchmarkResult runBenchmark(const Model &reference, const Model &converted,
                             const BenchmarkOptions &options, const RunCallbacks &callbacks)
{
    if (reference.isNull() || converted.isNull())
        throw Error(QStringLiteral("Open a model and convert it before benchmarking."));
    validate(options);
    if (options.intraOpThreads > 0)
        setIntraOpThreadCount(options.intraOpThreads);

    c10::InferenceMode inferenceMode;
    const torch::Device device = resolveDevice(options.device);
    RunnableModel referenceModel = placeOnDevice(reference, device, options.memoryFormat);
    RunnableModel convertedModel = placeOnDevice(converted, device, options.memoryFormat);

    BenchmarkResult result;
    result.modelPath = reference.path();
    result.device = options.device;
    result.intraOpThreads = intraOpThreadCount();
    result.batchSize = options.batchSize;
    result.memoryFormat = options.memoryFormat;
    result.blockSize = options.blockSize;
    result.inputWidth = options.preset.outputWidth();
    result.inputHeight = options.preset.outputHeight();
    result.reference.precision = reference.precision();
    result.converted.precision = converted.precision();
    result.reference.parameterBytes = parameterBytesOf(reference);
    result.converted.parameterBytes = parameterBytesOf(converted);

    int rows = options.batchSize;
    for (int size : options.sweepBatchSizes)
        rows = std::max(rows, size);
    const BenchmarkInput input = prepareInput(options, rows);
    result.inputDescription = options.imagePaths.isEmpty()
        ? QStringLiteral("uniform random values in 0..1")
        : QStringLiteral("%1 images, repeated to fill the batch").arg(options.imagePaths.size());
    result.decodeMsPerImage = quantile(input.decodeMs, 0.5);
    result.preprocessMsPerImage = quantile(input.preprocessMs, 0.5);

    try {
        runTimings(result, options, input, referenceModel, convertedModel, callbacks);
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Benchmarking %1 failed in a forward call: %2.")
                        .arg(reference.fileName(), firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    } catch (const std::runtime_error &error) {
        if (dynamic_cast<const Error *>(&error))
            throw;
        throw Error(QStringLiteral("Benchmarking %1 failed in a forward call: %2.")
                        .arg(reference.fileName(), firstLineOf(error.what())));
    }
    addSpreadWarnings(result);
    if (!result.reference.latency.isEmpty() && result.reference.latency.medianMs > 0.0) {
        result.slowdownExplanation = explainSlowdown(
            result.converted.precision, options.device,
            result.converted.latency.medianMs / result.reference.latency.medianMs, detectCpuFeatures());
    }
    qCInfo(lcRun) << "benchmarked" << reference.fileName() << "batch" << options.batchSize
                  << "fp32 median" << result.reference.latency.medianMs << "ms,"
                  << precisionName(result.converted.precision) << "median"
                  << result.converted.latency.medianMs << "ms";
    return result;
}

std::vector<int> parseBatchSizes(const QString &text)
{
    std::vector<int> sizes;
    for (const QString &entry : text.split(QLatin1Char(','))) {
        bool ok = false;
        const int size = entry.trimmed().toInt(&ok);
        if (!ok || size < 1 || size > kMaxBatchSize) {
            throw Error(QStringLiteral("Invalid batch size \"%1\" in \"%2\": use whole numbers from "
                                       "1 to %3 separated by commas, for example 1,2,4,8.")
                            .arg(entry.trimmed(), text)
                            .arg(kMaxBatchSize));
        }
        sizes.push_back(size);
    }
    return sizes;
}

} // namespace halfscope
