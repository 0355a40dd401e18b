// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "benchmarkpanel.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "plots/batchsweepplot.h"
#include "qcustomplotinclude.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

/// The Benchmark tab's widgets in a window.
struct BenchmarkControls
{
    BenchmarkPanel *panel = nullptr;
    QSpinBox *batch = nullptr;
    QSpinBox *warmup = nullptr;
    QSpinBox *iterations = nullptr;
    QLineEdit *sweep = nullptr;
    QSpinBox *sweepIterations = nullptr;
    QPushButton *run = nullptr;
    QLabel *summary = nullptr;
    BatchSweepPlot *plot = nullptr;

    explicit BenchmarkControls(const MainWindow &window)
        : panel(window.benchmarkPanel())
        , batch(panel->findChild<QSpinBox *>(QStringLiteral("benchmarkBatchSpin")))
        , warmup(panel->findChild<QSpinBox *>(QStringLiteral("benchmarkWarmupSpin")))
        , iterations(panel->findChild<QSpinBox *>(QStringLiteral("benchmarkIterationsSpin")))
        , sweep(panel->findChild<QLineEdit *>(QStringLiteral("benchmarkSweepEdit")))
        , sweepIterations(panel->findChild<QSpinBox *>(QStringLiteral("benchmarkSweepIterationsSpin")))
        , run(panel->findChild<QPushButton *>(QStringLiteral("benchmarkRunButton")))
        , summary(panel->findChild<QLabel *>(QStringLiteral("benchmarkSummaryLabel")))
        , plot(panel->sweepPlot())
    {
    }

    bool isComplete() const
    {
        return batch && warmup && iterations && sweep && sweepIterations && run && summary && plot;
    }

    /// Sets a benchmark small enough for a test: batch 2, one warm-up, two
    /// timed calls, and the given sweep with two calls per size.
    void setSmall(const QString &sweepText)
    {
        batch->setValue(2);
        warmup->setValue(1);
        iterations->setValue(2);
        sweep->setText(sweepText);
        sweepIterations->setValue(2);
    }

    /// Sets the smallest benchmark with a sweep: batch 1, two timed calls,
    /// and a sweep of batch size 1 with one call.
    void setSmallest()
    {
        setSmall(QStringLiteral("1"));
        batch->setValue(1);
        sweepIterations->setValue(1);
    }
};

/// Opens the demo model in window and selects BF16 and 2 intra-op threads.
bool openDemoModelForBf16(MainWindow &window)
{
    window.openModel(test::demoModel());
    if (!QTest::qWaitFor([&window] { return !window.referenceModel().isNull(); }, 30000))
        return false;
    window.findChild<QComboBox *>(QStringLiteral("precisionCombo"))->setCurrentIndex(1);
    window.findChild<QSpinBox *>(QStringLiteral("threadsSpin"))->setValue(2);
    return true;
}

} // namespace

class TestBenchmarkTab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void runsSweepOnDemoImages();
    void rejectsInvalidSweepText();
    void keepsSettingsAcrossWindows();
    void clearsResultOnNewModel();
    void cancelShowsPartialTimings();
    void cancelDuringConversionDropsRun();
    void exportsSweepPlot();

private:
    QTemporaryDir m_config;
};

void TestBenchmarkTab::initTestCase()
{
    // QSettings writes under XDG_CONFIG_HOME, kept apart from the user's own.
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("HalfScopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_benchmarktab"));
}

void TestBenchmarkTab::init()
{
    QSettings().clear();
}

