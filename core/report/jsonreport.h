// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QJsonObject>

namespace halfscope {

/// Identifier and version of the comparison report's JSON schema, stored in
/// its "schema" field. The version grows when a field changes meaning or
/// goes away; added fields keep it.
constexpr const char *kComparisonSchema = "halfscope.comparison";
constexpr int kComparisonSchemaVersion = 1;

/// Returns the comparison as JSON: settings, summary, timing per precision
/// and one entry per image. Probabilities are 0..1, times milliseconds. A NaN
/// drift (non-finite outputs) is written as null, and non_finite marks the cause.
QJsonObject comparisonToJson(const ComparisonResult &result);

} // namespace halfscope
