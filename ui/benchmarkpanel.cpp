// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchmarkpanel.h"

#include "plots/batchsweepplot.h"
#include "presets/presetstore.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace halfscope {

namespace {

const char *const kBatchKey = "benchmark/batch";
const char *const kWarmupKey = "benchmark/warmup";
const char *const kIterationsKey = "benchmark/iterations";
const char *const kSweepKey = "benchmark/sweep";
const char *const kSweepIterationsKey = "benchmark/sweepIterations";

QString idleText()
{
    return BenchmarkPanel::tr("Times the FP32 and the converted model alone, without decoding or "
                              "comparing outputs. Open a model, then press Run benchmark; it "
                              "converts the model first when needed.");
}

/// Formats milliseconds with 2 decimals below 10 ms, 1 below 100 ms and none above.
QString formatMs(double ms)
{
    int decimals = 0;
    if (ms < 10.0)
        decimals = 2;
    else if (ms < 100.0)
        decimals = 1;
    return QLocale::c().toString(ms, 'f', decimals);
}

/// Formats bytes in SI units, such as "4.2 MB", or returns "unknown" for a negative value.
QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return BenchmarkPanel::tr("unknown");
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString latencyRow(const PrecisionBenchmark &measured, bool showCuda)
{
    const LatencyStats &latency = measured.latency;
    QString row = QStringLiteral("<tr><td>%1</td>").arg(precisionLabel(measured.precision));
    for (double ms : { latency.medianMs, latency.p10Ms, latency.p90Ms, latency.meanMs, latency.standardDeviationMs })
        row += QStringLiteral("<td align='right'>%1</td>").arg(formatMs(ms));
    row += QStringLiteral("<td align='right'>%1</td><td align='right'>%2</td><td align='right'>%3</td>")
               .arg(QLocale::c().toString(measured.imagesPerSecond(), 'f', 1),
                    formatBytes(measured.parameterBytes), formatBytes(measured.peakResidentBytes));
    if (showCuda)
        row += QStringLiteral("<td align='right'>%1</td>").arg(formatBytes(measured.cudaPeakBytes));
    return row + QStringLiteral("</tr>");
}

QString latencyTable(const BenchmarkResult &result)
{
    const bool showCuda = result.reference.cudaPeakBytes >= 0 || result.converted.cudaPeakBytes >= 0;
    QString table = BenchmarkPanel::tr(
        "<table cellspacing='0' cellpadding='3'><tr><th align='left'>Model</th><th>Median (ms)</th>"
        "<th>p10 (ms)</th><th>p90 (ms)</th><th>Mean (ms)</th><th>Std (ms)</th><th>Images/s</th>"
        "<th>Parameters</th><th>Peak RSS</th>");
    if (showCuda)
        table += BenchmarkPanel::tr("<th>CUDA peak</th>");
    table += QStringLiteral("</tr>");
    table += latencyRow(result.reference, showCuda);
    table += latencyRow(result.converted, showCuda);
    return table + QStringLiteral("</table>");
}

QString setupText(const BenchmarkResult &result)
{
    return BenchmarkPanel::tr("<b>Setup:</b> batch of %1 on %2 (%3×%4 input from %5, %9), %6 "
                              "warm-up and %7 timed calls per model, alternating, %8 intra-op "
                              "thread(s). Latency is per forward call of the batch.")
        .arg(result.batchSize)
        .arg(result.device.toUpper())
        .arg(result.inputWidth)
        .arg(result.inputHeight)
        .arg(result.inputDescription.toHtmlEscaped())
        .arg(result.reference.latency.warmupIterations)
        .arg(result.reference.latency.samplesMs.size())
        .arg(result.intraOpThreads)
        .arg(memoryFormatName(result.memoryFormat));
}

QString speedupText(const BenchmarkResult &result)
{
    const QString converted = precisionLabel(result.converted.precision);
    if (!result.speedup.isValid()) {
        return BenchmarkPanel::tr("<b>Speed-up FP32 / %1:</b> not measured, because the timing "
                                  "was cancelled before it finished.")
            .arg(converted);
    }
    const QString verdict = result.speedup.ratio >= 1.0 ? BenchmarkPanel::tr("faster")
                                                         : BenchmarkPanel::tr("slower");
    return BenchmarkPanel::tr("<b>Speed-up FP32 / %1:</b> %2x (%1 is %3), 95% bootstrap interval "
                              "%4–%5x over %6 paired calls.")
        .arg(converted, QLocale::c().toString(result.speedup.ratio, 'f', 2), verdict,
             QLocale::c().toString(result.speedup.low, 'f', 2),
             QLocale::c().toString(result.speedup.high, 'f', 2))
        .arg(result.reference.latency.samplesMs.size());
}

QString preprocessText(const BenchmarkResult &result)
{
    if (result.decodeMsPerImage <= 0.0 && result.preprocessMsPerImage <= 0.0)
        return BenchmarkPanel::tr("<b>Decode and preprocessing:</b> not measured (random input).");
    return BenchmarkPanel::tr("<b>Decode and preprocessing:</b> %1 ms and %2 ms per image, "
                              "%3% of the end-to-end time per image with FP32 and %4% with %5.")
        .arg(formatMs(result.decodeMsPerImage), formatMs(result.preprocessMsPerImage),
             QLocale::c().toString(100.0 * result.preprocessShare(false), 'f', 0),
             QLocale::c().toString(100.0 * result.preprocessShare(true), 'f', 0),
             precisionLabel(result.converted.precision));
}

QString sweepText(const BenchmarkResult &result)
{
    if (result.sweep.empty())
        return BenchmarkPanel::tr("<b>Batch-size sweep:</b> none; enter batch sizes such as 1,2,4,8 to run one.");
    return BenchmarkPanel::tr("<b>Batch-size sweep:</b> %n batch size(s), %1 timed calls per size "
                              "and model; see the plot below.",
                              nullptr, int(result.sweep.size()))
        .arg(result.sweep.front().iterations);
}

/// Returns the rich text of the summary beside the sweep plot.
QString summaryHtml(const BenchmarkResult &result)
{
    QString text;
    if (result.cancelled) {
        text += BenchmarkPanel::tr("<span style='color:#b02020'><b>Cancelled.</b> The figures below "
                                   "cover the calls made before the cancel.</span><br>");
    }
    text += setupText(result);
    if (!result.reference.latency.isEmpty())
        text += latencyTable(result);
    else
        text += BenchmarkPanel::tr("<br>No timed calls finished.");
    text += QStringLiteral("<br>") + speedupText(result);
    text += QStringLiteral("<br>") + preprocessText(result);
    text += QStringLiteral("<br>") + sweepText(result);
    if (!result.slowdownExplanation.isEmpty())
        text += QStringLiteral("<br><i>%1</i>").arg(result.slowdownExplanation.toHtmlEscaped());
    for (const QString &warning : result.warnings)
        text += QStringLiteral("<br><span style='color:#805000'>%1</span>").arg(warning.toHtmlEscaped());
    return text;
}

QLabel *buddyLabel(const QString &text, QWidget *field)
{
    auto *label = new QLabel(text);
    label->setBuddy(field);
    return label;
}

QSpinBox *createSpin(const QString &objectName, int minimum, int maximum, int value, const QString &toolTip)
{
    auto *spin = new QSpinBox;
    spin->setObjectName(objectName);
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    spin->setToolTip(toolTip);
    return spin;
}

} // namespace

