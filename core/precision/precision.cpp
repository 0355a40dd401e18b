// SPDX-License-Identifier: GPL-3.0-or-later
#include "precision/precision.h"

namespace halfscope {

QString precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Float32:
        return QStringLiteral("float32");
    case Precision::Float16:
        return QStringLiteral("float16");
    case Precision::BFloat16:
        return QStringLiteral("bfloat16");
    }
    return QString();
}

QString precisionLabel(Precision precision)
{
    switch (precision) {
    case Precision::Float32:
        return QStringLiteral("FP32");
    case Precision::Float16:
        return QStringLiteral("FP16");
    case Precision::BFloat16:
        return QStringLiteral("BF16");
    }
    return QString();
}

std::optional<Precision> parsePrecision(const QString &text)
{
    const QString key = text.trimmed().toLower();
    if (key == QLatin1String("fp32") || key == QLatin1String("float32") || key == QLatin1String("float"))
        return Precision::Float32;
    if (key == QLatin1String("fp16") || key == QLatin1String("float16") || key == QLatin1String("half"))
        return Precision::Float16;
    if (key == QLatin1String("bf16") || key == QLatin1String("bfloat16"))
        return Precision::BFloat16;
    return std::nullopt;
}

} // namespace halfscope
