// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/jsonreport.h"

#include "run/evaluation.h"

#include <QJsonArray>

namespace halfscope {

namespace {

QJsonObject predictionToJson(const ComparisonResult &result, const Prediction &prediction)
{
    QJsonArray top;
    for (size_t i = 0; i < prediction.classes.size(); ++i) {
        top.append(QJsonObject { { QStringLiteral("class"), prediction.classes[i] },
                                 { QStringLiteral("name"), result.className(prediction.classes[i]) },
                                 { QStringLiteral("probability"), double(prediction.probabilities[i]) } });
    }
    return QJsonObject { { QStringLiteral("top"), top } };
}

QJsonObject imageToJson(const ComparisonResult &result, const ImageComparison &image)
{
    QJsonObject object { { QStringLiteral("path"), image.path } };
    if (!image.ok()) {
        object.insert(QStringLiteral("error"), image.error);
        return object;
    }
    if (!image.compared()) {
        object.insert(QStringLiteral("error"), QStringLiteral("not run: the comparison was cancelled"));
        return object;
    }
    object.insert(QStringLiteral("reference"), predictionToJson(result, image.reference));
    object.insert(QStringLiteral("converted"), predictionToJson(result, image.converted));
    object.insert(QStringLiteral("top1_agrees"), image.top1Agrees);
    object.insert(QStringLiteral("non_finite"), image.nonFinite);
    if (image.targetClass >= 0) {
        object.insert(QStringLiteral("target_class"), image.targetClass);
        object.insert(QStringLiteral("target_name"), result.className(image.targetClass));
    }
    object.insert(QStringLiteral("max_abs_logit_delta"), double(image.maxLogitDelta));
    object.insert(QStringLiteral("max_abs_probability_delta"), double(image.maxProbabilityDelta));
    QJsonArray viewDeltas;
    for (float delta : image.viewProbabilityDeltas)
        viewDeltas.append(double(delta));
    object.insert(QStringLiteral("view_max_abs_probability_delta"), viewDeltas);
    return object;
}

QJsonObject settingsToJson(const ComparisonResult &result)
{
    const ComparisonOptions &options = result.options;
    return QJsonObject { { QStringLiteral("model"), result.modelPath },
                         { QStringLiteral("reference_precision"), precisionName(Precision::Float32) },
                         { QStringLiteral("converted_precision"), precisionName(result.precision) },
                         { QStringLiteral("device"), options.device },
                         { QStringLiteral("preprocess"), options.preset.toJson() },
                         { QStringLiteral("tta"), options.tta.spec },
                         { QStringLiteral("tta_views"), options.tta.viewCount() },
                         { QStringLiteral("tta_view_names"), QJsonArray::fromStringList(options.tta.viewNames()) },
                         { QStringLiteral("merge"), mergeModeName(options.tta.merge) },
                         { QStringLiteral("batch_size"), options.batchSize },
                         { QStringLiteral("top_k"), options.topK },
                         { QStringLiteral("memory_format"), memoryFormatName(result.memoryFormat) },
                         { QStringLiteral("intra_op_threads"), result.intraOpThreads } };
}

QJsonObject pipelineToJson(const ComparisonResult &result)
{
    const double modelOnly = result.modelOnlyImagesPerSecond();
    return QJsonObject { { QStringLiteral("decode_total_ms"), result.decodeTotalMs },
                         { QStringLiteral("preprocess_total_ms"), result.preprocessTotalMs },
                         { QStringLiteral("reference_forward_total_ms"), result.referenceTotalMs },
                         { QStringLiteral("converted_forward_total_ms"), result.convertedTotalMs },
                         { QStringLiteral("wall_ms"), result.wallMs },
                         { QStringLiteral("end_to_end_images_per_second"), result.endToEndImagesPerSecond() },
                         { QStringLiteral("model_only_images_per_second"), modelOnly },
                         { QStringLiteral("pipeline_efficiency"),
                           modelOnly > 0.0 ? result.endToEndImagesPerSecond() / modelOnly : 0.0 } };
}

} // namespace

QJsonObject latencyToJson(const LatencyStats &stats, Precision precision)
{
    QJsonArray samples;
    for (double sample : stats.samplesMs)
        samples.append(sample);
    return QJsonObject { { QStringLiteral("precision"), precisionName(precision) },
                         { QStringLiteral("median_ms"), stats.medianMs },
                         { QStringLiteral("p10_ms"), stats.p10Ms },
                         { QStringLiteral("p90_ms"), stats.p90Ms },
                         { QStringLiteral("mean_ms"), stats.meanMs },
                         { QStringLiteral("standard_deviation_ms"), stats.standardDeviationMs },
                         { QStringLiteral("interquartile_range_ms"), stats.interquartileRangeMs },
                         { QStringLiteral("spread_too_wide"), stats.isSpreadTooWide() },
                         { QStringLiteral("images_per_second"), stats.imagesPerSecond() },
                         { QStringLiteral("batch_images"), stats.batchImages },
                         { QStringLiteral("batch_views"), stats.batchViews },
                         { QStringLiteral("warmup_iterations"), stats.warmupIterations },
                         { QStringLiteral("samples_ms"), samples } };
}

QJsonObject comparisonToJson(const ComparisonResult &result)
{
    QJsonArray images;
    for (const ImageComparison &image : result.images)
        images.append(imageToJson(result, image));

    const QJsonObject summary { { QStringLiteral("images"), int(result.images.size()) },
                                { QStringLiteral("compared"), result.comparedCount() },
                                { QStringLiteral("failed"), result.failedCount() },
                                { QStringLiteral("top1_agreements"), result.agreementCount() },
                                { QStringLiteral("non_finite_images"), result.nonFiniteCount() },
                                { QStringLiteral("output_classes"), result.outputClasses },
                                { QStringLiteral("max_abs_logit_delta"), double(result.maxLogitDelta()) },
                                { QStringLiteral("max_abs_probability_delta"),
                                  double(result.maxProbabilityDelta()) },
                                { QStringLiteral("cancelled"), result.cancelled } };

    QJsonObject timing;
    if (!result.referenceLatency.isEmpty()) {
        timing.insert(QStringLiteral("reference"),
                      latencyToJson(result.referenceLatency, Precision::Float32));
        timing.insert(QStringLiteral("converted"),
                      latencyToJson(result.convertedLatency, result.precision));
        const SpeedupEstimate speedup = estimateSpeedup(result.referenceLatency.samplesMs,
                                                        result.convertedLatency.samplesMs);
        if (speedup.isValid()) {
            timing.insert(QStringLiteral("speedup"),
                          QJsonObject { { QStringLiteral("ratio"), speedup.ratio },
                                        { QStringLiteral("ci95_low"), speedup.low },
                                        { QStringLiteral("ci95_high"), speedup.high },
                                        { QStringLiteral("bootstrap_resamples"), speedup.resamples } });
        }
    }
    if (!result.timingError.isEmpty())
        timing.insert(QStringLiteral("error"), result.timingError);

    timing.insert(QStringLiteral("pipeline"), pipelineToJson(result));
    timing.insert(QStringLiteral("memory"),
                  QJsonObject { { QStringLiteral("reference_parameter_bytes"), double(result.referenceParameterBytes) },
                                { QStringLiteral("converted_parameter_bytes"), double(result.convertedParameterBytes) },
                                { QStringLiteral("peak_resident_bytes"), double(result.peakResidentBytes) } });

    QJsonObject evaluation;
    for (const bool converted : { false, true }) {
        const EvaluationSummary summary = evaluate(result, converted);
        if (summary.labelledImages == 0)
            continue;
        evaluation.insert(converted ? QStringLiteral("converted") : QStringLiteral("reference"),
                          QJsonObject { { QStringLiteral("precision"), precisionName(summary.precision) },
                                        { QStringLiteral("labelled_images"), summary.labelledImages },
                                        { QStringLiteral("loss"), summary.loss },
                                        { QStringLiteral("top1_accuracy"), summary.top1Accuracy },
                                        { QStringLiteral("top5_accuracy"), summary.top5Accuracy },
                                        { QStringLiteral("total_forward_ms"), summary.totalMs } });
    }

    return QJsonObject { { QStringLiteral("schema"), QLatin1String(kComparisonSchema) },
                         { QStringLiteral("schema_version"), kComparisonSchemaVersion },
                         { QStringLiteral("settings"), settingsToJson(result) },
                         { QStringLiteral("warnings"), QJsonArray::fromStringList(result.warnings) },
                         { QStringLiteral("summary"), summary },
                         { QStringLiteral("timing"), timing },
                         { QStringLiteral("evaluation"), evaluation },
                         { QStringLiteral("images"), images } };
}

} // namespace halfscope
