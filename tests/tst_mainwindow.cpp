// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "checkpointtreemodel.h"
#include "plots/drifthistogramplot.h"
#include "imagelistwidget.h"
#include "plots/imagedriftplot.h"
#include "plots/latencydistributionplot.h"
#include "plots/probabilityscatterplot.h"
#include "plots/speedupplot.h"
#include "plots/viewdriftplot.h"
#include "mainwindow.h"
#include "parametertablemodel.h"
#include "model/modeldata.h"
#include "resultstablemodel.h"
#include "run/evaluation.h"
#include "weightloaddialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QDir>
#include <QHeaderView>
#include <QFile>
#include <QMimeData>
#include <QDialogButtonBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeView>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

/// Returns the texts in one column of a table view, in view order.
QStringList columnTexts(const QTableView *view, int column)
{
    QStringList texts;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data().toString();
    return texts;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void convertsAndComparesDemo();
    void opensDroppedFiles();
    void reportsBrokenModelFile();
    void showsCheckpointTree();
    void loadsWeightsThroughDialog();
    void cancelStopsComparison();
    void evaluatesFolderGroundTruth();
    void itemModelsPassTester();
    void parameterColumnsFitNumbers();
    void imageListDistinguishesSameNames();
};

void TestMainWindow::convertsAndComparesDemo()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto *parameterTable = window.findChild<QTableView *>(QStringLiteral("parameterTable"));
    auto *convertButton = window.findChild<QPushButton *>(QStringLiteral("convertButton"));
    auto *runButton = window.findChild<QPushButton *>(QStringLiteral("runButton"));
    auto *timedRuns = window.findChild<QSpinBox *>(QStringLiteral("timedRunsSpin"));
    auto *resultsTable = window.findChild<QTableView *>(QStringLiteral("resultsTable"));
    auto *imageList = window.findChild<ImageListWidget *>(QStringLiteral("imageList"));
    QVERIFY(parameterTable && convertButton && runButton && timedRuns && resultsTable && imageList);
    QVERIFY(!runButton->isEnabled());

    window.openDemo();
    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    QCOMPARE(imageList->count(), 5);
    QTRY_COMPARE(parameterTable->model()->rowCount(), 92);
    QVERIFY(columnTexts(parameterTable, ParameterTableModel::DtypeColumn).contains(QStringLiteral("float32")));
    QVERIFY(!columnTexts(parameterTable, ParameterTableModel::DtypeColumn).contains(QStringLiteral("float16")));
    QCOMPARE(convertButton->text(), QStringLiteral("Convert to FP16"));

    QTest::mouseClick(convertButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!window.convertedModel().isNull(), 30000);
    QTRY_VERIFY(columnTexts(parameterTable, ParameterTableModel::DtypeColumn).contains(QStringLiteral("float16")));
    QVERIFY(!columnTexts(parameterTable, ParameterTableModel::DtypeColumn).contains(QStringLiteral("float32")));
    QCOMPARE(window.referenceModel().precision(), Precision::Float32);

    timedRuns->setValue(1);
    auto *threads = window.findChild<QSpinBox *>(QStringLiteral("threadsSpin"));
    QVERIFY(threads);
    threads->setValue(1);
    QSignalSpy finished(&window, &MainWindow::comparisonFinished);
    QTRY_VERIFY(runButton->isEnabled());
    QTest::mouseClick(runButton, Qt::LeftButton);
    QVERIFY(window.isBusy());
    QVERIFY(!runButton->isEnabled());
    QVERIFY(finished.wait(240000));

    QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
    QCOMPARE(resultsTable->model()->rowCount(), 5);
    const QStringList fp32Top1 = columnTexts(resultsTable, ResultsTableModel::ReferenceColumn);
    QVERIFY(fp32Top1.join(QLatin1Char('|')).contains(QLatin1String("Egyptian cat")));
    QVERIFY(fp32Top1.join(QLatin1Char('|')).contains(QLatin1String("espresso")));
    QCOMPARE(columnTexts(resultsTable, ResultsTableModel::AgreementColumn).count(QStringLiteral("yes")), 5);
    QCOMPARE(resultsTable->model()->headerData(ResultsTableModel::ConvertedColumn, Qt::Horizontal).toString(),
             QStringLiteral("FP16 top-1"));
    QCOMPARE(window.lastResult().comparedCount(), 5);

    auto *driftPlot = window.findChild<DriftHistogramPlot *>(QStringLiteral("driftPlot"));
    auto *latencyPlot = window.findChild<LatencyDistributionPlot *>(QStringLiteral("latencyPlot"));
    QVERIFY(driftPlot && latencyPlot);
    QVERIFY(driftPlot->plottedCount() > 0.0);
    const QVector<double> medians = latencyPlot->plottedMedians();
    QCOMPARE(medians.size(), 2);
    QVERIFY(medians[0] > 0.0);
    QVERIFY(medians[1] > 0.0);
    // One timed run gives no interval; the summary still names both medians.
    const QString summary = window.findChild<QLabel *>(QStringLiteral("resultSummaryLabel"))->text();
    QVERIFY2(summary.contains(QLatin1String("Median latency:")), qPrintable(summary));
    QVERIFY2(!summary.contains(QLatin1String("95% interval")), qPrintable(summary));
    QCOMPARE(window.lastResult().intraOpThreads, 1);
    QVERIFY2(summary.contains(QLatin1String(", 1 intra-op thread")), qPrintable(summary));
    QCOMPARE(window.lastResult().memoryFormat, MemoryFormat::ChannelsLast);
    QVERIFY2(summary.contains(QLatin1String("channels_last inputs")), qPrintable(summary));

    auto *scatterPlot = window.findChild<ProbabilityScatterPlot *>(QStringLiteral("scatterPlot"));
    auto *imageDriftPlot = window.findChild<ImageDriftPlot *>(QStringLiteral("imageDriftPlot"));
    auto *viewDriftPlot = window.findChild<ViewDriftPlot *>(QStringLiteral("viewDriftPlot"));
    auto *speedupPlot = window.findChild<SpeedupPlot *>(QStringLiteral("speedupPlot"));
    QVERIFY(scatterPlot && imageDriftPlot && viewDriftPlot && speedupPlot);
    QCOMPARE(scatterPlot->pointCount(), 5);
    QCOMPARE(imageDriftPlot->barCount(), 5);
    QCOMPARE(viewDriftPlot->boxCount(), 1);
    QCOMPARE(speedupPlot->pairCount(), 0);
    QTabWidget *tabs = nullptr;
    for (QTabWidget *candidate : window.findChildren<QTabWidget *>()) {
        if (candidate->indexOf(driftPlot) >= 0)
            tabs = candidate;
    }
    QVERIFY(tabs);
    QStringList tabNames;
    for (int index = 0; index < tabs->count(); ++index)
        tabNames << tabs->tabText(index);
    QCOMPARE(tabNames, QStringList({ QStringLiteral("Per image"), QStringLiteral("Drift histogram"),
                                     QStringLiteral("Scatter"), QStringLiteral("Per image drift"),
                                     QStringLiteral("Per view drift"), QStringLiteral("Latency"),
                                     QStringLiteral("Speed-up"), QStringLiteral("Benchmark") }));
    auto *exportAction = window.findChild<QAction *>(QStringLiteral("exportResultsAction"));
    QVERIFY(exportAction && exportAction->isEnabled());
    QVERIFY(runButton->isEnabled());
}

