// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

namespace halfscope {

/// Summary of repeated timings of one batch, warm-up iterations excluded.
struct LatencyStats
{
    std::vector<double> samplesMs; ///< Every timed iteration, in milliseconds, in run order.
    double medianMs = 0.0;
    double p10Ms = 0.0;            ///< 10th percentile, linear interpolation (numpy's default).
    double p90Ms = 0.0;            ///< 90th percentile, linear interpolation.
    double meanMs = 0.0;
    int batchImages = 0;           ///< Images per timed batch, before TTA.
    int batchViews = 0;            ///< Model inputs per timed batch (images times TTA views).
    int warmupIterations = 0;

    bool isEmpty() const { return samplesMs.empty(); }
    /// Returns images per second at the median latency.
    double imagesPerSecond() const;
};

/// Returns the q-quantile (0..1) of values by linear interpolation between
/// the closest ranks; 0 for an empty list.
double quantile(std::vector<double> values, double q);

/// Computes median, p10, p90 and mean of samplesMs; the batch fields are
/// left at zero for the caller.
LatencyStats summarizeLatency(const std::vector<double> &samplesMs);

} // namespace halfscope
