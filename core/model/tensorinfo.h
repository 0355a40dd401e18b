// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace halfscope {

/// One named tensor of a model, described without holding the tensor.
struct TensorInfo
{
    /// Constant: a tensor constant of the forward graph, which is where a
    /// frozen model (torch.jit.freeze) keeps its weights.
    enum class Kind { Parameter, Buffer, Constant };

    QString name;               ///< Dotted path, for example "features.0.conv.weight".
    Kind kind = Kind::Parameter;
    std::vector<int64_t> shape;
    QString dtype;              ///< PyTorch's name: "float32", "float16", "int64", ...
    QString device;             ///< "cpu", "cuda:0", ...
    int64_t elementCount = 0;
    int64_t bytes = 0;          ///< elementCount times the element size.
    bool requiresGrad = false;

    /// Returns the shape as PyTorch prints it, for example "[16, 3, 3, 3]".
    QString shapeText() const;
    QString kindText() const;
};

/// Totals of all tensors that share one dtype.
struct DtypeTotal
{
    QString dtype;
    int64_t tensorCount = 0;
    int64_t elementCount = 0;
    int64_t bytes = 0;
};

/// Groups tensors by dtype, largest byte total first.
std::vector<DtypeTotal> summarizeDtypes(const std::vector<TensorInfo> &tensors);

/// Returns a one-line summary such as "1,042,104 float32 (4.0 MiB)".
QString describeDtypes(const std::vector<DtypeTotal> &totals);

/// Formats a byte count with binary units: "512 B", "4.0 MiB".
QString formatBytes(int64_t bytes);

} // namespace halfscope
