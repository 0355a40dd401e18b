// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/atomicfile.h"

#include "common/error.h"
#include "common/logging.h"

#include <QSaveFile>

namespace halfscope {

void writeFileAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        throw Error(QStringLiteral("Cannot write %1: %2. Check that the folder exists and is "
                                   "writable.")
                        .arg(path, file.errorString()));
    }
    if (file.write(data) != data.size() || !file.commit()) {
        throw Error(QStringLiteral("Writing %1 failed: %2. The previous file, if any, is "
                                   "unchanged.")
                        .arg(path, file.errorString()));
    }
    qCInfo(lcReport) << "wrote" << path << data.size() << "bytes";
}

} // namespace halfscope
