// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/model.h"

#include <QString>

#include <torch/script.h>

namespace halfscope {

/// A module placed on the run's device, with the dtype its inputs need.
/// Only core sources include this header.
struct RunnableModel
{
    torch::jit::Module module;
    c10::ScalarType inputType = c10::ScalarType::Float;
    torch::Device device = torch::kCPU;
};

/// Returns the module of model on device. On the CPU the returned module
/// shares the loaded parameters; on another device it is a moved clone, so
/// the loaded CPU module stays intact.
RunnableModel placeOnDevice(const Model &model, const torch::Device &device);

/// Returns the device for "cpu" or "cuda". Throws Error for an unknown name
/// or when CUDA is requested but unavailable.
torch::Device resolveDevice(const QString &name);

/// Waits for the device's queued work; does nothing on the CPU.
void synchronize(const torch::Device &device);

/// Runs forward() once on input, which must already have the model's device
/// and dtype, and returns the wall time in milliseconds. The device is
/// synchronized before both clock reads.
double timeForward(RunnableModel &model, const torch::Tensor &input);

} // namespace halfscope
