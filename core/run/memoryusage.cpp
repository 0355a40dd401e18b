// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/memoryusage.h"

#include <QFile>

namespace halfscope {

qint64 peakResidentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    // Files in /proc report a size of 0, so the text is read in one go.
    // The line reads "VmHWM:     123456 kB".
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith("VmHWM:"))
            continue;
        const QList<QByteArray> fields = line.mid(6).simplified().split(' ');
        bool ok = false;
        const qint64 kibibytes = fields.value(0).toLongLong(&ok);
        return ok ? kibibytes * 1024 : -1;
    }
    return -1;
}

bool resetPeakResidentBytes()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (!clearRefs.open(QIODevice::WriteOnly))
        return false;
    return clearRefs.write("5") == 1;
}

} // namespace halfscope
