// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "report/markdownreport.h"
#include "run/comparison.h"

#include <QString>

namespace halfscope {

/// Paths of the files writeComparisonReport() wrote.
struct ComparisonReportFiles
{
    QString json;     ///< report.json, schema halfscope.comparison (see comparisonToJson()).
    QString csv;      ///< report.csv, one row per image (see comparisonToCsv()).
    QString markdown; ///< report.md, the summary (see comparisonToMarkdown()).
};

/// Returns the paths of report.json, report.csv and report.md inside folder.
/// writeComparisonReport() and the window's export dialog use these names.
ComparisonReportFiles comparisonReportFiles(const QString &folder);

/// Writes report.json, report.csv and report.md into folder, creating the
/// folder when it is missing. Each file is written atomically; files of the
/// same names are replaced. Throws Error naming the folder or file that
/// could not be written.
ComparisonReportFiles writeComparisonReport(const ComparisonResult &result, const QString &folder,
                                            const MarkdownReportOptions &markdown = {});

} // namespace halfscope
