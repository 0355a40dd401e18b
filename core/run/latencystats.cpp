// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/latencystats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace halfscope {

double LatencyStats::imagesPerSecond() const
{
    return medianMs > 0.0 ? batchImages * 1000.0 / medianMs : 0.0;
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
    return stats;
}

} // namespace halfscope
