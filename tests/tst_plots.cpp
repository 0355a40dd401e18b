// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "model/model.h"
#include "plots/batchsweepplot.h"
#include "plots/drifthistogramplot.h"
#include "plots/imagedriftplot.h"
#include "plots/latencydistributionplot.h"
#include "plots/probabilityscatterplot.h"
#include "plots/speedupplot.h"
#include "plots/viewdriftplot.h"
#include "qcustomplotinclude.h"
#include "run/batchsweep.h"
#include "run/comparison.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace halfscope;

namespace {

/// Returns the text of every element of an SVG document, and the root element's name.
QStringList svgTexts(const QByteArray &svg, QString *rootName, QString *error)
{
    QXmlStreamReader reader(svg);
    QStringList texts;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && rootName->isEmpty())
            *rootName = reader.name().toString();
        if (reader.isCharacters() && !reader.isWhitespace())
            texts << reader.text().toString();
    }
    if (reader.hasError())
        *error = reader.errorString();
    return texts;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

} // namespace

class TestPlots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void driftHistogramCountsEveryDelta();
    void driftHistogramTogglesLogCount();
    void scatterHasPointPerImage();
    void scatterShowsAllClasses();
    void imageDriftSortsDescending();
    void imageDriftToolTipNamesFile();
    void viewDriftHasBoxPerView();
    void viewDriftLegendAvoidsBoxes();
    void longTitleWrapsToFit();
    void latencyHasEveryTimedRun();
    void latencyLegendNamesOutliers();
    void speedupShowsBootstrapInterval();
    void batchSweepPlotsEveryBatchSize();
    void resetViewRestoresRanges();
    void exportsPng();
    void exportsPdf();
    void exportsSvg();
    void exportFailsInUnwritableFolder();
    void exportRejectsInvalidSize();
    void clearResultEmptiesPlots();

private:
    Model m_reference;
    Model m_converted;
    ComparisonResult m_result;
    std::vector<BatchSweepPoint> m_sweep;
    int m_timedRuns = 3;
};

void TestPlots::initTestCase()
{
    m_reference = Model::load(test::demoModel());
    m_converted = m_reference.convertedTo(Precision::Float16);
    ComparisonOptions options;
    options.preset = *m_reference.embeddedPreset();
    options.classNames = m_reference.classNames();
    options.tta = TtaPlan::parse(QStringLiteral("hflip"));
    options.timedIterations = m_timedRuns;
    m_result = compareModels(m_reference, m_converted, test::demoPhotos(), options);
    QCOMPARE(m_result.comparedCount(), 5);
    QCOMPARE(int(m_result.referenceLatency.samplesMs.size()), m_timedRuns);

    // Batch sweep from real timed forward calls: the comparison times its
    // first full batch, so b images at a batch size of b time b images.
    ComparisonOptions sweepOptions;
    sweepOptions.preset = options.preset;
    sweepOptions.timedIterations = 2;
    for (int batchSize : { 1, 2, 4 }) {
        sweepOptions.batchSize = batchSize;
        const QStringList photos = test::demoPhotos().mid(0, batchSize);
        const ComparisonResult run = compareModels(m_reference, m_converted, photos, sweepOptions);
        QCOMPARE(run.referenceLatency.batchImages, batchSize);
        m_sweep.push_back({ batchSize, run.referenceLatency.medianMs, run.convertedLatency.medianMs,
                            run.referenceLatency.imagesPerSecond(), run.convertedLatency.imagesPerSecond() });
    }
}

void TestPlots::driftHistogramCountsEveryDelta()
{
    DriftHistogramPlot plot;
    plot.setResult(m_result);
    double expected = 0.0;
    int finite = 0;
    for (const ImageComparison &image : m_result.images) {
        for (float delta : image.probabilityDeltas) {
            expected += std::isfinite(delta) && delta > 0.0f ? 1.0 : 0.0;
            finite += std::isfinite(delta) ? 1 : 0;
        }
    }
    QCOMPARE(finite, m_result.comparedCount() * m_result.outputClasses);
    QVERIFY(expected > 0.0);
    QCOMPARE(plot.plottedCount(), expected);
    QVERIFY2(plot.titleText().contains(QStringLiteral("(%1 values").arg(finite)), qPrintable(plot.titleText()));
}

void TestPlots::driftHistogramTogglesLogCount()
{
    DriftHistogramPlot plot;
    plot.setResult(m_result);
    const double count = plot.plottedCount();
    QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    QCOMPARE(plot.plot()->yAxis->range().lower, 0.0);

    plot.logCountAction()->trigger();
    QVERIFY(plot.isLogCount());
    QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QVERIFY(plot.plot()->yAxis->range().lower > 0.0);
    QCOMPARE(plot.plottedCount(), count);

    plot.logCountAction()->trigger();
    QVERIFY(!plot.isLogCount());
    QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    QCOMPARE(plot.plottedCount(), count);
}

