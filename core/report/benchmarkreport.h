// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/benchmark.h"

#include <QJsonObject>

namespace halfscope {

/// Identifier and version of the benchmark report's JSON schema, stored in
/// its "schema" field. docs/report-schema.md describes it.
constexpr const char *kBenchmarkSchema = "halfscope.benchmark";
constexpr int kBenchmarkSchemaVersion = 2;

/// Returns the benchmark as JSON: settings, per-precision latency (in
/// milliseconds per forward call, with every sample), throughput, memory in
/// bytes (-1 when unknown), the speed-up interval and the batch-size sweep.
QJsonObject benchmarkToJson(const BenchmarkResult &result);

} // namespace halfscope