void TestBenchmarkTab::runsSweepOnDemoImages()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    BenchmarkControls controls(window);
    QVERIFY(controls.isComplete());
    auto *tabs = qobject_cast<QTabWidget *>(controls.panel->parentWidget()->parentWidget());
    QVERIFY(tabs);
    QCOMPARE(tabs->tabText(tabs->indexOf(controls.panel)), QStringLiteral("Benchmark"));
    QVERIFY(!controls.run->isEnabled());

    window.openDemo();
    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    window.findChild<QComboBox *>(QStringLiteral("precisionCombo"))->setCurrentIndex(1);
    window.findChild<QSpinBox *>(QStringLiteral("threadsSpin"))->setValue(2);
    auto *memoryFormat = window.findChild<QComboBox *>(QStringLiteral("memoryFormatCombo"));
    memoryFormat->setCurrentIndex(memoryFormat->findData(QStringLiteral("contiguous")));
    controls.setSmall(QStringLiteral("1,2"));
    QTRY_VERIFY(controls.run->isEnabled());

    QSignalSpy finished(&window, &MainWindow::benchmarkFinished);
    QTest::mouseClick(controls.run, Qt::LeftButton);
    QVERIFY(window.isBusy());
    QVERIFY(!controls.run->isEnabled());
    QVERIFY(finished.wait(240000));
    QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
    QVERIFY(!window.isBusy());

    // The run converted the model first and timed that copy.
    QCOMPARE(window.convertedModel().precision(), Precision::BFloat16);
    QVERIFY(controls.panel->hasResult());
    const BenchmarkResult &result = controls.panel->result();
    QVERIFY(!result.cancelled);
    QCOMPARE(result.batchSize, 2);
    QCOMPARE(result.intraOpThreads, 2);
    QCOMPARE(result.memoryFormat, MemoryFormat::Contiguous);
    QCOMPARE(result.converted.precision, Precision::BFloat16);
    QCOMPARE(result.reference.latency.samplesMs.size(), size_t(2));
    QCOMPARE(result.converted.latency.samplesMs.size(), size_t(2));
    QVERIFY(result.reference.latency.medianMs > 0.0);
    QVERIFY(result.converted.latency.medianMs > 0.0);
    QVERIFY(result.speedup.isValid());
    QVERIFY(result.speedup.ratio > 0.0);
    QVERIFY(result.decodeMsPerImage > 0.0);
    QVERIFY(result.reference.parameterBytes > 0);

    QCOMPARE(controls.plot->pointCount(), 2);
    for (int index = 0; index < controls.plot->plot()->graphCount(); ++index)
        QCOMPARE(controls.plot->plot()->graph(index)->dataCount(), 2);

    const QString summary = controls.summary->text();
    const QString speedup = QLocale::c().toString(result.speedup.ratio, 'f', 2);
    QVERIFY2(summary.contains(QStringLiteral("Speed-up FP32 / BF16:</b> %1x").arg(speedup)), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("95% bootstrap interval")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("<td>FP32</td>")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("<td>BF16</td>")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("Median (ms)")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String(" MB")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("5 images, repeated")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String(", contiguous)")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("2 batch size(s)")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("ms per image")), qPrintable(summary));
    QVERIFY2(!summary.contains(QLatin1String("Cancelled")), qPrintable(summary));
    // Whether the converted model is slower, and the spread, depend on the CPU and its load.
    if (!result.slowdownExplanation.isEmpty())
        QVERIFY2(summary.contains(result.slowdownExplanation.toHtmlEscaped()), qPrintable(summary));
    for (const QString &warning : result.warnings)
        QVERIFY2(summary.contains(warning.toHtmlEscaped()), qPrintable(summary));
}

void TestBenchmarkTab::rejectsInvalidSweepText()
{
    MainWindow window;
    window.show();
    QVERIFY(openDemoModelForBf16(window));
    BenchmarkControls controls(window);
    QVERIFY(controls.isComplete());
    controls.setSmall(QStringLiteral("1,x,4"));
    QTRY_VERIFY(controls.run->isEnabled());

    QTest::mouseClick(controls.run, Qt::LeftButton);

    QVERIFY(!window.isBusy());
    QVERIFY2(window.lastError().contains(QLatin1String("Invalid batch size \"x\" in \"1,x,4\"")),
             qPrintable(window.lastError()));
    // No conversion or benchmark started.
    QTest::qWait(200);
    QVERIFY(window.convertedModel().isNull());
    QVERIFY(!controls.panel->hasResult());
    QVERIFY(controls.run->isEnabled());
}

void TestBenchmarkTab::keepsSettingsAcrossWindows()
{
    {
        MainWindow window;
        window.show();
        QVERIFY(openDemoModelForBf16(window));
        BenchmarkControls controls(window);
        QVERIFY(controls.isComplete());
        controls.setSmall(QString());
        controls.batch->setValue(1);
        controls.warmup->setValue(0);
        controls.sweepIterations->setValue(7);
        // Settings are stored when a benchmark starts. An empty sweep keeps the run short.
        QSignalSpy finished(&window, &MainWindow::benchmarkFinished);
        window.runBenchmark();
        QVERIFY(finished.wait(240000));
        QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
        QVERIFY(controls.panel->result().sweep.empty());
        QCOMPARE(controls.plot->pointCount(), 0);
        QVERIFY2(controls.summary->text().contains(QLatin1String("uniform random values")),
                 qPrintable(controls.summary->text()));
        QVERIFY2(controls.summary->text().contains(QLatin1String("not measured (random input)")),
                 qPrintable(controls.summary->text()));
    }

    MainWindow restored;
    BenchmarkControls controls(restored);
    QVERIFY(controls.isComplete());
    QCOMPARE(controls.batch->value(), 1);
    QCOMPARE(controls.warmup->value(), 0);
    QCOMPARE(controls.iterations->value(), 2);
    QCOMPARE(controls.sweep->text(), QString());
    QCOMPARE(controls.sweepIterations->value(), 7);
    QCOMPARE(restored.findChild<QSpinBox *>(QStringLiteral("threadsSpin"))->value(), 2);
}

