// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/cpufeatures.h"

#include <QFile>
#include <QSet>
#include <QStringList>

namespace halfscope {

bool CpuFeatures::hasNativeFp16() const
{
    return halfFeatures.contains(QLatin1String("avx512_fp16"))
        || halfFeatures.contains(QLatin1String("amx_fp16"));
}

bool CpuFeatures::hasNativeBf16() const
{
    return halfFeatures.contains(QLatin1String("avx512_bf16"))
        || halfFeatures.contains(QLatin1String("amx_bf16"));
}

CpuFeatures detectCpuFeatures()
{
    CpuFeatures features;
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return features;

    // /proc/cpuinfo repeats the same block for every core; the first is enough.
    // Its size reads as 0, so read to the end instead of testing atEnd().
    QSet<QString> flags;
    const QStringList lines = QString::fromLatin1(file.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString key = line.section(QLatin1Char(':'), 0, 0).trimmed();
        const QString value = line.section(QLatin1Char(':'), 1).trimmed();
        if (key == QLatin1String("model name") && features.modelName.isEmpty())
            features.modelName = value;
        if (key == QLatin1String("flags") && !features.known) {
            for (const QString &flag : value.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                flags.insert(flag);
            features.known = true;
        }
        if (!features.modelName.isEmpty() && features.known)
            break;
    }
    for (const char *name : { "avx512_fp16", "amx_fp16", "avx512_bf16", "amx_bf16", "f16c" }) {
        if (flags.contains(QLatin1String(name)))
            features.halfFeatures << QLatin1String(name);
    }
    return features;
}

QString explainSlowdown(Precision precision, const QString &device, double convertedOverReference,
                        const CpuFeatures &cpu)
{
    if (convertedOverReference <= 1.0 || precision == Precision::Float32)
        return QString();
    const QString name = precisionName(precision);
    if (device != QLatin1String("cpu")) {
        return QStringLiteral("%1 ran %2x slower than float32 on %3. Small batches and models "
                              "limited by memory bandwidth or kernel launches gain little "
                              "from half precision; try a larger batch.")
            .arg(name)
            .arg(convertedOverReference, 0, 'f', 1)
            .arg(device);
    }
    const bool native = precision == Precision::Float16 ? cpu.hasNativeFp16() : cpu.hasNativeBf16();
    const QString cpuName = cpu.modelName.isEmpty() ? QStringLiteral("this CPU") : cpu.modelName;
    if (!cpu.known) {
        return QStringLiteral("%1 ran %2x slower than float32 on the CPU. Most CPUs have no "
                              "native %1 arithmetic, so LibTorch converts values to float32 "
                              "and back around each operation; this is expected and not a "
                              "fault of the model or of HalfScope.")
            .arg(name)
            .arg(convertedOverReference, 0, 'f', 1);
    }
    if (!native) {
        const QString features = precision == Precision::Float16
            ? QStringLiteral("AVX512-FP16 or AMX-FP16")
            : QStringLiteral("AVX512-BF16 or AMX-BF16");
        return QStringLiteral("%1 ran %2x slower than float32: %3 has no %4, so LibTorch "
                              "emulates %1 arithmetic by converting to float32 and back. This "
                              "is expected on this CPU; the speed-up of half precision shows "
                              "on GPUs and on CPUs with those instructions.")
            .arg(name)
            .arg(convertedOverReference, 0, 'f', 1)
            .arg(cpuName, features);
    }
    return QStringLiteral("%1 ran %2x slower than float32 although %3 reports native %1 "
                          "instructions. LibTorch may lack optimized %1 kernels for some of "
                          "this model's operators on the CPU.")
        .arg(name)
        .arg(convertedOverReference, 0, 'f', 1)
        .arg(cpuName);
}

} // namespace halfscope
