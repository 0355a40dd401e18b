// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/groundtruth.h"

#include "common/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>

namespace halfscope {

namespace {

QString normalizedName(const QString &name)
{
    return name.trimmed().toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString canonicalPath(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

/// Splits one CSV line into fields, honouring double quotes ("a,b" and "").
QStringList splitCsvLine(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted && c == QLatin1Char('"') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
            field += c;
            ++i;
        } else if (c == QLatin1Char('"')) {
            quoted = !quoted;
        } else if (c == QLatin1Char(',') && !quoted) {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    fields << field;
    return fields;
}

} // namespace

int GroundTruth::labelledCount() const
{
    return int(std::count_if(classes.begin(), classes.end(), [](int c) { return c >= 0; }));
}

int findClassIndex(const QString &name, const QStringList &classNames)
{
    bool isNumber = false;
    const int index = name.trimmed().toInt(&isNumber);
    if (isNumber)
        return index >= 0 && (classNames.isEmpty() || index < classNames.size()) ? index : -1;
    const qsizetype exact = classNames.indexOf(name);
    if (exact >= 0)
        return int(exact);
    const QString expected = normalizedName(name);
    for (qsizetype i = 0; i < classNames.size(); ++i) {
        if (normalizedName(classNames.at(i)) == expected)
            return int(i);
    }
    return -1;
}

GroundTruth groundTruthFromFolders(const QStringList &images, const QStringList &classNames)
{
    GroundTruth truth;
    QHash<QString, int> unknownFolders;
    for (const QString &image : images) {
        const QString folder = QFileInfo(image).absoluteDir().dirName();
        const int index = findClassIndex(folder, classNames);
        if (index < 0)
            ++unknownFolders[folder];
        truth.classes.push_back(index);
    }
    for (auto it = unknownFolders.constBegin(); it != unknownFolders.constEnd(); ++it) {
        truth.warnings << QStringLiteral("Folder \"%1\" (%2 %3) names no class of the model, so "
                                         "its images have no ground truth.")
                              .arg(it.key())
                              .arg(it.value())
                              .arg(it.value() == 1 ? QStringLiteral("image") : QStringLiteral("images"));
    }
    truth.warnings.sort();
    return truth;
}

GroundTruth groundTruthFromCsv(const QString &csvPath, const QStringList &images,
                               const QStringList &classNames)
{
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        throw Error(QStringLiteral("Cannot read the ground-truth file %1: %2.")
                        .arg(csvPath, file.errorString()));
    }
    const QDir base = QFileInfo(csvPath).absoluteDir();
    QHash<QString, int> labels;
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        ++lineNumber;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList fields = splitCsvLine(line);
        if (fields.size() < 2 || fields.at(0).trimmed().isEmpty()) {
            throw Error(QStringLiteral("Invalid ground truth in %1, line %2: expected \"path,label\", "
                                       "got \"%3\".")
                            .arg(csvPath)
                            .arg(lineNumber)
                            .arg(line));
        }
        const int index = findClassIndex(fields.at(1), classNames);
        if (index < 0) {
            if (labels.isEmpty() && lineNumber == 1)
                continue; // a header row such as "path,label"
            throw Error(QStringLiteral("Invalid ground truth in %1, line %2: \"%3\" is neither a "
                                       "class index nor a class name of the model.")
                            .arg(csvPath)
                            .arg(lineNumber)
                            .arg(fields.at(1).trimmed()));
        }
        labels.insert(canonicalPath(base.filePath(fields.at(0).trimmed())), index);
    }

    GroundTruth truth;
    int unlisted = 0;
    for (const QString &image : images) {
        const int index = labels.value(canonicalPath(image), -1);
        unlisted += index < 0 ? 1 : 0;
        truth.classes.push_back(index);
    }
    if (unlisted > 0) {
        truth.warnings << QStringLiteral("%1 of %2 images are not listed in %3, so they have no "
                                         "ground truth.")
                              .arg(unlisted)
                              .arg(images.size())
                              .arg(csvPath);
    }
    return truth;
}

} // namespace halfscope
