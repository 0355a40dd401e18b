// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/inference.h"

#include "common/error.h"
#include "model/modeldata.h"
#include "run/comparison.h"

#include <torch/cuda.h>

#include <chrono>

namespace halfscope {

RunnableModel placeOnDevice(const Model &model, const torch::Device &device)
{
    RunnableModel runnable;
    runnable.inputType = scalarTypeOf(model.precision());
    runnable.device = device;
    runnable.module = model.data()->module;
    if (!device.is_cpu()) {
        // Moving is in place, so a copy keeps the loaded CPU module intact.
        runnable.module = runnable.module.clone();
        runnable.module.to(device);
    }
    return runnable;
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
