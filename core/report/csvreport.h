// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace halfscope {

/// Returns the header of the per-image CSV report, one name per column.
QStringList comparisonCsvColumns();

/// Returns the comparison as CSV (RFC 4180, UTF-8, "\n" line ends): the
/// header, then one row per image in run order. status is "ok", "failed"
/// or "not_run" (a cancelled run did not reach the image). Probabilities
/// are 0..1; drift columns are empty for images that were not compared and
/// "nan" for non-finite outputs; target columns are empty without ground truth.
QByteArray comparisonToCsv(const ComparisonResult &result);

/// Writes comparisonToCsv(result) to path atomically. Throws Error naming the file.
void writeComparisonCsv(const ComparisonResult &result, const QString &path);

} // namespace halfscope
