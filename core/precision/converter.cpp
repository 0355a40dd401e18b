// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"
#include "common/logging.h"
#include "model/model.h"
#include "model/modeldata.h"

namespace halfscope {

namespace {

/// Casts floating-point parameters and buffers in place, like nn.Module.half()
/// in Python. torch::jit::Module::to(dtype) is not used because it casts
/// integer buffers too (BatchNorm's num_batches_tracked would become float16).
void convertFloatingTensors(torch::jit::Module &module, c10::ScalarType type)
{
    auto convert = [type](at::Tensor tensor) {
        if (tensor.is_floating_point() && tensor.scalar_type() != type)
            tensor.set_data(tensor.to(type));
    };
    for (const auto &parameter : module.named_parameters(/*recurse=*/true))
        convert(parameter.value);
    for (const auto &buffer : module.named_buffers(/*recurse=*/true))
        convert(buffer.value);
}

} // namespace

Model Model::convertedTo(Precision precision) const
{
    if (!m_data)
        throw Error(QStringLiteral("No model is loaded. Open a TorchScript model first."));

    auto converted = std::make_shared<ModelData>(*m_data);
    try {
        // clone() deep-copies every attribute, so the reference keeps its weights.
        converted->module = m_data->module.clone();
        convertFloatingTensors(converted->module, scalarTypeOf(precision));
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Converting %1 to %2 failed: %3.")
                        .arg(fileName(), precisionName(precision),
                             firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    }
    converted->module.eval();
    converted->precision = precision;
    converted->tensors = describeTensors(converted->module);
    qCInfo(lcPrecision) << "converted" << fileName() << "to" << precisionName(precision);
    return Model(std::move(converted));
}

} // namespace halfscope
