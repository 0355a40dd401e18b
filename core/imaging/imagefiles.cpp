// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/imagefiles.h"

#include "common/error.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace halfscope {

bool hasImageExtension(const QString &fileName)
{
    static const QStringList extensions { QStringLiteral("png"),  QStringLiteral("jpg"),
                                          QStringLiteral("jpeg"), QStringLiteral("bmp"),
                                          QStringLiteral("tif"),  QStringLiteral("tiff"),
                                          QStringLiteral("webp"), QStringLiteral("ppm"),
                                          QStringLiteral("pgm"),  QStringLiteral("pbm") };
    return extensions.contains(QFileInfo(fileName).suffix().toLower());
}

QStringList collectImageFiles(const QStringList &paths)
{
    QStringList files;
    QSet<QString> seen;
    auto add = [&files, &seen](const QString &file) {
        const QString absolute = QFileInfo(file).absoluteFilePath();
        if (!seen.contains(absolute)) {
            seen.insert(absolute);
            files << file;
        }
    };

    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            throw Error(QStringLiteral("Image file or folder not found: %1. Check the path.").arg(path));
        if (!info.isDir()) {
            add(path);
            continue;
        }
        QStringList found;
        QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            if (hasImageExtension(file))
                found << file;
        }
        std::sort(found.begin(), found.end());
        for (const QString &file : found)
            add(file);
    }
    return files;
}

} // namespace halfscope