void TestPlots::scatterHasPointPerImage()
{
    ProbabilityScatterPlot plot;
    plot.setResult(m_result);
    QCOMPARE(plot.pointCount(), m_result.comparedCount());
    QVERIFY(plot.plot()->yAxis->label().contains(QLatin1String("FP16")));

    // The identity line runs from (0, 0) to (1, 1).
    QCPGraph *identity = plot.plot()->graph(0);
    QCOMPARE(identity->dataCount(), 2);
    QCOMPARE(identity->data()->at(1)->key, 1.0);
    QCOMPARE(identity->data()->at(1)->value, 1.0);
}

void TestPlots::scatterShowsAllClasses()
{
    ProbabilityScatterPlot plot;
    plot.setResult(m_result);
    plot.allClassesAction()->trigger();
    QVERIFY(plot.showsAllClasses());
    QCOMPARE(m_result.outputClasses, 1000);
    QCOMPARE(plot.pointCount(), m_result.comparedCount() * m_result.outputClasses);

    plot.allClassesAction()->trigger();
    QCOMPARE(plot.pointCount(), m_result.comparedCount());
}

void TestPlots::imageDriftSortsDescending()
{
    ImageDriftPlot plot;
    plot.setResult(m_result);
    QCOMPARE(plot.barCount(), m_result.comparedCount());
    const QVector<double> values = plot.plottedValues();
    for (int index = 1; index < values.size(); ++index)
        QVERIFY2(values[index - 1] >= values[index], qPrintable(QStringLiteral("bar %1").arg(index)));
    QCOMPARE(values.first(), double(m_result.maxProbabilityDelta()));
    QStringList paths = plot.plottedPaths();
    paths.sort();
    QCOMPARE(paths, test::demoPhotos());

    plot.logitDriftAction()->trigger();
    QCOMPARE(plot.barCount(), m_result.comparedCount());
    QCOMPARE(plot.plottedValues().first(), double(m_result.maxLogitDelta()));
}

void TestPlots::imageDriftToolTipNamesFile()
{
    ImageDriftPlot plot;
    plot.resize(800, 500);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.setResult(m_result);
    plot.plot()->replot();
    QCPBars *bars = qobject_cast<QCPBars *>(plot.plot()->plottable(0));
    QVERIFY(bars);
    // The middle of the first (largest) bar.
    const double x = plot.plot()->xAxis->coordToPixel(1.0);
    const double y = plot.plot()->yAxis->coordToPixel(plot.plottedValues().first() / 2.0);
    const QString text = plot.toolTipAt(QPointF(x, y));
    QVERIFY2(text.contains(QFileInfo(plot.plottedPaths().first()).fileName()), qPrintable(text));
    QVERIFY(plot.toolTipAt(QPointF(2, 2)).isEmpty());
}

void TestPlots::viewDriftHasBoxPerView()
{
    ViewDriftPlot plot;
    plot.setResult(m_result);
    QCOMPARE(plot.boxCount(), m_result.options.tta.viewCount());
    QCOMPARE(plot.boxCount(), 2);
    QCOMPARE(plot.viewNames(), m_result.options.tta.viewNames());
    QCOMPARE(plot.pointCount(), m_result.comparedCount() * 2);
}

void TestPlots::viewDriftLegendAvoidsBoxes()
{
    ViewDriftPlot plot;
    plot.resize(640, 420);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.setResult(m_result);
    QCustomPlot *customPlot = plot.plot();
    customPlot->replot();

    const QRect legend = customPlot->legend->outerRect();
    const QRect axisRect = customPlot->axisRect()->rect();
    QVERIFY(legend.isValid());
    QVERIFY2(!legend.intersects(axisRect), "the legend lies inside the axis rect");
    auto *boxes = qobject_cast<QCPStatisticalBox *>(customPlot->plottable(0));
    QVERIFY(boxes);
    QCOMPARE(boxes->dataCount(), 2);
    for (int index = 0; index < boxes->dataCount(); ++index) {
        const auto box = boxes->data()->at(index);
        const QRectF pixels(QPointF(customPlot->xAxis->coordToPixel(box->key - boxes->width() / 2),
                                    customPlot->yAxis->coordToPixel(box->maximum)),
                            QPointF(customPlot->xAxis->coordToPixel(box->key + boxes->width() / 2),
                                    customPlot->yAxis->coordToPixel(box->minimum)));
        QVERIFY2(!QRectF(legend).intersects(pixels.normalized()), qPrintable(QString::number(index)));
    }
}

