// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "exportdialog.h"
#include "model/model.h"
#include "modeljobs.h"
#include "plots/drifthistogramplot.h"
#include "plots/latencydistributionplot.h"
#include "report/jsonreport.h"
#include "report/reportfolder.h"
#include "run/comparison.h"

#include <QCheckBox>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

class TestExportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesChosenFiles();
    void reportsUnwritableFolder();
    void disablesModelWithoutConversion();
    void reportNamesMatchCli();
    void remembersLastFolder();
    void asksBeforeReplacingFiles();

private:
    void checkOnly(ExportDialog &dialog, const QStringList &objectNames);

    QTemporaryDir m_config;
    Model m_converted;
    ComparisonResult m_result;
};

void TestExportDialog::initTestCase()
{
    // QSettings writes under XDG_CONFIG_HOME, kept apart from the user's own.
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("HalfScopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_exportdialog"));
    QSettings().clear();

    const Model reference = Model::load(test::demoModel());
    m_converted = reference.convertedTo(Precision::Float16);
    ComparisonOptions options;
    options.preset = *reference.embeddedPreset();
    options.classNames = reference.classNames();
    options.timedIterations = 2;
    const QStringList photos = { test::demoPhoto(QStringLiteral("coffee.png")),
                                 test::demoPhoto(QStringLiteral("chelsea.png")) };
    m_result = compareModels(reference, m_converted, photos, options);
    QCOMPARE(m_result.comparedCount(), 2);
}

void TestExportDialog::checkOnly(ExportDialog &dialog, const QStringList &objectNames)
{
    for (QCheckBox *check : dialog.findChildren<QCheckBox *>())
        check->setChecked(objectNames.contains(check->objectName()));
}

