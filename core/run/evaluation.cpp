// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/evaluation.h"

#include <algorithm>
#include <cmath>

namespace halfscope {

EvaluationSummary evaluate(const ComparisonResult &result, bool converted)
{
    EvaluationSummary summary;
    summary.precision = converted ? result.precision : Precision::Float32;
    summary.totalMs = converted ? result.convertedTotalMs : result.referenceTotalMs;

    double lossSum = 0.0;
    int top1 = 0;
    int top5 = 0;
    for (const ImageComparison &image : result.images) {
        if (!image.compared() || image.targetClass < 0)
            continue;
        const TargetScore &score = converted ? image.convertedTarget : image.referenceTarget;
        // NaN (non-finite outputs) clamps to nothing, so it counts as the worst case.
        const double probability = std::isnan(score.probability)
            ? kLossClampMin
            : std::clamp(double(score.probability), kLossClampMin, kLossClampMax);
        lossSum += -std::log(probability);
        top1 += score.rank == 0 ? 1 : 0;
        top5 += score.rank >= 0 && score.rank < 5 ? 1 : 0;
        ++summary.labelledImages;
    }
    if (summary.labelledImages > 0) {
        summary.loss = lossSum / summary.labelledImages;
        summary.top1Accuracy = double(top1) / summary.labelledImages;
        summary.top5Accuracy = double(top5) / summary.labelledImages;
    }
    return summary;
}

} // namespace halfscope
