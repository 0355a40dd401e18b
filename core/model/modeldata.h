// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"
#include "model/tensorinfo.h"
#include "precision/precision.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <torch/script.h>

#include <optional>

namespace halfscope {

/// State behind a Model handle. Only core sources include this header.
struct ModelData
{
    /// The loaded module. Forward calls are made on copies of this handle,
    /// which share the parameters; nothing modifies them after creation.
    torch::jit::Module module;
    QString path;
    QStringList classNames;
    std::optional<PreprocessPreset> preset;
    QJsonObject conversionSettings; ///< halfscope.conversion.json; empty when absent.
    Precision precision = Precision::Float32;
    /// Parameters and buffers, listed once on the loading thread so that the
    /// GUI thread never calls into LibTorch to show them.
    std::vector<TensorInfo> tensors;
};

/// Returns the name PyTorch prints for a scalar type: "float32", "int64", ...
QString dtypeName(c10::ScalarType type);

/// Lists every parameter and buffer of a module and its submodules.
std::vector<TensorInfo> describeTensors(const torch::jit::Module &module);

/// Returns the LibTorch scalar type for a precision.
c10::ScalarType scalarTypeOf(Precision precision);

/// Returns the precision of the floating-point parameters and buffers of a
/// module: the one that accounts for most of their bytes. For a frozen
/// module, which has none, the tensor constants of forward() count instead.
Precision detectPrecision(const torch::jit::Module &module);

} // namespace halfscope
