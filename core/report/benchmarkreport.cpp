// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/benchmarkreport.h"

#include "report/jsonreport.h"

#include <QJsonArray>

namespace halfscope {

namespace {

QJsonObject precisionToJson(const BenchmarkResult &result, const PrecisionBenchmark &measured, bool converted)
{
    QJsonObject object = latencyToJson(measured.latency, measured.precision);
    object.insert(QStringLiteral("model_ms_per_image"), measured.modelMsPerImage());
    object.insert(QStringLiteral("preprocess_share"), result.preprocessShare(converted));
    object.insert(QStringLiteral("parameter_bytes"), double(measured.parameterBytes));
    object.insert(QStringLiteral("peak_resident_bytes"), double(measured.peakResidentBytes));
    object.insert(QStringLiteral("cuda_peak_bytes"), double(measured.cudaPeakBytes));
    return object;
}

QJsonArray sweepToJson(const std::vector<BatchSweepPoint> &sweep)
{
    QJsonArray rows;
    for (const BatchSweepPoint &point : sweep) {
        rows.append(QJsonObject { { QStringLiteral("batch_size"), point.batchSize },
                                  { QStringLiteral("reference_median_ms"), point.referenceMedianMs },
                                  { QStringLiteral("converted_median_ms"), point.convertedMedianMs },
                                  { QStringLiteral("reference_images_per_second"), point.referenceImagesPerSecond },
                                  { QStringLiteral("converted_images_per_second"), point.convertedImagesPerSecond },
                                  { QStringLiteral("iterations"), point.iterations } });
    }
    return rows;
}

} // namespace

QJsonObject benchmarkToJson(const BenchmarkResult &result)
{
    const QJsonObject settings { { QStringLiteral("model"), result.modelPath },
                                 { QStringLiteral("device"), result.device },
                                 { QStringLiteral("intra_op_threads"), result.intraOpThreads },
                                 { QStringLiteral("batch_size"), result.batchSize },
                                 { QStringLiteral("memory_format"), memoryFormatName(result.memoryFormat) },
                                 { QStringLiteral("block_size"), result.blockSize },
                                 { QStringLiteral("input"), result.inputDescription },
                                 { QStringLiteral("input_width"), result.inputWidth },
                                 { QStringLiteral("input_height"), result.inputHeight },
                                 { QStringLiteral("warmup_iterations"), result.reference.latency.warmupIterations } };
    QJsonObject object { { QStringLiteral("schema"), QLatin1String(kBenchmarkSchema) },
                         { QStringLiteral("schema_version"), kBenchmarkSchemaVersion },
                         { QStringLiteral("settings"), settings },
                         { QStringLiteral("reference"), precisionToJson(result, result.reference, false) },
                         { QStringLiteral("converted"), precisionToJson(result, result.converted, true) },
                         { QStringLiteral("decode_ms_per_image"), result.decodeMsPerImage },
                         { QStringLiteral("preprocess_ms_per_image"), result.preprocessMsPerImage },
                         { QStringLiteral("sweep"), sweepToJson(result.sweep) },
                         { QStringLiteral("warnings"), QJsonArray::fromStringList(result.warnings) },
                         { QStringLiteral("cancelled"), result.cancelled } };
    if (result.speedup.isValid()) {
        object.insert(QStringLiteral("speedup"),
                      QJsonObject { { QStringLiteral("ratio"), result.speedup.ratio },
                                    { QStringLiteral("ci95_low"), result.speedup.low },
                                    { QStringLiteral("ci95_high"), result.speedup.high },
                                    { QStringLiteral("bootstrap_resamples"), result.speedup.resamples } });
    }
    if (!result.slowdownExplanation.isEmpty())
        object.insert(QStringLiteral("slowdown_explanation"), result.slowdownExplanation);
    return object;
}

} // namespace halfscope