void TestMainWindow::opensDroppedFiles()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QMimeData mimeData;
    mimeData.setUrls({ QUrl::fromLocalFile(test::demoModel()),
                       QUrl::fromLocalFile(test::demoPhoto(QStringLiteral("coffee.png"))) });
    const QPoint center = window.rect().center();
    QDragEnterEvent enter(center, Qt::CopyAction, &mimeData, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(center), Qt::CopyAction, &mimeData, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);

    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    QCOMPARE(window.referenceModel().fileName(), QStringLiteral("tinydarknet.pt"));
    const QStringList images = window.findChild<ImageListWidget *>(QStringLiteral("imageList"))->imagePaths();
    QCOMPARE(images.size(), 1);
    QVERIFY(images.first().endsWith(QLatin1String("coffee.png")));
}

void TestMainWindow::showsCheckpointTree()
{
    MainWindow window;
    window.show();
    window.openModel(QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/nested.pt"));

    auto *tree = window.findChild<QTreeView *>(QStringLiteral("checkpointTree"));
    QVERIFY(tree);
    QTRY_COMPARE_WITH_TIMEOUT(tree->model()->rowCount(), 1, 30000);
    QVERIFY(window.referenceModel().isNull());
    QCOMPARE(window.openCheckpoint().fileName(), QStringLiteral("nested.pt"));
    const QModelIndex root = tree->model()->index(0, 0);
    QStringList keys;
    for (int row = 0; row < tree->model()->rowCount(root); ++row)
        keys << tree->model()->index(row, CheckpointTreeModel::KeyColumn, root).data().toString();
    QCOMPARE(keys, (QStringList { QStringLiteral("state_dict"), QStringLiteral("ema"), QStringLiteral("epoch"),
                                  QStringLiteral("lr"), QStringLiteral("hparams") }));
    QCOMPARE(tree->model()->index(2, CheckpointTreeModel::ValueColumn, root).data().toString(), QStringLiteral("7"));

    CheckpointTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(buildCheckpointTree(window.openCheckpoint()));
    QCOMPARE(model.rowCount(model.index(0, 0)), 5);
}

void TestMainWindow::loadsWeightsThroughDialog()
{
    MainWindow window;
    window.show();
    window.openModel(QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/architecture.pt"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    const Model architecture = window.referenceModel();

    window.loadWeightsFrom(QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/lightning.pt"));
    WeightLoadDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<WeightLoadDialog *>()) != nullptr, 30000);
    const QString report = dialog->findChild<QPlainTextEdit *>(QStringLiteral("reportView"))->toPlainText();
    QVERIFY2(report.contains(QLatin1String("Matched: 9")), qPrintable(report));
    QVERIFY2(report.contains(QLatin1String("Stripped prefixes: model.")), qPrintable(report));
    QPushButton *load = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(load->isEnabled());
    QTest::mouseClick(load, Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(window.referenceModel().data() != architecture.data(), 30000);
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("modelLabel"))->text().contains(QLatin1String("lightning.pt")));
    // The loaded weights reproduce the trained model's output; the architecture's do not.
    QFile inputFile(QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/input.bin"));
    QFile expectedFile(QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/expected_output.bin"));
    QVERIFY(inputFile.open(QIODevice::ReadOnly) && expectedFile.open(QIODevice::ReadOnly));
    QByteArray inputBytes = inputFile.readAll();
    QByteArray expectedBytes = expectedFile.readAll();
    const at::Tensor input = torch::from_blob(inputBytes.data(), { 2, 3, 8, 8 }, torch::kFloat32);
    const at::Tensor expected = torch::from_blob(expectedBytes.data(), { 2, 5 }, torch::kFloat32);
    torch::NoGradGuard noGrad;
    torch::jit::Module loaded = window.referenceModel().data()->module;
    torch::jit::Module original = architecture.data()->module;
    QVERIFY(torch::equal(loaded.forward({ input }).toTensor(), expected));
    QVERIFY(!torch::allclose(original.forward({ input }).toTensor(), expected));
}

void TestMainWindow::reportsBrokenModelFile()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("broken.pt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("PK\x03\x04 truncated");
    file.close();

    MainWindow window;
    window.show();
    window.openModel(path);
    QTRY_VERIFY_WITH_TIMEOUT(!window.lastError().isEmpty(), 30000);
    QVERIFY2(window.lastError().contains(path), qPrintable(window.lastError()));
    QVERIFY2(window.lastError().contains(QLatin1String("TorchScript")), qPrintable(window.lastError()));
    QVERIFY(window.referenceModel().isNull());
    QTRY_VERIFY(!window.isBusy());
}

void TestMainWindow::cancelStopsComparison()
{
    MainWindow window;
    window.show();
    window.openDemo();
    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    auto *imageList = window.findChild<ImageListWidget *>(QStringLiteral("imageList"));
    // Twelve copies of the photos in batches of one give the cancel request time to land.
    for (int copy = 0; copy < 2; ++copy) {
        QTemporaryDir *folder = new QTemporaryDir;
        folder->setAutoRemove(true);
        connect(&window, &QObject::destroyed, [folder] { delete folder; });
        for (const QString &photo : test::demoPhotos())
            QFile::copy(photo, folder->filePath(QFileInfo(photo).fileName()));
        imageList->addPaths({ folder->path() });
    }
    QCOMPARE(imageList->count(), 15);
    window.findChild<QSpinBox *>(QStringLiteral("batchSpin"))->setValue(1);
    window.findChild<QComboBox *>(QStringLiteral("precisionCombo"))->setCurrentIndex(0);

    QSignalSpy finished(&window, &MainWindow::comparisonFinished);
    window.runComparison();
    QTRY_VERIFY_WITH_TIMEOUT(!window.convertedModel().isNull(), 30000);
    QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QVERIFY(finished.wait(120000));

    QVERIFY(window.lastResult().cancelled);
    QVERIFY(window.lastResult().comparedCount() < 15);
    QCOMPARE(window.lastResult().images.size(), size_t(15));
    QVERIFY(!window.isBusy());
}

void TestMainWindow::evaluatesFolderGroundTruth()
{
    QTemporaryDir folder;
    for (const auto &[label, photo] : { std::pair { "Egyptian cat", "chelsea.png" }, std::pair { "espresso", "coffee.png" } }) {
        QVERIFY(QDir(folder.path()).mkpath(QLatin1String(label)));
        QVERIFY(QFile::copy(test::demoPhoto(QLatin1String(photo)),
                            folder.filePath(QLatin1String(label) + QLatin1Char('/') + QLatin1String(photo))));
    }
    MainWindow window;
    window.show();
    window.openModel(test::demoModel());
    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    window.addImages({ folder.path() });
    window.findChild<QSpinBox *>(QStringLiteral("timedRunsSpin"))->setValue(0);
    window.findChild<QComboBox *>(QStringLiteral("groundTruthCombo"))->setCurrentIndex(1);

    QSignalSpy finished(&window, &MainWindow::comparisonFinished);
    window.runComparison();
    QVERIFY(finished.wait(120000));

    QCOMPARE(evaluate(window.lastResult(), false).labelledImages, 2);
    QCOMPARE(evaluate(window.lastResult(), true).top1Accuracy, 1.0);
    const QString summary = window.findChild<QLabel *>(QStringLiteral("resultSummaryLabel"))->text();
    QVERIFY2(summary.contains(QLatin1String("Evaluation on 2 labelled images")), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("<td>FP16</td>")), qPrintable(summary));
}

void TestMainWindow::itemModelsPassTester()
{
    ParameterTableModel parameters;
    QAbstractItemModelTester parameterTester(&parameters, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TensorInfo tensor;
    tensor.name = QStringLiteral("fc.weight");
    tensor.shape = { 10, 4 };
    tensor.dtype = QStringLiteral("float16");
    tensor.elementCount = 40;
    tensor.bytes = 80;
    parameters.setTensors({ tensor, tensor });
    QCOMPARE(parameters.rowCount(), 2);
    QCOMPARE(parameters.index(0, ParameterTableModel::ShapeColumn).data().toString(), QStringLiteral("[10, 4]"));
    QCOMPARE(parameters.index(0, ParameterTableModel::BytesColumn).data(ParameterTableModel::SortRole).toLongLong(), 80);

    ResultsTableModel results;
    QAbstractItemModelTester resultsTester(&results, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ComparisonResult result;
    ImageComparison failed;
    failed.path = QStringLiteral("/photos/broken.png");
    failed.error = QStringLiteral("Cannot decode /photos/broken.png");
    result.images.push_back(failed);
    results.setResult(result);
    QCOMPARE(results.rowCount(), 1);
    QVERIFY(results.index(0, ResultsTableModel::ReferenceColumn).data().toString().startsWith(QLatin1String("failed:")));
    results.clear();
    QCOMPARE(results.rowCount(), 0);
}

namespace {

/// Returns the column widths of view, separated by spaces, for failure messages.
QString columnWidths(const QTableView *view)
{
    QStringList widths;
    for (int column = 0; column < view->model()->columnCount(); ++column)
        widths << QString::number(view->isColumnHidden(column) ? 0 : view->columnWidth(column));
    return widths.join(QLatin1Char(' '));
}

/// Checks that every column of view except the name column is at least as
/// wide as its cells and its header need, and with allInside that the
/// shape, dtype and number columns end inside the viewport.
void verifyNumbersFit(const QTableView *view, bool allInside)
{
    const QHeaderView *header = view->horizontalHeader();
    for (int column = 0; column < ParameterTableModel::ColumnCount; ++column) {
        if (column == ParameterTableModel::NameColumn || view->isColumnHidden(column))
            continue;
        // QTableView makes sizeHintForColumn() protected; QAbstractItemView declares it public.
        const auto *itemView = static_cast<const QAbstractItemView *>(view);
        const int needed = std::max(itemView->sizeHintForColumn(column), header->sectionSizeHint(column));
        QVERIFY2(view->columnWidth(column) >= needed,
                 qPrintable(QStringLiteral("%1: column %2 is %3 px wide, its contents need %4 px")
                                .arg(view->objectName()).arg(column).arg(view->columnWidth(column)).arg(needed)));
    }
    if (!allInside)
        return;
    // The shape, dtype and number columns end inside the viewport, so none is cut at its edge.
    for (int column : { ParameterTableModel::ShapeColumn, ParameterTableModel::DtypeColumn,
                        ParameterTableModel::ElementsColumn, ParameterTableModel::BytesColumn }) {
        const int right = header->sectionViewportPosition(column) + header->sectionSize(column);
        QVERIFY2(right <= view->viewport()->width(),
                 qPrintable(QStringLiteral("%1: column %2 ends at %3 px in a %4 px viewport, widths %5")
                                .arg(view->objectName()).arg(column).arg(right).arg(view->viewport()->width())
                                .arg(columnWidths(view))));
    }
}

} // namespace

void TestMainWindow::parameterColumnsFitNumbers()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *parameterTable = window.findChild<QTableView *>(QStringLiteral("parameterTable"));
    auto *moduleTable = window.findChild<QTableView *>(QStringLiteral("moduleTensorTable"));
    QVERIFY(parameterTable && moduleTable);

    window.openDemo();
    QTRY_COMPARE_WITH_TIMEOUT(parameterTable->model()->rowCount(), 92, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(moduleTable->model()->rowCount(), 92, 30000);
    verifyNumbersFit(parameterTable, true);
    verifyNumbersFit(moduleTable, true);

    // A narrower window elides names or scrolls, but never cuts a number.
    window.resize(window.minimumSizeHint());
    QCoreApplication::processEvents();
    verifyNumbersFit(parameterTable, false);
    verifyNumbersFit(moduleTable, false);

    // The tooltip names the exact element and byte counts.
    const QModelIndex bytes = parameterTable->model()->index(0, ParameterTableModel::BytesColumn);
    const QString toolTip = bytes.data(Qt::ToolTipRole).toString();
    QVERIFY2(toolTip.contains(QLatin1String(" elements, ")), qPrintable(toolTip));
    QVERIFY2(toolTip.contains(QLatin1String(" bytes")), qPrintable(toolTip));
}

void TestMainWindow::imageListDistinguishesSameNames()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString coffee = test::demoPhoto(QStringLiteral("coffee.png"));
    const QStringList copies = { QStringLiteral("cats/chelsea.png"), QStringLiteral("dogs/chelsea.png"),
                                 QStringLiteral("a/shared/coffee.png"), QStringLiteral("b/shared/coffee.png"),
                                 QStringLiteral("a/astronaut.png") };
    for (const QString &copy : copies) {
        QVERIFY(QDir(folder.path()).mkpath(QFileInfo(copy).path()));
        QVERIFY(QFile::copy(coffee, folder.filePath(copy)));
    }

    ImageListWidget list;
    QStringList paths;
    for (const QString &copy : copies)
        paths << folder.filePath(copy);
    QVERIFY(list.addPaths(paths).isEmpty());
    QCOMPARE(list.count(), 5);
    QStringList texts;
    for (int row = 0; row < list.count(); ++row) {
        texts << list.item(row)->text();
        QCOMPARE(list.item(row)->toolTip(), QFileInfo(paths[row]).absoluteFilePath());
    }
    QCOMPARE(texts, (QStringList { QStringLiteral("cats/chelsea.png"), QStringLiteral("dogs/chelsea.png"),
                                   QStringLiteral("a/shared/coffee.png"), QStringLiteral("b/shared/coffee.png"),
                                   QStringLiteral("astronaut.png") }));

    // A file added later renames the item it shares its name with.
    QVERIFY(list.addPaths({ test::demoPhoto(QStringLiteral("astronaut.png")) }).isEmpty());
    QCOMPARE(list.item(4)->text(), QStringLiteral("a/astronaut.png"));
    QCOMPARE(list.item(5)->text(), QStringLiteral("images/astronaut.png"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