void TestExportDialog::writesChosenFiles()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    ModelJobs jobs;
    DriftHistogramPlot driftPlot;
    LatencyDistributionPlot latencyPlot;
    driftPlot.setResult(m_result);
    latencyPlot.setResult(m_result);
    ExportDialog dialog(&jobs, m_result, m_converted, { &driftPlot, &latencyPlot });
    const QString target = folder.filePath(QStringLiteral("results"));
    dialog.setFolder(target);
    checkOnly(dialog, { QStringLiteral("jsonCheck"), QStringLiteral("csvCheck"), QStringLiteral("markdownCheck"),
                        QStringLiteral("pngCheck"), QStringLiteral("pdfCheck"), QStringLiteral("svgCheck"),
                        QStringLiteral("modelCheck"), QStringLiteral("freezeCheck") });

    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    auto *exportButton = dialog.findChild<QPushButton *>(QStringLiteral("exportButton"));
    QVERIFY(exportButton && exportButton->isEnabled());
    QTest::mouseClick(exportButton, Qt::LeftButton);
    // The model is saved and reloaded on the worker thread; the GUI thread stays free.
    QVERIFY(dialog.isExporting());
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(finished.wait(120000));
    QVERIFY2(dialog.failures().isEmpty(), qPrintable(dialog.failures().join(QLatin1Char('\n'))));

    const QDir results(target);
    const QString modelPath = results.filePath(QStringLiteral("tinydarknet-fp16.pt"));
    QStringList expected = { results.filePath(QStringLiteral("report.json")),
                             results.filePath(QStringLiteral("report.csv")),
                             results.filePath(QStringLiteral("report.md")), modelPath };
    for (const QString &base : { QStringLiteral("drift-histogram"), QStringLiteral("latency") }) {
        for (const QString &suffix : { QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg") })
            expected << results.filePath(base + QLatin1Char('.') + suffix);
    }
    QStringList written = dialog.writtenFiles();
    written.sort();
    expected.sort();
    QCOMPARE(written, expected);
    QCOMPARE(results.entryList(QDir::Files).size(), expected.size());

    QFile json(results.filePath(QStringLiteral("report.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.readAll(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY2(document.object().value(QStringLiteral("schema")).toString().startsWith(QLatin1String(kComparisonSchema)),
             qPrintable(document.object().value(QStringLiteral("schema")).toString()));

    QFile csv(results.filePath(QStringLiteral("report.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 1 + 2);
    QVERIFY(rows.at(0).startsWith("path,"));
    QFile markdown(results.filePath(QStringLiteral("report.md")));
    QVERIFY(markdown.open(QIODevice::ReadOnly));
    const QByteArray summary = markdown.readAll();
    QVERIFY2(summary.contains("drift-histogram.png"), summary.constData());
    QVERIFY(!summary.contains("drift-histogram.pdf"));

    // Frozen, reloaded and checked: the weights stay float16 constants.
    QVERIFY(dialog.modelReport().frozen);
    QCOMPARE(dialog.modelReport().precision, QStringLiteral("float16"));
    QCOMPARE(dialog.modelReport().outputDtype, QStringLiteral("float16"));

    const QImage png(results.filePath(QStringLiteral("latency.png")));
    QCOMPARE(png.size(), QSize(800, 600));
    QFile pdf(results.filePath(QStringLiteral("drift-histogram.pdf")));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.readAll().startsWith("%PDF-"));

    const Model reloaded = Model::load(modelPath);
    QCOMPARE(reloaded.precision(), Precision::Float16);
    QCOMPARE(reloaded.classNames(), m_converted.classNames());
}

void TestExportDialog::reportsUnwritableFolder()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    // A regular file in place of a folder cannot hold files, for any user.
    const QString notAFolder = folder.filePath(QStringLiteral("plain-file"));
    QFile file(notAFolder);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    ModelJobs jobs;
    DriftHistogramPlot driftPlot;
    driftPlot.setResult(m_result);
    ExportDialog dialog(&jobs, m_result, m_converted, { &driftPlot });
    dialog.setFolder(notAFolder);
    checkOnly(dialog, { QStringLiteral("jsonCheck"), QStringLiteral("pngCheck") });
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    dialog.startExport();
    QCOMPARE(finished.size(), 1);
    QVERIFY(dialog.writtenFiles().isEmpty());
    QCOMPARE(dialog.failures().size(), 1);
    QVERIFY2(dialog.failures().first().contains(notAFolder), qPrintable(dialog.failures().first()));
    QVERIFY2(dialog.failures().first().contains(QLatin1String("is a file")), qPrintable(dialog.failures().first()));

    // A writable folder with a file name that cannot be created fails per file.
    dialog.setFolder(folder.path());
    QVERIFY(QDir(folder.path()).mkdir(QStringLiteral("drift-histogram.png")));
    dialog.startExport();
    QCOMPARE(finished.size(), 2);
    QCOMPARE(dialog.writtenFiles(), QStringList { folder.filePath(QStringLiteral("report.json")) });
    QCOMPARE(dialog.failures().size(), 1);
    QVERIFY2(dialog.failures().first().contains(folder.filePath(QStringLiteral("drift-histogram.png"))),
             qPrintable(dialog.failures().first()));
}

void TestExportDialog::disablesModelWithoutConversion()
{
    ModelJobs jobs;
    ExportDialog dialog(&jobs, ComparisonResult(), Model(), {});
    auto *modelCheck = dialog.findChild<QCheckBox *>(QStringLiteral("modelCheck"));
    auto *jsonCheck = dialog.findChild<QCheckBox *>(QStringLiteral("jsonCheck"));
    QVERIFY(modelCheck && jsonCheck);
    QVERIFY(!modelCheck->isEnabled());
    QVERIFY(!jsonCheck->isEnabled());
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("exportButton"))->isEnabled());
}

void TestExportDialog::reportNamesMatchCli()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString dialogFolder = folder.filePath(QStringLiteral("window"));
    const QString cliFolder = folder.filePath(QStringLiteral("cli"));

    ModelJobs jobs;
    ExportDialog dialog(&jobs, m_result, m_converted, {});
    dialog.setFolder(dialogFolder);
    checkOnly(dialog, { QStringLiteral("jsonCheck"), QStringLiteral("csvCheck"), QStringLiteral("markdownCheck") });
    dialog.startExport();
    QVERIFY2(dialog.failures().isEmpty(), qPrintable(dialog.failures().join(QLatin1Char('\n'))));

    // halfscope-cli compare --report FOLDER writes its files with this function.
    writeComparisonReport(m_result, cliFolder);
    const QStringList cliNames = QDir(cliFolder).entryList(QDir::Files, QDir::Name);
    QCOMPARE(cliNames, (QStringList { QStringLiteral("report.csv"), QStringLiteral("report.json"),
                                      QStringLiteral("report.md") }));
    QCOMPARE(QDir(dialogFolder).entryList(QDir::Files, QDir::Name), cliNames);
    for (const QString &path : dialog.writtenFiles())
        QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(dialogFolder).absoluteFilePath());
}