void TestPlots::longTitleWrapsToFit()
{
    ViewDriftPlot plot;
    plot.resize(640, 420);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    plot.setResult(m_result);
    QCustomPlot *customPlot = plot.plot();
    customPlot->replot();

    // The title as set stays one line; the drawn title breaks into lines
    // that fit the plot's width.
    QVERIFY(!plot.titleText().contains(QLatin1Char('\n')));
    QVERIFY2(plot.titleText().size() > 64, qPrintable(plot.titleText()));
    auto *title = qobject_cast<QCPTextElement *>(customPlot->plotLayout()->element(0, 0));
    QVERIFY(title);
    const QStringList lines = title->text().split(QLatin1Char('\n'));
    QVERIFY(lines.size() >= 2);
    const QFontMetrics metrics(title->font());
    for (const QString &line : lines) {
        QVERIFY2(line.size() <= 64, qPrintable(line));
        QVERIFY2(metrics.horizontalAdvance(line) < customPlot->width(), qPrintable(line));
    }
    QCOMPARE(lines.join(QLatin1Char(' ')), plot.titleText());
}

void TestPlots::latencyHasEveryTimedRun()
{
    LatencyDistributionPlot plot;
    plot.setResult(m_result);
    QCOMPARE(plot.boxCount(), 2);
    QCOMPARE(plot.sampleCount(0), m_timedRuns);
    QCOMPARE(plot.sampleCount(1), m_timedRuns);
    const QVector<double> medians = plot.plottedMedians();
    QCOMPARE(medians.size(), 2);
    QCOMPARE(medians[0], m_result.referenceLatency.medianMs);
    QCOMPARE(medians[1], m_result.convertedLatency.medianMs);
    QVERIFY(plot.titleText().contains(QStringLiteral("%1 threads").arg(m_result.intraOpThreads)));

    ComparisonResult untimed = m_result;
    untimed.referenceLatency = LatencyStats();
    untimed.convertedLatency = LatencyStats();
    plot.setResult(untimed);
    QCOMPARE(plot.boxCount(), 0);
    QVERIFY(plot.titleText().startsWith(QLatin1String("No timing")));
}

void TestPlots::latencyLegendNamesOutliers()
{
    LatencyDistributionPlot plot;
    QCPLegend *legend = plot.plot()->legend;

    // Three runs of similar length have no outlier, and the legend has no entry for them.
    ComparisonResult steady = m_result;
    steady.referenceLatency.samplesMs = { 10.0, 10.5, 11.0 };
    steady.convertedLatency.samplesMs = { 20.0, 20.5, 21.0 };
    plot.setResult(steady);
    QCOMPARE(plot.outlierCount(), 0);
    QVERIFY(!legend->hasItemWithPlottable(plot.outlierGraph()));

    // A run that took ten times as long as the others lies beyond 1.5 IQR.
    ComparisonResult slowRun = m_result;
    slowRun.referenceLatency.samplesMs = { 10.0, 10.2, 10.4, 10.6, 10.8, 100.0 };
    slowRun.convertedLatency.samplesMs = steady.convertedLatency.samplesMs;
    plot.setResult(slowRun);
    QCOMPARE(plot.outlierCount(), 1);
    QVERIFY(legend->hasItemWithPlottable(plot.outlierGraph()));
    QVERIFY(plot.outlierGraph()->name().contains(QLatin1String("outlier")));
    QCOMPARE(plot.outlierGraph()->data()->at(0)->value, 100.0);

    plot.clearResult();
    QVERIFY(!legend->hasItemWithPlottable(plot.outlierGraph()));
}

void TestPlots::speedupShowsBootstrapInterval()
{
    SpeedupPlot plot;
    plot.setResult(m_result);
    const SpeedupEstimate expected = estimateSpeedup(m_result.referenceLatency.samplesMs, m_result.convertedLatency.samplesMs);
    QVERIFY(plot.estimate().isValid());
    QCOMPARE(plot.estimate().ratio, expected.ratio);
    QCOMPARE(plot.estimate().low, expected.low);
    QCOMPARE(plot.estimate().high, expected.high);
    QVERIFY(plot.estimate().low <= plot.estimate().ratio);
    QVERIFY(plot.estimate().ratio <= plot.estimate().high);
    QCOMPARE(plot.pairCount(), m_timedRuns);
    QVERIFY(plot.titleText().contains(QLatin1String("95% interval")));
}

