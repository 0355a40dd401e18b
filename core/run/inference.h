// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/model.h"
#include "run/memoryformat.h"

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
    /// Layout of 4-D inputs; forwardWithFallback() may switch it to contiguous.
    MemoryFormat memoryFormat = MemoryFormat::ChannelsLast;
    /// First line of the error a channels-last input raised, when the model
    /// then fell back to contiguous inputs; empty otherwise.
    QString channelsLastError;
};

/// Returns the module of model on device, fed inputs in format. On the CPU
/// the returned module shares the loaded parameters; on another device it is
/// a moved clone, so the loaded CPU module stays intact. The parameters keep
/// their layout because convolutions follow the input's layout.
RunnableModel placeOnDevice(const Model &model, const torch::Device &device,
                            MemoryFormat format = MemoryFormat::ChannelsLast);

/// Returns input moved to the model's device and dtype and, when it has 4
/// dimensions, laid out in the model's memory format.
torch::Tensor prepareInput(const RunnableModel &model, const torch::Tensor &input);

/// Runs forward() on prepareInput(model, input). When a channels-last input
/// raises (for example a view() that needs NCHW strides) and a contiguous
/// one works, the model switches to contiguous inputs for good and
/// channelsLastError keeps the first error. Otherwise the error propagates.
torch::IValue forwardWithFallback(RunnableModel &model, const torch::Tensor &input);

/// Returns the warning for a model that fell back to contiguous inputs, or
/// an empty string when it did not.
QString memoryFormatFallbackWarning(const RunnableModel &model);

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
