// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

namespace halfscope {

/// Histogram of non-negative values on logarithmic bins.
struct LogHistogram
{
    std::vector<double> lowerEdges; ///< Lower edge of each bin.
    std::vector<double> upperEdges; ///< Upper edge of each bin.
    std::vector<double> counts;     ///< Values per bin.
    long long zeroCount = 0;        ///< Values exactly 0, which no log bin holds.
    long long belowCount = 0;       ///< Positive values under the first bin, counted in it.
    long long aboveCount = 0;       ///< Values over the last bin, counted in it.
};

/// Bins values into binsPerDecade bins per power of ten between
/// 10^minExponent and 10^maxExponent. Values outside that range go to the
/// first or last bin (and are counted in belowCount or aboveCount), so the
/// counts add up to the number of positive values.
LogHistogram logHistogram(const std::vector<float> &values, int minExponent, int maxExponent,
                          int binsPerDecade);

} // namespace halfscope
