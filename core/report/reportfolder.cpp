// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/reportfolder.h"

#include "common/error.h"
#include "report/atomicfile.h"
#include "report/csvreport.h"
#include "report/jsonreport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

namespace halfscope {

ComparisonReportFiles comparisonReportFiles(const QString &folder)
{
    const QDir directory(folder);
    ComparisonReportFiles files;
    files.json = directory.filePath(QStringLiteral("report.json"));
    files.csv = directory.filePath(QStringLiteral("report.csv"));
    files.markdown = directory.filePath(QStringLiteral("report.md"));
    return files;
}

ComparisonReportFiles writeComparisonReport(const ComparisonResult &result, const QString &folder,
                                            const MarkdownReportOptions &markdown)
{
    const QFileInfo info(folder);
    if (info.exists() && !info.isDir()) {
        throw Error(QStringLiteral("Cannot write the report into %1: it is a file, not a folder. "
                                   "Choose a folder.")
                        .arg(folder));
    }
    if (!QDir().mkpath(folder)) {
        throw Error(QStringLiteral("Cannot create the report folder %1. Check that its parent "
                                   "folder exists and is writable.")
                        .arg(folder));
    }

    const ComparisonReportFiles files = comparisonReportFiles(folder);
    writeFileAtomically(files.json, QJsonDocument(comparisonToJson(result)).toJson(QJsonDocument::Indented));
    writeComparisonCsv(result, files.csv);
    writeComparisonMarkdown(result, files.markdown, markdown);
    return files;
}

} // namespace halfscope
