// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "precision/precision.h"

#include <QString>
#include <QStringList>

namespace halfscope {

/// Half-precision features of the CPU, as the operating system reports them.
struct CpuFeatures
{
    QString modelName;        ///< For example "AMD EPYC 7B13"; empty when unknown.
    bool known = false;       ///< False where the flags cannot be read (non-Linux).
    QStringList halfFeatures; ///< Present among avx512_fp16, amx_fp16, avx512_bf16, amx_bf16, f16c.

    /// Returns true when the CPU has native fp16 arithmetic (AVX512-FP16 or
    /// AMX-FP16). Without it LibTorch converts fp16 values to fp32 and back
    /// around every operation, which is slower than staying in fp32.
    bool hasNativeFp16() const;
    /// Returns true when the CPU has native bf16 dot products (AVX512-BF16 or AMX-BF16).
    bool hasNativeBf16() const;
};

/// Reads the CPU's features from /proc/cpuinfo on Linux.
CpuFeatures detectCpuFeatures();

/// Returns a sentence that explains why the converted model ran slower than
/// fp32 on this device, or an empty string when it was not slower.
/// convertedOverReference is the converted model's median latency divided by
/// the fp32 model's.
QString explainSlowdown(Precision precision, const QString &device,
                        double convertedOverReference, const CpuFeatures &cpu);

} // namespace halfscope
