// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace halfscope {

/// Latency and throughput of both precisions at one batch size. Times are
/// the median milliseconds of one forward call on a batch of batchSize
/// images; throughput is images per second at that median.
struct BatchSweepPoint
{
    int batchSize;
    double referenceMedianMs;
    double convertedMedianMs;
    double referenceImagesPerSecond;
    double convertedImagesPerSecond;
};

} // namespace halfscope
