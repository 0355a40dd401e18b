// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/loghistogram.h"

#include <algorithm>
#include <cmath>

namespace halfscope {

LogHistogram logHistogram(const std::vector<float> &values, int minExponent, int maxExponent,
                          int binsPerDecade)
{
    LogHistogram histogram;
    const int bins = std::max(1, (maxExponent - minExponent) * binsPerDecade);
    const double step = 1.0 / double(std::max(1, binsPerDecade));
    for (int bin = 0; bin < bins; ++bin) {
        histogram.lowerEdges.push_back(std::pow(10.0, minExponent + bin * step));
        histogram.upperEdges.push_back(std::pow(10.0, minExponent + (bin + 1) * step));
    }
    histogram.counts.assign(size_t(bins), 0.0);

    for (float value : values) {
        if (!(value > 0.0f)) {
            histogram.zeroCount += value == 0.0f ? 1 : 0;
            continue;
        }
        const double position = (std::log10(double(value)) - minExponent) / step;
        int bin = int(std::floor(position));
        if (bin < 0) {
            bin = 0;
            ++histogram.belowCount;
        } else if (bin >= bins) {
            bin = bins - 1;
            ++histogram.aboveCount;
        }
        histogram.counts[size_t(bin)] += 1.0;
    }
    return histogram;
}

} // namespace halfscope
