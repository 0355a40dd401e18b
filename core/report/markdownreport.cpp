// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/markdownreport.h"

#include "report/atomicfile.h"
#include "run/evaluation.h"

#include <QFileInfo>

#include <cmath>

namespace halfscope {

namespace {

/// Escapes the characters that end a table cell or start Markdown markup.
QString cell(QString text)
{
    text.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    text.replace(QLatin1Char('|'), QLatin1String("\\|"));
    text.replace(QLatin1Char('*'), QLatin1String("\\*"));
    text.replace(QLatin1Char('_'), QLatin1String("\\_"));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

QString row(const QStringList &cells)
{
    return QStringLiteral("| ") + cells.join(QLatin1String(" | ")) + QStringLiteral(" |\n");
}

QString tableHeader(const QStringList &columns, const QString &alignments)
{
    QStringList rule;
    for (const QChar alignment : alignments)
        rule << (alignment == QLatin1Char('r') ? QStringLiteral("---:") : QStringLiteral("---"));
    return row(columns) + row(rule);
}

QString drift(double value)
{
    return std::isnan(value) ? QStringLiteral("NaN") : QString::number(value, 'g', 3);
}

QString milliseconds(double value)
{
    return QString::number(value, 'f', value < 10.0 ? 2 : 1);
}

QString settingsSection(const ComparisonResult &result)
{
    const ComparisonOptions &options = result.options;
    QString text = QStringLiteral("## Settings\n\n");
    text += tableHeader({ QStringLiteral("Setting"), QStringLiteral("Value") }, QStringLiteral("ll"));
    text += row({ QStringLiteral("Model"), cell(result.modelPath) });
    text += row({ QStringLiteral("Precisions"),
                  QStringLiteral("float32 (reference) and %1").arg(precisionName(result.precision)) });
    text += row({ QStringLiteral("Device"), QStringLiteral("%1, %2 intra-op threads").arg(options.device).arg(result.intraOpThreads) });
    text += row({ QStringLiteral("Input memory format"), memoryFormatLabel(result.memoryFormat) });
    text += row({ QStringLiteral("Preprocessing"), cell(options.preset.name + QStringLiteral(": ") + options.preset.describe()) });
    const int views = options.tta.viewCount();
    text += row({ QStringLiteral("TTA"),
                  cell(QStringLiteral("%1 (%2 %3, %4)")
                           .arg(options.tta.spec)
                           .arg(views)
                           .arg(views == 1 ? QStringLiteral("view") : QStringLiteral("views"))
                           .arg(mergeModeName(options.tta.merge))) });
    text += row({ QStringLiteral("Batch size"), QString::number(options.batchSize) });
    text += row({ QStringLiteral("Images"), QStringLiteral("%1 compared, %2 failed%3")
                                                .arg(result.comparedCount())
                                                .arg(result.failedCount())
                                                .arg(result.cancelled ? QStringLiteral(", cancelled") : QString()) });
    return text + QLatin1Char('\n');
}

QString driftSection(const ComparisonResult &result)
{
    const int compared = result.comparedCount();
    QString text = QStringLiteral("## Agreement and drift\n\n");
    if (compared == 0)
        return text + QStringLiteral("No image was compared.\n\n");
    text += QStringLiteral("- Top-1 agreement: %1 of %2 (%3%)\n")
                .arg(result.agreementCount())
                .arg(compared)
                .arg(100.0 * result.agreementCount() / compared, 0, 'f', 1);
    text += QStringLiteral("- Max |Δ logit|: %1\n").arg(drift(double(result.maxLogitDelta())));
    text += QStringLiteral("- Max |Δ probability|: %1\n").arg(drift(double(result.maxProbabilityDelta())));
    if (result.nonFiniteCount() > 0) {
        text += QStringLiteral("- **Warning:** %1 images gave NaN or infinite outputs in %2 (an "
                               "activation overflowed, float16 stops at 65504).\n")
                    .arg(result.nonFiniteCount())
                    .arg(precisionName(result.precision));
    }
    return text + QLatin1Char('\n');
}

QString timingSection(const ComparisonResult &result, const MarkdownReportOptions &options)
{
    QString text = QStringLiteral("## Timing\n\n");
    if (!result.timingError.isEmpty())
        return text + cell(result.timingError) + QStringLiteral("\n\n");
    if (result.referenceLatency.isEmpty())
        return text + QStringLiteral("Timing was skipped.\n\n");
    const LatencyStats &reference = result.referenceLatency;
    text += QStringLiteral("Per forward call of %1 images (%2 model inputs), %3 timed calls per "
                           "precision after %4 warm-up %5, alternating, in milliseconds:\n\n")
                .arg(reference.batchImages)
                .arg(reference.batchViews)
                .arg(reference.samplesMs.size())
                .arg(reference.warmupIterations)
                .arg(reference.warmupIterations == 1 ? QStringLiteral("call") : QStringLiteral("calls"));
    text += tableHeader({ QStringLiteral("Precision"), QStringLiteral("Median"), QStringLiteral("p10"),
                          QStringLiteral("p90"), QStringLiteral("Mean"), QStringLiteral("Std"),
                          QStringLiteral("Images/s") },
                        QStringLiteral("lrrrrrr"));
    for (auto [stats, precision] : { std::pair { &result.referenceLatency, Precision::Float32 },
                                     std::pair { &result.convertedLatency, result.precision } }) {
        text += row({ precisionName(precision), milliseconds(stats->medianMs), milliseconds(stats->p10Ms),
                      milliseconds(stats->p90Ms), milliseconds(stats->meanMs),
                      milliseconds(stats->standardDeviationMs), QString::number(stats->imagesPerSecond(), 'f', 1) });
    }
    const SpeedupEstimate speedup = estimateSpeedup(reference.samplesMs, result.convertedLatency.samplesMs);
    if (speedup.isValid()) {
        text += QStringLiteral("\nSpeed-up float32 / %1: %2x, 95% bootstrap interval %3-%4 over %5 paired calls.\n")
                    .arg(precisionName(result.precision))
                    .arg(speedup.ratio, 0, 'f', 2)
                    .arg(speedup.low, 0, 'f', 2)
                    .arg(speedup.high, 0, 'f', 2)
                    .arg(reference.samplesMs.size());
    }
    for (auto [stats, precision] : { std::pair { &result.referenceLatency, Precision::Float32 },
                                     std::pair { &result.convertedLatency, result.precision } }) {
        if (stats->isSpreadTooWide()) {
            text += QStringLiteral("\n**Warning:** the %1 timings spread widely (interquartile range "
                                   "%2% of the median), so the comparison is uncertain.\n")
                        .arg(precisionName(precision))
                        .arg(100.0 * stats->interquartileRangeMs / stats->medianMs, 0, 'f', 0);
        }
    }
    if (!options.slowdownExplanation.isEmpty())
        text += QLatin1Char('\n') + cell(options.slowdownExplanation) + QLatin1Char('\n');
    return text + QLatin1Char('\n');
}

QString pipelineSection(const ComparisonResult &result)
{
    QString text = QStringLiteral("## Where the time went\n\n");
    text += QStringLiteral("Over the whole comparison (decoding runs on a prefetch thread and "
                           "overlaps the forward calls):\n\n");
    text += tableHeader({ QStringLiteral("Step"), QStringLiteral("Total (ms)") }, QStringLiteral("lr"));
    text += row({ QStringLiteral("Reading and decoding files"), milliseconds(result.decodeTotalMs) });
    text += row({ QStringLiteral("Preprocessing"), milliseconds(result.preprocessTotalMs) });
    text += row({ QStringLiteral("float32 forward calls"), milliseconds(result.referenceTotalMs) });
    text += row({ precisionName(result.precision) + QStringLiteral(" forward calls"), milliseconds(result.convertedTotalMs) });
    text += row({ QStringLiteral("Wall time"), milliseconds(result.wallMs) });
    const double modelOnly = result.modelOnlyImagesPerSecond();
    if (modelOnly > 0.0) {
        text += QStringLiteral("\nEnd to end %1 images/s, forward calls alone %2 images/s: "
                               "pipeline efficiency %3.\n")
                    .arg(result.endToEndImagesPerSecond(), 0, 'f', 1)
                    .arg(modelOnly, 0, 'f', 1)
                    .arg(result.endToEndImagesPerSecond() / modelOnly, 0, 'f', 2);
    }
    return text + QLatin1Char('\n');
}

QString evaluationSection(const ComparisonResult &result)
{
    const EvaluationSummary reference = evaluate(result, false);
    if (reference.labelledImages == 0)
        return QString();
    QString text = QStringLiteral("## Evaluation\n\nOn %1 labelled images; time is the sum of the "
                                  "comparison's forward calls.\n\n")
                       .arg(reference.labelledImages);
    text += tableHeader({ QStringLiteral("Mode"), QStringLiteral("Time (s)"), QStringLiteral("Loss"),
                          QStringLiteral("Accuracy"), QStringLiteral("Top-5 accuracy") },
                        QStringLiteral("lrrrr"));
    for (const EvaluationSummary &summary : { reference, evaluate(result, true) }) {
        text += row({ precisionName(summary.precision), QString::number(summary.totalMs / 1000.0, 'f', 2),
                      QString::number(summary.loss, 'f', 4),
                      QString::number(100.0 * summary.top1Accuracy, 'f', 1) + QLatin1Char('%'),
                      QString::number(100.0 * summary.top5Accuracy, 'f', 1) + QLatin1Char('%') });
    }
    return text + QLatin1Char('\n');
}

QString top1(const ComparisonResult &result, const Prediction &prediction)
{
    return cell(QStringLiteral("%1 (%2)")
                    .arg(result.className(prediction.top1()))
                    .arg(double(prediction.top1Probability()), 0, 'f', 3));
}

QString imagesSection(const ComparisonResult &result)
{
    QString text = QStringLiteral("## Images\n\n");
    text += tableHeader({ QStringLiteral("Image"), QStringLiteral("float32 top-1"),
                          precisionName(result.precision) + QStringLiteral(" top-1"), QStringLiteral("Agree"),
                          QStringLiteral("Max \\|Δ logit\\|"), QStringLiteral("Max \\|Δ prob\\|") },
                        QStringLiteral("llllrr"));
    for (const ImageComparison &image : result.images) {
        const QString name = cell(QFileInfo(image.path).fileName());
        if (!image.compared()) {
            const QString status = image.ok() ? QStringLiteral("not run") : QStringLiteral("failed: ") + cell(image.error);
            text += row({ name, status, QString(), QString(), QString(), QString() });
            continue;
        }
        text += row({ name, top1(result, image.reference), top1(result, image.converted),
                      image.top1Agrees ? QStringLiteral("yes") : QStringLiteral("**no**"),
                      drift(double(image.maxLogitDelta)), drift(double(image.maxProbabilityDelta)) });
    }
    return text + QLatin1Char('\n');
}

QString plotsSection(const MarkdownReportOptions &options)
{
    QString text = QStringLiteral("## Plots\n\n");
    if (options.plotFiles.isEmpty())
        return text + (options.plotsNote.isEmpty() ? QStringLiteral("None.") : cell(options.plotsNote)) + QStringLiteral("\n");
    // One entry per plot: a PNG or SVG is shown as an image (PDF cannot
    // be), and every other format is linked below it.
    QStringList baseNames;
    for (const QString &file : options.plotFiles) {
        const QString baseName = QFileInfo(file).completeBaseName();
        if (!baseNames.contains(baseName))
            baseNames << baseName;
    }
    for (const QString &baseName : std::as_const(baseNames)) {
        QStringList files;
        for (const QString &file : options.plotFiles) {
            if (QFileInfo(file).completeBaseName() == baseName)
                files << file;
        }
        QString shownFile;
        for (const QString &suffix : { QStringLiteral("png"), QStringLiteral("svg") }) {
            for (const QString &file : std::as_const(files)) {
                if (shownFile.isEmpty() && QFileInfo(file).suffix().compare(suffix, Qt::CaseInsensitive) == 0)
                    shownFile = file;
            }
        }
        if (!shownFile.isEmpty())
            text += QStringLiteral("![%1](%2)\n\n").arg(cell(baseName), shownFile);
        QStringList links;
        for (const QString &file : std::as_const(files)) {
            if (file != shownFile)
                links << QStringLiteral("[%1](%2)").arg(cell(file), file);
        }
        if (!links.isEmpty())
            text += (shownFile.isEmpty() ? QString() : QStringLiteral("Also as ")) + links.join(QStringLiteral(", "))
                + QStringLiteral("\n\n");
    }
    return text;
}

} // namespace

QString comparisonToMarkdown(const ComparisonResult &result, const MarkdownReportOptions &options)
{
    QString text = QStringLiteral("# HalfScope comparison: %1\n\n").arg(cell(QFileInfo(result.modelPath).fileName()));
    for (const QString &warning : result.warnings)
        text += QStringLiteral("- **Warning:** %1\n").arg(cell(warning));
    if (!result.warnings.isEmpty())
        text += QLatin1Char('\n');
    text += settingsSection(result);
    text += driftSection(result);
    text += evaluationSection(result);
    text += timingSection(result, options);
    text += pipelineSection(result);
    text += imagesSection(result);
    text += plotsSection(options);
    return text;
}

void writeComparisonMarkdown(const ComparisonResult &result, const QString &path,
                             const MarkdownReportOptions &options)
{
    writeFileAtomically(path, comparisonToMarkdown(result, options).toUtf8());
}

} // namespace halfscope
