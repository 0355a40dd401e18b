// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDir>
#include <QString>
#include <QStringList>

namespace halfscope::test {

/// Folder of the demo model, its labels and photos in the source tree.
inline QString demoFolder()
{
    return QStringLiteral(HALFSCOPE_SOURCE_DIR "/resources/demo");
}

inline QString demoModel()
{
    return demoFolder() + QStringLiteral("/tinydarknet.pt");
}

inline QString demoPhoto(const QString &fileName)
{
    return demoFolder() + QStringLiteral("/images/") + fileName;
}

inline QStringList demoPhotos()
{
    const QDir images(demoFolder() + QStringLiteral("/images"));
    QStringList paths;
    for (const QString &name : images.entryList(QDir::Files, QDir::Name))
        paths << images.filePath(name);
    return paths;
}

} // namespace halfscope::test