void TestPlots::batchSweepPlotsEveryBatchSize()
{
    BatchSweepPlot plot;
    plot.setPoints(m_sweep, Precision::Float16);
    QCOMPARE(plot.pointCount(), 3);
    for (int graph = 0; graph < 4; ++graph)
        QCOMPARE(plot.plot()->graph(graph)->dataCount(), 3);
    for (const BatchSweepPoint &point : m_sweep) {
        QVERIFY(point.referenceMedianMs > 0.0);
        QVERIFY(point.convertedMedianMs > 0.0);
        QCOMPARE(point.referenceImagesPerSecond, 1000.0 * point.batchSize / point.referenceMedianMs);
    }
    QVERIFY(plot.plot()->yAxis2->visible());
    QCOMPARE(plot.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
}

void TestPlots::resetViewRestoresRanges()
{
    LatencyDistributionPlot plot;
    plot.setResult(m_result);
    const QCPRange before = plot.plot()->yAxis->range();
    plot.plot()->yAxis->scaleRange(0.25, before.center());
    QVERIFY(plot.plot()->yAxis->range().size() < before.size());
    plot.resetViewAction()->trigger();
    QCOMPARE(plot.plot()->yAxis->range().lower, before.lower);
    QCOMPARE(plot.plot()->yAxis->range().upper, before.upper);
}

void TestPlots::exportsPng()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    std::vector<std::unique_ptr<ResultPlot>> plots;
    plots.emplace_back(new DriftHistogramPlot);
    plots.emplace_back(new ProbabilityScatterPlot);
    plots.emplace_back(new ImageDriftPlot);
    plots.emplace_back(new ViewDriftPlot);
    plots.emplace_back(new LatencyDistributionPlot);
    plots.emplace_back(new SpeedupPlot);
    PlotExportSettings settings;
    settings.format = PlotFormat::Png;
    settings.width = 640;
    settings.height = 400;
    settings.scale = 1.5;
    for (const std::unique_ptr<ResultPlot> &plot : plots) {
        plot->setResult(m_result);
        const QString path = folder.filePath(plot->fileBaseName() + QStringLiteral(".png"));
        plot->exportTo(path, settings);
        const QImage image(path);
        QVERIFY2(!image.isNull(), qPrintable(path));
        QCOMPARE(image.size(), QSize(960, 600));
    }
    QCOMPARE(QDir(folder.path()).entryList(QDir::Files).size(), 6);
}

void TestPlots::exportsPdf()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    SpeedupPlot plot;
    plot.setResult(m_result);
    PlotExportSettings settings;
    settings.format = PlotFormat::Pdf;
    settings.width = 500;
    settings.height = 300;
    const QString path = folder.filePath(QStringLiteral("speedup.pdf"));
    plot.exportTo(path, settings);
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    // The page size is the plot size in points.
    const QRegularExpression mediaBox(QStringLiteral("/MediaBox \\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]"));
    const QRegularExpressionMatch match = mediaBox.match(QString::fromLatin1(pdf));
    QVERIFY(match.hasMatch());
    QCOMPARE(qRound(match.captured(1).toDouble()), 500);
    QCOMPARE(qRound(match.captured(2).toDouble()), 300);
}

void TestPlots::exportsSvg()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    DriftHistogramPlot plot;
    plot.setResult(m_result);
    PlotExportSettings settings;
    settings.format = PlotFormat::Svg;
    settings.width = 600;
    settings.height = 400;
    settings.scale = 2.0;
    const QString path = folder.filePath(QStringLiteral("drift-histogram.svg"));
    plot.exportTo(path, settings);

    QString rootName;
    QString error;
    const QStringList texts = svgTexts(readAll(path), &rootName, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rootName, QStringLiteral("svg"));
    QVERIFY2(texts.contains(QStringLiteral("Count")), qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY(texts.join(QLatin1Char(' ')).contains(QLatin1String("converted probability")));
}

void TestPlots::exportFailsInUnwritableFolder()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    // A regular file in place of the folder cannot hold files, for any user.
    const QString notAFolder = folder.filePath(QStringLiteral("plain-file"));
    QFile file(notAFolder);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString path = notAFolder + QStringLiteral("/latency.png");

    LatencyDistributionPlot plot;
    plot.setResult(m_result);
    try {
        plot.exportTo(path, PlotExportSettings());
        QFAIL("export into a file path succeeded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
    }
    QVERIFY(!QFileInfo::exists(path));
}

void TestPlots::exportRejectsInvalidSize()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString path = folder.filePath(QStringLiteral("tiny.png"));
    DriftHistogramPlot plot;
    PlotExportSettings settings;
    settings.width = 4;
    try {
        plot.exportTo(path, settings);
        QFAIL("a 4 pixel wide export succeeded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("Invalid plot size 4 x 600")), qPrintable(error.message()));
    }
    QVERIFY(!QFileInfo::exists(path));
}

void TestPlots::clearResultEmptiesPlots()
{
    ViewDriftPlot views;
    views.setResult(m_result);
    views.clearResult();
    QCOMPARE(views.boxCount(), 0);
    QCOMPARE(views.pointCount(), 0);
    SpeedupPlot speedup;
    speedup.setResult(m_result);
    speedup.clearResult();
    QCOMPARE(speedup.pairCount(), 0);
    QVERIFY(!speedup.estimate().isValid());
}

QTEST_MAIN(TestPlots)
#include "tst_plots.moc"
