// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/inspection.h"
#include "inspect/tensorstatistics.h"

#include <QJsonObject>

namespace halfscope {

/// Schema name and version written into every inspection document; the
/// format is described in docs/inspect-schema.md.
inline constexpr const char *kInspectSchemaName = "halfscope.inspect";
inline constexpr int kInspectSchemaVersion = 1;

/// Returns the inspection as a "halfscope.inspect" version 1 document.
QJsonObject inspectionToJson(const Inspection &inspection);

/// Returns one tensor's statistics as a JSON object; a NaN or infinite
/// value (min of a tensor without finite values) becomes null.
QJsonObject statisticsToJson(const TensorStatistics &statistics);

} // namespace halfscope
