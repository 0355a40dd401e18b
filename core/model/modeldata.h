// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"
#include "precision/precision.h"

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
    Precision precision = Precision::Float32;
};

/// Returns the name PyTorch prints for a scalar type: "float32", "int64", ...
QString dtypeName(c10::ScalarType type);

/// Returns the LibTorch scalar type for a precision.
c10::ScalarType scalarTypeOf(Precision precision);

/// Returns the precision of the floating-point parameters and buffers of a
/// module: the one that holds most of their bytes.
Precision detectPrecision(const torch::jit::Module &module);

} // namespace halfscope
