// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QString>
#include <QStringList>

namespace halfscope {

/// Extra content of the Markdown summary.
struct MarkdownReportOptions
{
    /// Plot files next to the report (file names relative to it), shown as
    /// images. Empty: plotsNote is written instead.
    QStringList plotFiles;
    /// Sentence written under "Plots" when plotFiles is empty.
    QString plotsNote;
    /// Sentence that explains a slowdown of the converted model (see
    /// explainSlowdown()); empty for none.
    QString slowdownExplanation;
};

/// Returns a Markdown summary of the comparison: settings, top-1 agreement
/// and drift, timing per precision with the speed-up interval and spread
/// warnings, the decode, preprocess and forward-call times of the run, a
/// "Mode | Time (s) | Loss | Accuracy" table when images have ground truth,
/// and one table row per image.
QString comparisonToMarkdown(const ComparisonResult &result, const MarkdownReportOptions &options = {});

/// Writes comparisonToMarkdown() to path atomically, as UTF-8. Throws Error naming the file.
void writeComparisonMarkdown(const ComparisonResult &result, const QString &path,
                             const MarkdownReportOptions &options = {});

} // namespace halfscope
