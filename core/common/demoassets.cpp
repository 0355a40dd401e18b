// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/demoassets.h"

#include "imaging/imagefiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace halfscope {

namespace {

const char *const kDemoModelFile = "tinydarknet.pt";

bool holdsDemo(const QString &folder)
{
    return !folder.isEmpty() && QFileInfo::exists(QDir(folder).filePath(QLatin1String(kDemoModelFile)));
}

} // namespace

QString demoDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("HALFSCOPE_DEMO_DIR");
    if (!fromEnvironment.isEmpty())
        return holdsDemo(fromEnvironment) ? fromEnvironment : QString();

    QStringList candidates;
    if (QCoreApplication::instance()) {
        candidates << QDir(QCoreApplication::applicationDirPath())
                          .filePath(QStringLiteral("../share/halfscope/demo"));
    }
    candidates << QStringLiteral(HALFSCOPE_SOURCE_DIR "/resources/demo");
    for (const QString &candidate : candidates) {
        if (holdsDemo(candidate))
            return QDir::cleanPath(candidate);
    }
    return QString();
}

QString demoModelPath()
{
    const QString folder = demoDirectory();
    return folder.isEmpty() ? QString() : QDir(folder).filePath(QLatin1String(kDemoModelFile));
}

QStringList demoImagePaths()
{
    const QString folder = demoDirectory();
    if (folder.isEmpty())
        return {};
    const QString images = QDir(folder).filePath(QStringLiteral("images"));
    return QFileInfo(images).isDir() ? collectImageFiles({ images }) : QStringList();
}

} // namespace halfscope
