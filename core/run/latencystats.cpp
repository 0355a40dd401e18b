// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/latencystats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace halfscope {

double LatencyStats::imagesPerSecond() const
{
    return medianMs > 0.0 ? batchImages * 1000.0 / medianMs : 0.0;
}

bool LatencyStats::isSpreadTooWide() const
{
    return medianMs > 0.0 && interquartileRangeMs > 0.1 * medianMs;
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const double position = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
    const size_t lower = size_t(std::floor(position));
    const size_t upper = std::min(lower + 1, values.size() - 1);
    const double fraction = position - double(lower);
    return values[lower] + (values[upper] - values[lower]) * fraction;
}

LatencyStats summarizeLatency(const std::vector<double> &samplesMs)
{
    LatencyStats stats;
    stats.samplesMs = samplesMs;
    if (samplesMs.empty())
        return stats;
    stats.medianMs = quantile(samplesMs, 0.5);
    stats.p10Ms = quantile(samplesMs, 0.1);
    stats.p90Ms = quantile(samplesMs, 0.9);
    stats.meanMs = std::accumulate(samplesMs.begin(), samplesMs.end(), 0.0) / double(samplesMs.size());
    stats.interquartileRangeMs = quantile(samplesMs, 0.75) - quantile(samplesMs, 0.25);
    if (samplesMs.size() > 1) {
        double squares = 0.0;
        for (double sample : samplesMs)
            squares += (sample - stats.meanMs) * (sample - stats.meanMs);
        stats.standardDeviationMs = std::sqrt(squares / double(samplesMs.size() - 1));
    }
    return stats;
}

SpeedupEstimate estimateSpeedup(const std::vector<double> &referenceMs,
                                const std::vector<double> &convertedMs, int resamples)
{
    SpeedupEstimate estimate;
    const size_t pairs = std::min(referenceMs.size(), convertedMs.size());
    if (pairs < 2 || resamples < 1)
        return estimate;
    estimate.ratio = quantile(referenceMs, 0.5) / quantile(convertedMs, 0.5);

    std::mt19937_64 generator(20261204);
    std::uniform_int_distribution<size_t> pick(0, pairs - 1);
    std::vector<double> ratios;
    std::vector<double> reference(pairs);
    std::vector<double> converted(pairs);
    for (int round = 0; round < resamples; ++round) {
        // Resampling pairs, not times, keeps each pair's shared machine state.
        for (size_t i = 0; i < pairs; ++i) {
            const size_t chosen = pick(generator);
            reference[i] = referenceMs[chosen];
            converted[i] = convertedMs[chosen];
        }
        ratios.push_back(quantile(reference, 0.5) / quantile(converted, 0.5));
    }
    estimate.low = quantile(ratios, 0.025);
    estimate.high = quantile(ratios, 0.975);
    estimate.resamples = resamples;
    return estimate;
}

} // namespace halfscope
