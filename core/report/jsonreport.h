// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QJsonObject>

namespace halfscope {

/// Identifier and version of the comparison report's JSON schema, stored in
/// its "schema" field. docs/report-schema.md describes every version.
/// Version 2 added timing.pipeline and timing.memory, version 3
/// settings.memory_format and warnings.
constexpr const char *kComparisonSchema = "halfscope.comparison";
constexpr int kComparisonSchemaVersion = 3;

/// Returns the comparison as JSON: settings, summary, timing per precision
/// and one entry per image. Probabilities are 0..1, times milliseconds. A NaN
/// drift (non-finite outputs) is written as null, and non_finite marks the cause.
QJsonObject comparisonToJson(const ComparisonResult &result);

/// Returns the statistics of one precision's timed calls, with every sample
/// in milliseconds in run order. The benchmark report uses it too.
QJsonObject latencyToJson(const LatencyStats &stats, Precision precision);

} // namespace halfscope
