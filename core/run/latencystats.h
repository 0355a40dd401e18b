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
    double standardDeviationMs = 0.0; ///< Sample standard deviation (n - 1).
    double interquartileRangeMs = 0.0; ///< p75 - p25.
    int batchImages = 0;           ///< Images per timed batch, before TTA.
    int batchViews = 0;            ///< Model inputs per timed batch (images times TTA views).
    int warmupIterations = 0;

    bool isEmpty() const { return samplesMs.empty(); }
    /// Returns images per second at the median latency.
    double imagesPerSecond() const;
    /// Returns true when the interquartile range exceeds 10% of the median,
    /// too wide a spread to trust a comparison of medians.
    bool isSpreadTooWide() const;
};

/// Returns the q-quantile (0..1) of values by linear interpolation between
/// the closest ranks; 0 for an empty list.
double quantile(std::vector<double> values, double q);

/// Computes median, p10, p90, mean, standard deviation and interquartile
/// range of samplesMs; the batch fields are left at zero for the caller.
LatencyStats summarizeLatency(const std::vector<double> &samplesMs);

/// Speed-up of the converted model over the reference, with its uncertainty.
struct SpeedupEstimate
{
    double ratio = 0.0; ///< Reference median / converted median; above 1 means faster.
    double low = 0.0;   ///< Lower end of the 95% bootstrap interval.
    double high = 0.0;  ///< Upper end of the 95% bootstrap interval.
    int resamples = 0;

    bool isValid() const { return resamples > 0; }
};

/// Estimates the speed-up from paired timings (referenceMs[i] and
/// convertedMs[i] measured back to back). The interval is the 2.5th to
/// 97.5th percentile of the ratio of medians over resamples bootstrap
/// resamples of the pairs, drawn with a fixed seed so that results repeat.
/// Returns an invalid estimate for fewer than 2 pairs.
SpeedupEstimate estimateSpeedup(const std::vector<double> &referenceMs,
                                const std::vector<double> &convertedMs, int resamples = 2000);

} // namespace halfscope
