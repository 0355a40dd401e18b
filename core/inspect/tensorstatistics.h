// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "model/model.h"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace halfscope {

/// Value statistics of one tensor and what a cast to float16 would do to it.
///
/// Computed in float64. min, max, mean and std cover the finite values only
/// (std with Bessel's correction, as torch.std; 0 for fewer than two values).
/// The float16 counts follow IEEE 754 round-to-nearest-even, exactly:
/// - fp16OverflowCount: finite values with |x| >= 65520, which become inf
///   (65504 is the largest float16; values below 65520 round down to it);
/// - fp16SubnormalCount: values that become subnormal, that is nonzero with
///   magnitude below 2^-14: 2^-25 < |x| < 2^-14 - 2^-25;
/// - fp16UnderflowCount: nonzero values with |x| <= 2^-25, which become 0
///   (2^-24 is the smallest subnormal, and the tie at 2^-25 rounds to 0).
/// Integer and bool tensors have the value statistics and zero fp16 counts,
/// because conversion keeps their dtype.
struct TensorStatistics
{
    QString name;
    QString dtype;
    int64_t elementCount = 0;
    int64_t finiteCount = 0;
    double min = 0.0;
    double max = 0.0;
    double mean = 0.0;
    double std = 0.0;
    int64_t zeroCount = 0;
    int64_t nanCount = 0;
    int64_t infCount = 0;
    int64_t fp16OverflowCount = 0;
    int64_t fp16SubnormalCount = 0;
    int64_t fp16UnderflowCount = 0;
    bool floatingPoint = false;
};

/// Computes the statistics of a model's parameter or buffer by its dotted
/// name. Throws Error when the model has no tensor of that name.
TensorStatistics computeTensorStatistics(const Model &model, const QString &name);

/// Computes the statistics of a tensor of a checkpoint's state dict at
/// stateDictPath (Inspection::stateDictPath) by its dotted name. Reads that
/// tensor's data from the file. Throws Error when there is no such tensor.
TensorStatistics computeTensorStatistics(const Checkpoint &checkpoint,
                                         const QStringList &stateDictPath, const QString &name);

} // namespace halfscope
