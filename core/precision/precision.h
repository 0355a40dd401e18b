// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace halfscope {

/// Floating-point format of a model's parameters and inputs.
enum class Precision { Float32, Float16, BFloat16 };

/// Returns the dtype name PyTorch prints: "float32", "float16" or "bfloat16".
QString precisionName(Precision precision);

/// Returns the short name used on buttons and in tables: "FP32", "FP16", "BF16".
QString precisionLabel(Precision precision);

/// Parses "fp32", "float32", "fp16", "float16", "half", "bf16" or "bfloat16"
/// (any case); returns nothing for other text.
std::optional<Precision> parsePrecision(const QString &text);

} // namespace halfscope
