// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/inference.h"

#include "common/error.h"
#include "common/logging.h"
#include "model/modeldata.h"
#include "run/comparison.h"

#include <torch/cuda.h>

#include <chrono>

namespace halfscope {

RunnableModel placeOnDevice(const Model &model, const torch::Device &device, MemoryFormat format)
{
    RunnableModel runnable;
    runnable.inputType = scalarTypeOf(model.precision());
    runnable.device = device;
    runnable.memoryFormat = format;
    runnable.module = model.data()->module;
    if (!device.is_cpu()) {
        // Moving is in place, so a copy keeps the loaded CPU module intact.
        runnable.module = runnable.module.clone();
        runnable.module.to(device);
    }
    return runnable;
}

torch::Tensor prepareInput(const RunnableModel &model, const torch::Tensor &input)
{
    const torch::Tensor placed = input.to(model.device, model.inputType);
    if (placed.dim() != 4)
        return placed.contiguous();
    return placed.contiguous(model.memoryFormat == MemoryFormat::ChannelsLast
                                 ? at::MemoryFormat::ChannelsLast
                                 : at::MemoryFormat::Contiguous);
}

torch::IValue forwardWithFallback(RunnableModel &model, const torch::Tensor &input)
{
    if (model.memoryFormat == MemoryFormat::Contiguous || input.dim() != 4)
        return model.module.forward({ prepareInput(model, input) });
    QString channelsLastError;
    try {
        return model.module.forward({ prepareInput(model, input) });
    } catch (const c10::Error &error) {
        channelsLastError = firstLineOf(error.what_without_backtrace());
    } catch (const std::runtime_error &error) {
        // torch::jit::JITException, raised by a raise statement in forward().
        channelsLastError = firstLineOf(error.what());
    }
    model.memoryFormat = MemoryFormat::Contiguous;
    try {
        torch::IValue output = model.module.forward({ prepareInput(model, input) });
        model.channelsLastError = channelsLastError;
        qCInfo(lcRun) << "channels-last input failed, using contiguous inputs:" << channelsLastError;
        return output;
    } catch (...) {
        // The input fails in both layouts, so the layout is not the cause.
        model.memoryFormat = MemoryFormat::ChannelsLast;
        throw;
    }
}

QString memoryFormatFallbackWarning(const RunnableModel &model)
{
    if (model.channelsLastError.isEmpty())
        return {};
    return QStringLiteral("The model raised an error on channels-last inputs (%1), so it ran on "
                          "contiguous (NCHW) inputs instead.")
        .arg(model.channelsLastError);
}

torch::Device resolveDevice(const QString &name)
{
    if (name == QLatin1String("cpu"))
        return torch::kCPU;
    if (name == QLatin1String("cuda")) {
        if (!cudaAvailable()) {
            throw Error(QStringLiteral("CUDA was requested, but this LibTorch build or machine "
                                       "has no usable CUDA device. Use the CPU, or build "
                                       "HalfScope against a CUDA build of LibTorch."));
        }
        return torch::Device(torch::kCUDA, 0);
    }
    throw Error(QStringLiteral("Unknown device \"%1\". Use \"cpu\" or \"cuda\".").arg(name));
}

void synchronize(const torch::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index());
}

double timeForward(RunnableModel &model, const torch::Tensor &input)
{
    synchronize(model.device);
    const auto start = std::chrono::steady_clock::now();
    model.module.forward({ input });
    synchronize(model.device);
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(stop - start).count();
}

} // namespace halfscope
