// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

namespace halfscope {

/// Loss and accuracy of one precision on the labelled images of a comparison.
struct EvaluationSummary
{
    Precision precision = Precision::Float32;
    int labelledImages = 0;  ///< Compared images with a ground-truth class.
    /// Mean negative log-likelihood of the true class under the merged
    /// probabilities, each clamped to [1e-5, 1 - 1e-5] first.
    double loss = 0.0;
    double top1Accuracy = 0.0; ///< 0..1
    double top5Accuracy = 0.0; ///< 0..1
    double totalMs = 0.0;      ///< Sum of this precision's forward calls over the run.
};

/// Lower and upper clamp of the true class's probability before the log.
constexpr double kLossClampMin = 1e-5;
constexpr double kLossClampMax = 1.0 - 1e-5;

/// Computes the summary of the fp32 model (converted false) or of the
/// converted model (converted true). labelledImages is 0 when no compared
/// image has a ground-truth class.
EvaluationSummary evaluate(const ComparisonResult &result, bool converted);

} // namespace halfscope