BenchmarkPanel::BenchmarkPanel(QWidget *parent)
    : QWidget(parent)
{
    m_summaryLabel = new QLabel(idleText());
    m_summaryLabel->setObjectName(QStringLiteral("benchmarkSummaryLabel"));
    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextFormat(Qt::RichText);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summaryLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto *summaryArea = new QScrollArea;
    summaryArea->setWidget(m_summaryLabel);
    summaryArea->setWidgetResizable(true);
    summaryArea->setFrameShape(QFrame::NoFrame);

    m_sweepPlot = new BatchSweepPlot;
    m_sweepPlot->setObjectName(QStringLiteral("batchSweepPlot"));

    // The results pane is wide and short, so the summary and the plot sit
    // side by side and both get its full height.
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(summaryArea);
    splitter->addWidget(m_sweepPlot);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createSettingsGrid());
    layout->addWidget(splitter, 1);
}

QWidget *BenchmarkPanel::createSettingsGrid()
{
    m_batchSpin = createSpin(QStringLiteral("benchmarkBatchSpin"), 1, 4096, 8,
                             tr("Inputs per timed forward call"));
    m_batchSpin->setSuffix(tr(" images"));
    m_warmupSpin = createSpin(QStringLiteral("benchmarkWarmupSpin"), 0, 1000, 3,
                              tr("Untimed forward calls per model before timing; at least one runs, "
                                 "because it measures memory"));
    m_iterationsSpin = createSpin(QStringLiteral("benchmarkIterationsSpin"), 2, 10000, 20,
                                  tr("Timed forward calls per model, alternating between the models"));
    m_sweepEdit = new QLineEdit(QStringLiteral("1,2,4,8,16"));
    m_sweepEdit->setObjectName(QStringLiteral("benchmarkSweepEdit"));
    m_sweepEdit->setPlaceholderText(tr("none"));
    m_sweepEdit->setToolTip(tr("Batch sizes timed after the main timing, separated by commas, "
                               "such as 1,2,4,8,16; leave empty for no sweep"));
    m_sweepIterationsSpin = createSpin(QStringLiteral("benchmarkSweepIterationsSpin"), 1, 10000, 10,
                                       tr("Timed forward calls per model and sweep batch size"));
    m_runButton = new QPushButton(tr("Run benchmark"));
    m_runButton->setObjectName(QStringLiteral("benchmarkRunButton"));
    connect(m_runButton, &QPushButton::clicked, this, &BenchmarkPanel::runRequested);
    connect(m_sweepEdit, &QLineEdit::returnPressed, this, [this] {
        if (m_runButton->isEnabled())
            Q_EMIT runRequested();
    });

    // Row 0 sets the main timing and row 1 the sweep. The button spans both.
    auto *settings = new QWidget;
    auto *layout = new QGridLayout(settings);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buddyLabel(tr("Batch:"), m_batchSpin), 0, 0);
    layout->addWidget(m_batchSpin, 0, 1);
    layout->addWidget(buddyLabel(tr("Warm-up calls:"), m_warmupSpin), 0, 2);
    layout->addWidget(m_warmupSpin, 0, 3);
    layout->addWidget(buddyLabel(tr("Timed calls:"), m_iterationsSpin), 0, 4);
    layout->addWidget(m_iterationsSpin, 0, 5);
    layout->addWidget(buddyLabel(tr("Sweep batch sizes:"), m_sweepEdit), 1, 0);
    layout->addWidget(m_sweepEdit, 1, 1, 1, 3);
    layout->addWidget(buddyLabel(tr("Calls per size:"), m_sweepIterationsSpin), 1, 4);
    layout->addWidget(m_sweepIterationsSpin, 1, 5);
    layout->addWidget(m_runButton, 0, 6, 2, 1);
    for (int column : { 1, 3, 5 })
        layout->setColumnStretch(column, 1);
    return settings;
}

