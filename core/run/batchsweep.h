// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace halfscope {

/// Latency and throughput of both precisions at one batch size, from a
/// batch-size sweep. Latencies are medians per forward call in milliseconds;
/// throughputs are images per second at those medians.
struct BatchSweepPoint
{
    int batchSize = 0;
    double referenceMedianMs = 0.0;        ///< fp32 model.
    double convertedMedianMs = 0.0;        ///< Converted model.
    double referenceImagesPerSecond = 0.0;
    double convertedImagesPerSecond = 0.0;
    int iterations = 0;                    ///< Timed forward calls per precision at this size.
};

} // namespace halfscope
