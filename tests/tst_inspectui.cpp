// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "checkpoint/checkpointtree.h"
#include "checkpointtreemodel.h"
#include "inspect/attributesview.h"
#include "inspect/attributetablemodel.h"
#include "inspect/codeview.h"
#include "inspect/inspector.h"
#include "inspect/modelinspector.h"
#include "inspect/moduletreemodel.h"
#include "inspect/parameterfilterproxy.h"
#include "inspect/statisticspanel.h"
#include "mainwindow.h"
#include "parametertablemodel.h"
#include "resultstablemodel.h"
#include "run/comparison.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTreeView>
#include <QtTest>

using namespace halfscope;

namespace {

QString architecture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_ARCHITECTURE_FIXTURES "/") + name;
}

/// Returns the texts of one column of every row the proxy shows.
QStringList shownColumn(const QAbstractItemModel *model, int column)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data().toString();
    return texts;
}

int countWithDtype(const Inspection &inspection, const QString &dtype)
{
    int count = 0;
    for (const TensorInfo &tensor : inspection.tensors)
        count += tensor.dtype == dtype ? 1 : 0;
    return count;
}

/// Loads a model into a ModelInspector and waits for its inspection.
bool inspect(ModelInspector &inspector, const QString &file)
{
    QSignalSpy ready(&inspector, &ModelInspector::inspectionReady);
    inspector.setModel(Model::load(architecture(file)));
    return ready.wait(60000);
}

} // namespace

class TestInspectUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void itemModelsPassTester();
    void treeShowsResnetChildren();
    void selectingModuleFiltersTable();
    void dtypeFilterOnMixedModel();
    void nameFilterAndTotals();
    void codeViewFindsText();
    void attributesViewFilters();
    void statisticsRunInBackground();
    void mainWindowShowsInspectorTabs();
};

void TestInspectUi::itemModelsPassTester()
{
    using Tester = QAbstractItemModelTester;
    const Inspection inspection = inspectModel(Model::load(architecture(QStringLiteral("resnet18_mixed.pt"))));

    ModuleTreeModel modules;
    Tester moduleTester(&modules, Tester::FailureReportingMode::QtTest);
    modules.setTree(inspection.root, true);
    QCOMPARE(modules.rowCount(), 1);
    QCOMPARE(modules.rowCount(modules.index(0, 0)), 10);
    const QModelIndex conv = modules.indexOfPath(QStringLiteral("layer2.0.downsample.0"));
    QVERIFY(conv.isValid());
    QCOMPARE(conv.data(ModuleTreeModel::PathRole).toString(), QStringLiteral("layer2.0.downsample.0"));
    QCOMPARE(conv.parent().data().toString(), QStringLiteral("downsample"));

    ParameterTableModel table;
    Tester tableTester(&table, Tester::FailureReportingMode::QtTest);
    ParameterFilterProxy proxy;
    Tester proxyTester(&proxy, Tester::FailureReportingMode::QtTest);
    proxy.setTableModel(&table);
    table.setTensors(inspection.tensors);
    proxy.setModuleFilter(QStringLiteral("fc"));
    proxy.setDtypeFilter(QStringLiteral("float16"));
    QCOMPARE(proxy.rowCount(), 2);
    // torch::jit::load keeps requires_grad on parameters; buffers never have it.
    QCOMPARE(table.index(0, ParameterTableModel::KindColumn).data().toString(), QStringLiteral("parameter"));
    QCOMPARE(table.index(0, ParameterTableModel::RequiresGradColumn).data().toString(), QStringLiteral("yes"));
    const int lastRow = table.rowCount() - 1;
    QCOMPARE(table.index(lastRow, ParameterTableModel::KindColumn).data().toString(), QStringLiteral("buffer"));
    QCOMPARE(table.index(lastRow, ParameterTableModel::RequiresGradColumn).data().toString(), QStringLiteral("no"));
    modules.clear();

    AttributeTableModel attributes;
    Tester attributeTester(&attributes, Tester::FailureReportingMode::QtTest);
    attributes.setAttributes(inspection.attributes);
    QVERIFY(attributes.rowCount() > 60);

    CheckpointTreeModel checkpointTree;
    Tester checkpointTester(&checkpointTree, Tester::FailureReportingMode::QtTest);
    checkpointTree.setTree(buildCheckpointTree(
        Checkpoint::open(QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/nested.pt"))));
    QVERIFY(checkpointTree.rowCount() > 0);

    ResultsTableModel results;
    Tester resultsTester(&results, Tester::FailureReportingMode::QtTest);
    const Model demo = Model::load(test::demoModel());
    ComparisonOptions options;
    options.warmupIterations = 0;
    options.timedIterations = 0;
    results.setResult(compareModels(demo, demo, { test::demoPhoto(QStringLiteral("coffee.png")) }, options));
    QCOMPARE(results.rowCount(), 1);
}

void TestInspectUi::treeShowsResnetChildren()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_scripted.pt")));

    const ModuleTreeModel *model = inspector.moduleModel();
    const QModelIndex root = model->index(0, 0);
    QCOMPARE(root.data().toString(), QStringLiteral("(root)"));
    QCOMPARE(model->index(0, ModuleTreeModel::TypeColumn).data().toString(), QStringLiteral("ResNet18"));
    QCOMPARE(model->index(0, ModuleTreeModel::ParametersColumn).data().toInt(), 62);
    QCOMPARE(model->index(0, ModuleTreeModel::BuffersColumn).data().toInt(), 60);

    const QStringList children = [&] {
        QStringList names;
        for (int row = 0; row < model->rowCount(root); ++row)
            names << model->index(row, 0, root).data().toString();
        return names;
    }();
    QCOMPARE(children, QStringList({ QStringLiteral("conv1"), QStringLiteral("bn1"), QStringLiteral("relu"),
                                     QStringLiteral("maxpool"), QStringLiteral("layer1"), QStringLiteral("layer2"),
                                     QStringLiteral("layer3"), QStringLiteral("layer4"), QStringLiteral("avgpool"),
                                     QStringLiteral("fc") }));
    const QModelIndex layer4 = model->index(7, 0, root);
    QCOMPARE(model->index(7, ModuleTreeModel::TypeColumn, root).data().toString(), QStringLiteral("Sequential"));
    QCOMPARE(model->index(7, ModuleTreeModel::ParametersColumn, root).data().toInt(), 15);
    QCOMPARE(model->index(7, ModuleTreeModel::BuffersColumn, root).data().toInt(), 15);
    QCOMPARE(model->index(7, ModuleTreeModel::ElementsColumn, root).data(ModuleTreeModel::SortRole).toLongLong(),
             findModule(inspector.inspection().root, QStringLiteral("layer4"))->subtree.elements);
    QCOMPARE(model->rowCount(layer4), 2);
    QCOMPARE(model->index(9, ModuleTreeModel::DtypesColumn, root).data().toString(), QStringLiteral("float32"));
}

void TestInspectUi::selectingModuleFiltersTable()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_scripted.pt")));
    QCOMPARE(inspector.tensorProxy()->rowCount(), 122);

    QSignalSpy selected(&inspector, &ModelInspector::moduleSelected);
    inspector.selectModule(QStringLiteral("layer4"));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.first().first().toString(), QStringLiteral("layer4"));

    const QStringList names = shownColumn(inspector.tensorProxy(), ParameterTableModel::NameColumn);
    QCOMPARE(names.size(), 30);
    for (const QString &name : names)
        QVERIFY2(name.startsWith(QLatin1String("layer4.")), qPrintable(name));
    QVERIFY2(inspector.totalsLabel()->text().contains(QLatin1String("30 tensors of layer4")),
             qPrintable(inspector.totalsLabel()->text()));

    // A click in the tree selects like selectModule().
    inspector.moduleView()->setCurrentIndex(inspector.moduleModel()->indexOfPath(QStringLiteral("layer1.0.bn1")));
    QCOMPARE(selected.last().first().toString(), QStringLiteral("layer1.0.bn1"));
    QCOMPARE(inspector.tensorProxy()->rowCount(), 5);

    inspector.selectModule(QString());
    QCOMPARE(inspector.tensorProxy()->rowCount(), 122);
}

