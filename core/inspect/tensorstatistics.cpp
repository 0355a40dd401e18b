// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/tensorstatistics.h"

#include "checkpoint/checkpointdata.h"
#include "common/error.h"
#include "model/modeldata.h"

#include <cmath>

namespace halfscope {

namespace {

/// Magnitudes where round-to-nearest-even into float16 changes class. From
/// kFp16InfFrom up a value becomes inf (65504 plus half a unit in the last
/// place, 16). Up to kFp16ZeroUpTo it becomes 0 (half of the smallest
/// subnormal 2^-24). Below kFp16NormalFrom it becomes subnormal, because that
/// is the midpoint between the largest subnormal 2^-14 - 2^-24 and 2^-14.
const double kFp16InfFrom = 65520.0;
const double kFp16ZeroUpTo = std::ldexp(1.0, -25);
const double kFp16NormalFrom = std::ldexp(1.0, -14) - std::ldexp(1.0, -25);

int64_t countOf(const at::Tensor &mask)
{
    return mask.sum().item<int64_t>();
}

TensorStatistics statisticsOf(const at::Tensor &tensor, const QString &name)
{
    if (tensor.is_complex()) {
        throw Error(QStringLiteral("Statistics of the complex tensor %1 are not supported; HalfScope "
                                   "computes them for real and integer tensors.")
                        .arg(name));
    }
    c10::InferenceMode guard;
    TensorStatistics statistics;
    statistics.name = name;
    statistics.dtype = dtypeName(tensor.scalar_type());
    statistics.floatingPoint = tensor.is_floating_point();

    const at::Tensor values = tensor.detach().to(torch::kCPU, torch::kDouble).reshape({ -1 });
    statistics.elementCount = values.numel();
    statistics.nanCount = countOf(values.isnan());
    statistics.infCount = countOf(values.isinf());
    statistics.zeroCount = countOf(values == 0);

    const at::Tensor finite = values.masked_select(values.isfinite());
    statistics.finiteCount = finite.numel();
    if (statistics.finiteCount > 0) {
        statistics.min = finite.min().item<double>();
        statistics.max = finite.max().item<double>();
        statistics.mean = finite.mean().item<double>();
    }
    if (statistics.finiteCount > 1)
        statistics.std = finite.std().item<double>();

    if (statistics.floatingPoint) {
        const at::Tensor magnitude = finite.abs();
        statistics.fp16OverflowCount = countOf(magnitude >= kFp16InfFrom);
        statistics.fp16UnderflowCount = countOf((magnitude > 0) & (magnitude <= kFp16ZeroUpTo));
        statistics.fp16SubnormalCount = countOf((magnitude > kFp16ZeroUpTo) & (magnitude < kFp16NormalFrom));
    }
    return statistics;
}

std::optional<at::Tensor> findModelTensor(const torch::jit::Module &module, const std::string &name)
{
    for (const auto &parameter : module.named_parameters(/*recurse=*/true)) {
        if (parameter.name == name)
            return parameter.value;
    }
    for (const auto &buffer : module.named_buffers(/*recurse=*/true)) {
        if (buffer.name == name)
            return buffer.value;
    }
    return std::nullopt;
}

} // namespace

TensorStatistics computeTensorStatistics(const Model &model, const QString &name)
{
    if (model.isNull())
        throw Error(QStringLiteral("No model is loaded, so there is no tensor %1 to compute statistics of.").arg(name));
    const std::optional<at::Tensor> tensor = findModelTensor(model.data()->module, name.toStdString());
    if (!tensor) {
        throw Error(QStringLiteral("%1 has no parameter or buffer named \"%2\". Run \"halfscope-cli "
                                   "inspect %1\" to list the tensor names.")
                        .arg(model.path(), name));
    }
    try {
        return statisticsOf(*tensor, name);
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Cannot compute statistics of %1 in %2: %3.")
                        .arg(name, model.path(), firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    }
}

TensorStatistics computeTensorStatistics(const Checkpoint &checkpoint, const QStringList &stateDictPath,
                                         const QString &name)
{
    for (const NamedTensor &named : checkpoint.tensorsAt(stateDictPath)) {
        if (named.name != name)
            continue;
        const at::Tensor tensor = loadTensor(checkpoint, *named.tensor);
        try {
            return statisticsOf(tensor, name);
        } catch (const c10::Error &error) {
            throw Error(QStringLiteral("Cannot compute statistics of %1 in %2: %3.")
                            .arg(name, checkpoint.path(), firstLineOf(error.what_without_backtrace())),
                        QString::fromUtf8(error.what_without_backtrace()));
        }
    }
    throw Error(QStringLiteral("The state dict of %1 has no tensor named \"%2\". Run \"halfscope-cli "
                               "inspect %1\" to list the tensor names.")
                    .arg(checkpoint.path(), name));
}

} // namespace halfscope