void TestBenchmarkTab::clearsResultOnNewModel()
{
    MainWindow window;
    window.show();
    QVERIFY(openDemoModelForBf16(window));
    BenchmarkControls controls(window);
    QVERIFY(controls.isComplete());
    controls.setSmallest();
    QSignalSpy finished(&window, &MainWindow::benchmarkFinished);
    window.runBenchmark();
    QVERIFY(finished.wait(240000));
    QVERIFY(controls.panel->hasResult());
    QCOMPARE(controls.plot->pointCount(), 1);
    const Model first = window.referenceModel();

    window.openModel(test::demoModel());
    QTRY_VERIFY_WITH_TIMEOUT(window.referenceModel().data() != first.data(), 30000);
    QVERIFY(!controls.panel->hasResult());
    QCOMPARE(controls.plot->pointCount(), 0);
    QVERIFY2(!controls.summary->text().contains(QLatin1String("Speed-up")), qPrintable(controls.summary->text()));
}

void TestBenchmarkTab::cancelShowsPartialTimings()
{
    MainWindow window;
    window.show();
    QVERIFY(openDemoModelForBf16(window));
    BenchmarkControls controls(window);
    QVERIFY(controls.isComplete());
    controls.setSmall(QStringLiteral("1,2"));
    controls.batch->setValue(1);
    controls.iterations->setValue(10000);
    auto *progress = window.findChild<QProgressBar *>(QStringLiteral("progressBar"));
    QVERIFY(progress);

    QSignalSpy finished(&window, &MainWindow::benchmarkFinished);
    window.runBenchmark();
    QTRY_VERIFY_WITH_TIMEOUT(progress->maximum() == 10004 && progress->value() >= 2, 120000);
    QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QVERIFY(finished.wait(120000));

    QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
    QVERIFY(!window.isBusy());
    QVERIFY(!progress->isVisible());
    const BenchmarkResult &result = controls.panel->result();
    QVERIFY(result.cancelled);
    QVERIFY(result.reference.latency.samplesMs.size() >= 2);
    QVERIFY(result.reference.latency.samplesMs.size() < 10000);
    QVERIFY(result.reference.latency.medianMs > 0.0);
    QVERIFY(!result.speedup.isValid());
    QVERIFY(result.sweep.empty());
    const QString summary = controls.summary->text();
    QVERIFY2(summary.contains(QLatin1String("Cancelled.")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("<td>FP32</td>")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("not measured, because the timing was cancelled")), qPrintable(summary));
    QVERIFY(controls.run->isEnabled());
}

void TestBenchmarkTab::cancelDuringConversionDropsRun()
{
    MainWindow window;
    window.show();
    QVERIFY(openDemoModelForBf16(window));
    BenchmarkControls controls(window);
    QVERIFY(controls.isComplete());
    controls.setSmall(QStringLiteral("1"));

    QSignalSpy finished(&window, &MainWindow::benchmarkFinished);
    window.runBenchmark();
    QVERIFY(window.isBusy());
    QVERIFY(window.convertedModel().isNull());
    QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QCOMPARE(finished.size(), 1);

    // The conversion still finishes, but no benchmark follows it.
    QTRY_VERIFY_WITH_TIMEOUT(!window.convertedModel().isNull(), 30000);
    QTRY_VERIFY(!window.isBusy());
    QTest::qWait(200);
    QVERIFY(!window.isBusy());
    QVERIFY(!controls.panel->hasResult());
    QCOMPARE(finished.size(), 1);
}

void TestBenchmarkTab::exportsSweepPlot()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    MainWindow window;
    window.show();
    QVERIFY(openDemoModelForBf16(window));
    BenchmarkControls controls(window);
    QVERIFY(controls.isComplete());
    controls.setSmallest();
    QSignalSpy finished(&window, &MainWindow::benchmarkFinished);
    window.runBenchmark();
    QVERIFY(finished.wait(240000));
    QCOMPARE(controls.plot->pointCount(), 1);

    window.findChild<QAction *>(QStringLiteral("exportResultsAction"))->trigger();
    ExportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<ExportDialog *>()) != nullptr);
    for (QCheckBox *check : dialog->findChildren<QCheckBox *>())
        check->setChecked(check->objectName() == QLatin1String("pngCheck"));
    QVERIFY(dialog->findChild<QCheckBox *>(QStringLiteral("pngCheck"))->isEnabled());
    dialog->setFolder(folder.path());
    QSignalSpy exported(dialog, &ExportDialog::exportFinished);
    dialog->startExport();
    QTRY_COMPARE(exported.size(), 1);

    const QString sweepFile = folder.filePath(QStringLiteral("batch-sweep.png"));
    QVERIFY2(dialog->failures().isEmpty(), qPrintable(dialog->failures().join(QLatin1Char('\n'))));
    QCOMPARE(dialog->writtenFiles(), QStringList { sweepFile });
    QVERIFY(QFileInfo(sweepFile).size() > 0);
}

QTEST_MAIN(TestBenchmarkTab)
#include "tst_benchmarktab.moc"