void TestInspectUi::dtypeFilterOnMixedModel()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_mixed.pt")));
    QComboBox *dtypes = inspector.dtypeCombo();
    QCOMPARE(dtypes->count(), 4);

    dtypes->setCurrentIndex(dtypes->findData(QStringLiteral("float16")));
    const QStringList halfNames = shownColumn(inspector.tensorProxy(), ParameterTableModel::NameColumn);
    QCOMPARE(halfNames.size(), countWithDtype(inspector.inspection(), QStringLiteral("float16")));
    QVERIFY(!halfNames.isEmpty());
    for (const QString &name : halfNames)
        QVERIFY2(name.startsWith(QLatin1String("layer4.")) || name.startsWith(QLatin1String("fc.")), qPrintable(name));

    dtypes->setCurrentIndex(dtypes->findData(QStringLiteral("float32")));
    const QStringList fullNames = shownColumn(inspector.tensorProxy(), ParameterTableModel::NameColumn);
    QCOMPARE(fullNames.size(), countWithDtype(inspector.inspection(), QStringLiteral("float32")));
    for (const QString &name : fullNames)
        QVERIFY2(!name.startsWith(QLatin1String("layer4.")) && !name.startsWith(QLatin1String("fc.")), qPrintable(name));

    // The module and dtype filters combine: layer4 keeps no float32 tensor.
    inspector.selectModule(QStringLiteral("layer4"));
    QCOMPARE(inspector.tensorProxy()->rowCount(), 0);
    QVERIFY(shownColumn(inspector.tensorProxy(), 0).isEmpty());
}

