// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/tensorinfo.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <map>

namespace halfscope {

QString TensorInfo::shapeText() const
{
    QStringList parts;
    for (int64_t size : shape)
        parts << QString::number(size);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

QString TensorInfo::kindText() const
{
    switch (kind) {
    case Kind::Parameter:
        return QStringLiteral("parameter");
    case Kind::Buffer:
        return QStringLiteral("buffer");
    case Kind::Constant:
        break;
    }
    return QStringLiteral("constant");
}

std::vector<DtypeTotal> summarizeDtypes(const std::vector<TensorInfo> &tensors)
{
    std::map<QString, DtypeTotal> byDtype;
    for (const TensorInfo &tensor : tensors) {
        DtypeTotal &total = byDtype[tensor.dtype];
        total.dtype = tensor.dtype;
        total.tensorCount += 1;
        total.elementCount += tensor.elementCount;
        total.bytes += tensor.bytes;
    }

    std::vector<DtypeTotal> totals;
    for (const auto &entry : byDtype)
        totals.push_back(entry.second);
    std::stable_sort(totals.begin(), totals.end(),
                     [](const DtypeTotal &a, const DtypeTotal &b) { return a.bytes > b.bytes; });
    return totals;
}

QString describeDtypes(const std::vector<DtypeTotal> &totals)
{
    QStringList parts;
    const QLocale locale(QLocale::English);
    for (const DtypeTotal &total : totals) {
        parts << QStringLiteral("%1 %2 in %3 tensors (%4)")
                     .arg(locale.toString(qlonglong(total.elementCount)), total.dtype)
                     .arg(total.tensorCount)
                     .arg(formatBytes(total.bytes));
    }
    return parts.isEmpty() ? QStringLiteral("no tensors") : parts.join(QLatin1String("; "));
}

QString formatBytes(int64_t bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

} // namespace halfscope