void TestExportDialog::remembersLastFolder()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString target = folder.filePath(QStringLiteral("exported"));
    ModelJobs jobs;
    {
        ExportDialog dialog(&jobs, m_result, m_converted, {});
        QVERIFY(dialog.folder() != target);
        dialog.setFolder(target);
        checkOnly(dialog, { QStringLiteral("jsonCheck") });
        dialog.startExport();
        QVERIFY2(dialog.failures().isEmpty(), qPrintable(dialog.failures().join(QLatin1Char('\n'))));
    }

    ExportDialog reopened(&jobs, m_result, m_converted, {});
    QCOMPARE(reopened.folder(), target);

    // A folder that could not be created is not remembered.
    const QString notAFolder = folder.filePath(QStringLiteral("exported/report.json"));
    reopened.setFolder(notAFolder);
    reopened.startExport();
    QCOMPARE(reopened.failures().size(), 1);
    ExportDialog third(&jobs, m_result, m_converted, {});
    QCOMPARE(third.folder(), target);
}

void TestExportDialog::asksBeforeReplacingFiles()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString json = comparisonReportFiles(folder.path()).json;
    const QString csv = comparisonReportFiles(folder.path()).csv;
    QFile earlier(json);
    QVERIFY(earlier.open(QIODevice::WriteOnly));
    earlier.write("earlier report\n");
    earlier.close();

    ModelJobs jobs;
    ExportDialog dialog(&jobs, m_result, m_converted, {});
    dialog.setFolder(folder.path());
    checkOnly(dialog, { QStringLiteral("jsonCheck"), QStringLiteral("csvCheck") });
    auto *exportButton = dialog.findChild<QPushButton *>(QStringLiteral("exportButton"));
    auto *log = dialog.findChild<QPlainTextEdit *>(QStringLiteral("exportLog"));
    QVERIFY(exportButton && log);

    // The first click names the file that would be replaced and writes nothing.
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QCOMPARE(finished.size(), 0);
    QVERIFY(dialog.writtenFiles().isEmpty());
    QVERIFY(!QFile::exists(csv));
    QVERIFY2(log->toPlainText().contains(QLatin1String("report.json")), qPrintable(log->toPlainText()));
    QCOMPARE(exportButton->text(), QStringLiteral("Replace"));
    QVERIFY(exportButton->isEnabled());
    QFile unchanged(json);
    QVERIFY(unchanged.open(QIODevice::ReadOnly));
    QCOMPARE(unchanged.readAll(), QByteArray("earlier report\n"));
    unchanged.close();

    // The second click replaces it.
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QCOMPARE(finished.size(), 1);
    QVERIFY2(dialog.failures().isEmpty(), qPrintable(dialog.failures().join(QLatin1Char('\n'))));
    QCOMPARE(dialog.writtenFiles(), (QStringList { json, csv }));
    QCOMPARE(exportButton->text(), QStringLiteral("Export"));
    QVERIFY(unchanged.open(QIODevice::ReadOnly));
    QVERIFY(unchanged.readAll().startsWith("{"));

    // The confirmation covers one export: the next one requests it again,
    // and choosing another folder resets the button.
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(exportButton->text(), QStringLiteral("Replace"));
    dialog.setFolder(folder.filePath(QStringLiteral("other")));
    QCOMPARE(exportButton->text(), QStringLiteral("Export"));
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