void TestInspectUi::nameFilterAndTotals()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_scripted.pt")));

    inspector.nameFilter()->setText(QStringLiteral("RUNNING_VAR"));
    QCOMPARE(inspector.tensorProxy()->rowCount(), 20);
    const TensorCounts totals = inspector.tensorProxy()->shownTotals();
    QCOMPARE(totals.buffers, 20);
    QCOMPARE(totals.parameters, 0);
    QCOMPARE(totals.bytes, totals.elements * 4);
    QVERIFY2(inspector.totalsLabel()->text().contains(QLatin1String("0 parameters, 20 buffers")),
             qPrintable(inspector.totalsLabel()->text()));
}

void TestInspectUi::codeViewFindsText()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_scripted.pt")));
    CodeView *code = inspector.codeView();
    QCOMPARE(code->methodCount(), int(inspector.inspection().methods.size()));
    QVERIFY2(code->shownText().contains(QLatin1String("def forward(")), qPrintable(code->shownText()));

    // The printer reads the attribute first ("layer4 = self.layer4") and
    // calls it later ("(layer4).forward(...)").
    QVERIFY(code->findNext(QStringLiteral("layer4 = self")));
    QCOMPARE(code->selectedText(), QStringLiteral("layer4 = self"));
    const int firstLine = code->cursorLine();
    QVERIFY(code->findNext(QStringLiteral("(layer4)")));
    QVERIFY(code->cursorLine() > firstLine);
    QVERIFY(code->findPrevious(QStringLiteral("layer4 = self")));
    QCOMPARE(code->cursorLine(), firstLine);
    // conv1 comes before both, so the search wraps to the start.
    QVERIFY(code->findNext(QStringLiteral("conv1")));
    QCOMPARE(code->selectedText(), QStringLiteral("conv1"));
    QVERIFY(code->cursorLine() < firstLine);
    QVERIFY(code->findNext(QStringLiteral("layer4")));
    QVERIFY(!code->findNext(QStringLiteral("no_such_name_in_code")));
    QCOMPARE(code->selectedText(), QStringLiteral("layer4"));

    code->setText(CodeView::Text::Graph);
    QVERIFY(code->shownText().startsWith(QLatin1String("graph(")));
    QVERIFY(code->findNext(QStringLiteral("prim::CallMethod")));
}

void TestInspectUi::attributesViewFilters()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_scripted.pt")));
    AttributesView *view = inspector.attributesView();
    QCOMPARE(view->methodTable()->rowCount(), int(inspector.inspection().methods.size()));

    view->setFilterText(QStringLiteral("momentum"));
    QCOMPARE(view->attributeProxy()->rowCount(), 20);
    QCOMPARE(view->attributeProxy()->index(0, AttributeTableModel::ValueColumn).data().toString(), QStringLiteral("0.1"));
}

void TestInspectUi::statisticsRunInBackground()
{
    ModelInspector inspector;
    QVERIFY(inspect(inspector, QStringLiteral("resnet18_mixed.pt")));

    QSignalSpy ready(&inspector, &ModelInspector::statisticsReady);
    inspector.computeStatistics(QStringLiteral("fc.bias"));
    QVERIFY(ready.wait(30000));
    const auto statistics = ready.first().first().value<TensorStatistics>();
    QCOMPARE(statistics.dtype, QStringLiteral("float16"));
    QCOMPARE(statistics.elementCount, int64_t(1000));
    QVERIFY(statistics.min < statistics.max);
    QVERIFY2(inspector.statisticsPanel()->text().contains(QLatin1String("fc.bias")),
             qPrintable(inspector.statisticsPanel()->text()));
    QVERIFY(inspector.statisticsPanel()->text().contains(QLatin1String("In float16")));

    QSignalSpy failed(&inspector, &ModelInspector::failed);
    inspector.computeStatistics(QStringLiteral("no.such.tensor"));
    QVERIFY(failed.wait(30000));
    QVERIFY(failed.first().first().toString().contains(QLatin1String("no.such.tensor")));
}

void TestInspectUi::mainWindowShowsInspectorTabs()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.openModel(architecture(QStringLiteral("resnet18_mixed.pt")));
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("modelTabs"));
    QVERIFY(tabs);
    QStringList titles;
    for (int i = 0; i < tabs->count(); ++i)
        titles << tabs->tabText(i);
    for (const QString &title : { QStringLiteral("Modules"), QStringLiteral("Parameters"), QStringLiteral("Code"),
                                  QStringLiteral("Attributes"), QStringLiteral("Checkpoint") })
        QVERIFY2(titles.contains(title), qPrintable(titles.join(QLatin1String(", "))));

    auto *moduleTree = window.findChild<QTreeView *>(QStringLiteral("moduleTree"));
    QVERIFY(moduleTree);
    QTRY_COMPARE_WITH_TIMEOUT(moduleTree->model()->rowCount(), 1, 60000);
    QCOMPARE(tabs->currentWidget(), window.modelInspector()->modulesPage());
    QSignalSpy selected(window.modelInspector(), &ModelInspector::moduleSelected);
    window.modelInspector()->selectModule(QStringLiteral("fc"));
    QCOMPARE(selected.count(), 1);
}

QTEST_MAIN(TestInspectUi)
#include "tst_inspectui.moc"