BenchmarkOptions BenchmarkPanel::options() const
{
    BenchmarkOptions options;
    options.batchSize = m_batchSpin->value();
    options.warmupIterations = m_warmupSpin->value();
    options.timedIterations = m_iterationsSpin->value();
    options.sweepIterations = m_sweepIterationsSpin->value();
    const QString sweep = m_sweepEdit->text().trimmed();
    if (!sweep.isEmpty())
        options.sweepBatchSizes = parseBatchSizes(sweep);
    return options;
}

void BenchmarkPanel::setRunEnabled(bool enabled, const QString &toolTip)
{
    m_runButton->setEnabled(enabled);
    m_runButton->setToolTip(toolTip);
}

void BenchmarkPanel::showRunning(const QString &inputDescription)
{
    clearResult();
    m_summaryLabel->setText(tr("Benchmarking on %1… results appear when the run ends or is cancelled.")
                                .arg(inputDescription.toHtmlEscaped()));
}

void BenchmarkPanel::setResult(const BenchmarkResult &result)
{
    m_result = result;
    m_hasResult = true;
    m_summaryLabel->setText(summaryHtml(result));
    if (result.sweep.empty())
        m_sweepPlot->clearPoints();
    else
        m_sweepPlot->setPoints(result.sweep, result.converted.precision);
}

void BenchmarkPanel::clearResult()
{
    m_result = BenchmarkResult();
    m_hasResult = false;
    m_summaryLabel->setText(idleText());
    m_sweepPlot->clearPoints();
}

void BenchmarkPanel::saveSettings(PresetStore &store) const
{
    store.setRunSetting(QLatin1String(kBatchKey), m_batchSpin->value());
    store.setRunSetting(QLatin1String(kWarmupKey), m_warmupSpin->value());
    store.setRunSetting(QLatin1String(kIterationsKey), m_iterationsSpin->value());
    store.setRunSetting(QLatin1String(kSweepKey), m_sweepEdit->text());
    store.setRunSetting(QLatin1String(kSweepIterationsKey), m_sweepIterationsSpin->value());
}

void BenchmarkPanel::restoreSettings(const PresetStore &store)
{
    m_batchSpin->setValue(store.runSetting(QLatin1String(kBatchKey), m_batchSpin->value()).toInt());
    m_warmupSpin->setValue(store.runSetting(QLatin1String(kWarmupKey), m_warmupSpin->value()).toInt());
    m_iterationsSpin->setValue(store.runSetting(QLatin1String(kIterationsKey), m_iterationsSpin->value()).toInt());
    m_sweepEdit->setText(store.runSetting(QLatin1String(kSweepKey), m_sweepEdit->text()).toString());
    m_sweepIterationsSpin->setValue(
        store.runSetting(QLatin1String(kSweepIterationsKey), m_sweepIterationsSpin->value()).toInt());
}

} // namespace halfscope
