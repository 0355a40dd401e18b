// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"
#include "model/model.h"
#include "precision/precision.h"
#include "run/batchsweep.h"
#include "run/comparison.h"
#include "run/latencystats.h"
#include "run/memoryformat.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace halfscope {

/// Settings of a model-only benchmark of the fp32 and the converted model.
struct BenchmarkOptions
{
    int batchSize = 8;          ///< Inputs per timed forward call.
    /// Untimed forward calls per precision before timing; at least one runs
    /// (it measures memory), so 0 and 1 are the same.
    int warmupIterations = 3;
    /// When above 0, warm-up alternates between the models until this many
    /// seconds have passed (at least one call each), and warmupIterations
    /// is ignored. LatencyStats::warmupIterations reports the calls made.
    double warmupSeconds = 0.0;
    int timedIterations = 20;   ///< Timed forward calls per precision, alternating.
    /// Consecutive timed calls of one model before the other model's turn.
    /// 1 alternates every call, which keeps drift in the machine's speed out
    /// of the speed-up. Larger blocks let each model's weights stay in the
    /// caches between its calls, as in a loop that runs one model only.
    int blockSize = 1;
    int intraOpThreads = 0;     ///< LibTorch intra-op threads; 0 keeps the current count.
    QString device = QStringLiteral("cpu"); ///< "cpu" or "cuda".
    /// Layout of the input batch. A model that raises on channels-last
    /// inputs falls back to contiguous ones with a warning.
    MemoryFormat memoryFormat = MemoryFormat::ChannelsLast;
    /// Input images. The batch repeats them in order until it is full, and
    /// each one's decode and preprocessing time is measured. Empty: a batch
    /// of uniform random values in 0..1 (fixed seed) of the preset's size,
    /// and no preprocessing time.
    QStringList imagePaths;
    PreprocessPreset preset = PreprocessPreset::imagenet();
    /// Batch sizes of the sweep, each timed with sweepIterations calls per
    /// precision after two warm-up calls each. Empty: no sweep.
    std::vector<int> sweepBatchSizes;
    int sweepIterations = 10;
};

/// Latency and memory of one precision in a benchmark.
struct PrecisionBenchmark
{
    Precision precision = Precision::Float32;
    LatencyStats latency;          ///< Per forward call of the batch, milliseconds.
    qint64 parameterBytes = 0;     ///< Parameters and buffers of the model.
    /// Process peak resident set size in bytes during one forward call of
    /// this precision (VmHWM, reset before the call). Both models stay
    /// loaded, so it includes the other model's weights. -1 when unknown.
    qint64 peakResidentBytes = -1;
    /// Peak bytes that LibTorch's CUDA caching allocator handed out during
    /// one forward call; -1 when not run on CUDA.
    qint64 cudaPeakBytes = -1;

    /// Returns images per second at the median latency.
    double imagesPerSecond() const { return latency.imagesPerSecond(); }
    /// Returns the model's median time per image in milliseconds.
    double modelMsPerImage() const;
};

/// Result of runBenchmark().
struct BenchmarkResult
{
    QString modelPath;
    QString device;
    int intraOpThreads = 0;          ///< LibTorch's intra-op thread count during the run.
    int batchSize = 0;
    /// Layout of the timed inputs: options.memoryFormat, or contiguous after
    /// a fallback (see warnings).
    MemoryFormat memoryFormat = MemoryFormat::ChannelsLast;
    int blockSize = 1;               ///< Consecutive timed calls of one model (options.blockSize).
    QString inputDescription;        ///< For example "5 images repeated" or "random values".
    int inputWidth = 0;              ///< Model input width in pixels.
    int inputHeight = 0;             ///< Model input height in pixels.
    PrecisionBenchmark reference;    ///< fp32 model.
    PrecisionBenchmark converted;    ///< Converted model.
    SpeedupEstimate speedup;         ///< fp32 median / converted median, with its interval.
    /// Median per image over imagePaths of reading and decoding the file,
    /// and of preprocessing it, in milliseconds; 0 without images.
    double decodeMsPerImage = 0.0;
    double preprocessMsPerImage = 0.0;
    std::vector<BatchSweepPoint> sweep; ///< One row per sweep batch size, in the given order.
    QString slowdownExplanation;     ///< Why the converted model was slower; empty if it was not.
    QStringList warnings;            ///< Wide spreads and memory figures that could not be read.
    bool cancelled = false;

    /// Returns the share (0..1) of the end-to-end time per image spent on
    /// decoding and preprocessing, for the converted (true) or fp32 model;
    /// 0 without images. End to end means decode, preprocess and one
    /// forward pass at the median, one after another without overlap.
    double preprocessShare(bool converted) const;
};

/// Times the fp32 reference and the converted model on one fixed batch.
///
/// Warm-up calls come first. Then timed calls alternate between the models
/// so that drift in the machine's speed affects both. The device is
/// synchronized before each clock read on CUDA. After the main timing the
/// optional batch-size sweep runs. callbacks.isCancelled is polled between
/// timed iterations; a cancelled run returns what it measured so far.
/// callbacks.progress gets the timed iterations done and their total
/// (timedIterations plus sweepIterations per sweep batch size), one
/// iteration being a call of each model.
///
/// Throws Error for a null model, invalid options, an unavailable device,
/// unreadable images, or a forward call that fails.
BenchmarkResult runBenchmark(const Model &reference, const Model &converted,
                             const BenchmarkOptions &options, const RunCallbacks &callbacks = {});

/// Parses a comma-separated list of batch sizes such as "1,2,4,8". Throws
/// Error naming the value when an entry is not a whole number from 1 to 4096.
std::vector<int> parseBatchSizes(const QString &text);

} // namespace halfscope
