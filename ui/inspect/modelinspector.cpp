// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/modelinspector.h"

#include "common/error.h"
#include "common/logging.h"
#include "inspect/attributesview.h"
#include "inspect/codeview.h"
#include "inspect/inspector.h"
#include "inspect/moduletreemodel.h"
#include "inspect/parameterfilterproxy.h"
#include "inspect/statisticspanel.h"
#include "parametertablemodel.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace halfscope {

namespace {

/// A job's value, or the failure that replaced it.
template<typename T>
struct Outcome
{
    T value {};
    Failure failure;
};

template<typename T, typename Work>
Outcome<T> runGuarded(Work work)
{
    Outcome<T> outcome;
    try {
        outcome.value = work();
    } catch (const Error &error) {
        outcome.failure = Failure { error.message(), error.detail() };
    } catch (const std::exception &error) {
        outcome.failure = Failure { QStringLiteral("Unexpected error: %1").arg(firstLineOf(error.what())),
                                    QString::fromUtf8(error.what()) };
    }
    return outcome;
}

/// Runs work on pool and calls done(outcome) on the receiver's thread.
template<typename T, typename Work, typename Done>
void runJob(QThreadPool *pool, QObject *receiver, Work work, Done done)
{
    auto *watcher = new QFutureWatcher<Outcome<T>>(receiver);
    QObject::connect(watcher, &QFutureWatcherBase::finished, receiver, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(pool, [work] { return runGuarded<T>(work); }));
}

} // namespace

ModelInspector::ModelInspector(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_moduleModel = new ModuleTreeModel(this);
    m_tensorModel = new ParameterTableModel(this);
    m_tensorProxy = new ParameterFilterProxy(this);
    m_tensorProxy->setTableModel(m_tensorModel);
    m_modulesPage = createModulesPage();
    m_codeView = new CodeView;
    m_codeView->setObjectName(QStringLiteral("codeView"));
    m_attributesView = new AttributesView;
    m_attributesView->setObjectName(QStringLiteral("attributesView"));
    connect(m_tensorProxy, &ParameterFilterProxy::shownRowsChanged, this, &ModelInspector::updateTotals);
    updateTotals();
}

ModelInspector::~ModelInspector()
{
    m_pool.waitForDone();
}

QWidget *ModelInspector::createModulesPage()
{
    m_moduleView = new QTreeView;
    m_moduleView->setObjectName(QStringLiteral("moduleTree"));
    m_moduleView->setModel(m_moduleModel);
    m_moduleView->setUniformRowHeights(true);
    m_moduleView->setAlternatingRowColors(true);
    connect(m_moduleView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onModuleChanged(current); });

    m_nameFilter = new QLineEdit;
    m_nameFilter->setObjectName(QStringLiteral("tensorNameFilter"));
    m_nameFilter->setPlaceholderText(tr("Filter tensors by name"));
    m_nameFilter->setClearButtonEnabled(true);
    connect(m_nameFilter, &QLineEdit::textChanged, m_tensorProxy, &ParameterFilterProxy::setNameFilter);
    m_dtypeCombo = new QComboBox;
    m_dtypeCombo->setObjectName(QStringLiteral("tensorDtypeFilter"));
    m_dtypeCombo->setToolTip(tr("Show the tensors of one dtype"));
    connect(m_dtypeCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_tensorProxy->setDtypeFilter(m_dtypeCombo->currentData().toString()); });
    fillDtypeChoices();

    m_tensorView = new QTableView;
    m_tensorView->setObjectName(QStringLiteral("moduleTensorTable"));
    m_tensorView->setModel(m_tensorProxy);
    setUpParameterColumns(m_tensorView);
    m_tensorView->setSortingEnabled(true);
    m_tensorView->sortByColumn(-1, Qt::AscendingOrder);
    m_tensorView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tensorView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tensorView->setAlternatingRowColors(true);
    m_tensorView->verticalHeader()->hide();
    m_tensorView->verticalHeader()->setDefaultSectionSize(m_tensorView->fontMetrics().height() + 6);
    m_tensorView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tensorView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onTensorChanged(current); });
    connect(m_tensorView, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_tensorView->indexAt(position);
        if (!index.isValid())
            return;
        const QString name = m_tensorProxy->index(index.row(), ParameterTableModel::NameColumn).data().toString();
        QMenu menu;
        menu.addAction(tr("Compute Statistics of %1").arg(name), this, [this, name] { computeStatistics(name); });
        menu.exec(m_tensorView->viewport()->mapToGlobal(position));
    });

    m_totalsLabel = new QLabel;
    m_totalsLabel->setObjectName(QStringLiteral("tensorTotalsLabel"));
    m_statisticsPanel = new StatisticsPanel;
    connect(m_statisticsPanel, &StatisticsPanel::computeRequested, this, &ModelInspector::computeStatistics);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_nameFilter, 1);
    filterRow->addWidget(m_dtypeCombo);
    auto *lower = new QWidget;
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addLayout(filterRow);
    lowerLayout->addWidget(m_tensorView, 1);
    lowerLayout->addWidget(m_totalsLabel);
    lowerLayout->addWidget(m_statisticsPanel);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("modulesSplitter"));
    splitter->addWidget(m_moduleView);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    return splitter;
}

void ModelInspector::addPagesTo(QTabWidget *tabs)
{
    tabs->insertTab(0, m_modulesPage, tr("Modules"));
    tabs->addTab(m_codeView, tr("Code"));
    tabs->addTab(m_attributesView, tr("Attributes"));
}

void ModelInspector::setModel(const Model &model)
{
    if (model.data() == m_model.data() && m_checkpoint.isNull())
        return;
    m_model = model;
    m_checkpoint = Checkpoint();
    if (model.isNull()) {
        clear();
        return;
    }
    startInspection([model] { return inspectModel(model); });
}

void ModelInspector::setCheckpoint(const Checkpoint &checkpoint)
{
    if (checkpoint.data() == m_checkpoint.data())
        return;
    m_checkpoint = checkpoint;
    m_model = Model();
    if (checkpoint.isNull()) {
        clear();
        return;
    }
    startInspection([checkpoint] { return inspectCheckpoint(checkpoint); });
}

template<typename Work>
void ModelInspector::startInspection(Work work)
{
    const int generation = ++m_generation;
    ++m_runningJobs;
    runJob<Inspection>(&m_pool, this, work, [this, generation](const Outcome<Inspection> &outcome) {
        --m_runningJobs;
        if (generation != m_generation)
            return;
        if (!outcome.failure.isNull()) {
            qCWarning(lcUi) << "inspection failed:" << outcome.failure.detail;
            Q_EMIT failed(outcome.failure.message, outcome.failure.detail);
            return;
        }
        showInspection(outcome.value);
    });
}

void ModelInspector::clear()
{
    ++m_generation;
    m_model = Model();
    m_checkpoint = Checkpoint();
    showInspection(Inspection());
    m_moduleModel->clear();
}

void ModelInspector::showInspection(const Inspection &inspection)
{
    m_inspection = inspection;
    m_moduleModel->setTree(inspection.root, inspection.kindKnown());
    m_tensorModel->setTensors(inspection.tensors);
    m_tensorView->setColumnHidden(ParameterTableModel::KindColumn, !inspection.kindKnown());
    m_tensorProxy->setModuleFilter(QString());
    fillDtypeChoices();
    m_statisticsPanel->setTensorName(QString());
    m_codeView->setMethods(inspection.methods);
    m_attributesView->setInspection(inspection);

    m_moduleView->expandToDepth(0);
    for (int column = 0; column < ModuleTreeModel::ColumnCount; ++column)
        m_moduleView->resizeColumnToContents(column);
    Q_EMIT inspectionReady();
}

void ModelInspector::fillDtypeChoices()
{
    const QString previous = m_dtypeCombo->currentData().toString();
    const QSignalBlocker blocker(m_dtypeCombo);
    m_dtypeCombo->clear();
    m_dtypeCombo->addItem(tr("All dtypes"), QString());
    for (const DtypeTotal &total : m_inspection.root.dtypes)
        m_dtypeCombo->addItem(total.dtype, total.dtype);
    const int index = m_dtypeCombo->findData(previous);
    m_dtypeCombo->setCurrentIndex(std::max(0, index));
    m_tensorProxy->setDtypeFilter(m_dtypeCombo->currentData().toString());
}

void ModelInspector::updateTotals()
{
    const TensorCounts totals = m_tensorProxy->shownTotals();
    const QLocale locale(QLocale::English);
    const QString where = m_tensorProxy->moduleFilter().isEmpty()
        ? tr("the whole model")
        : m_tensorProxy->moduleFilter();
    QString text = (totals.tensors == 1 ? tr("Shown: 1 tensor of %1") : tr("Shown: %1 tensors of %2").arg(totals.tensors))
                       .arg(where);
    if (m_inspection.kindKnown())
        text += tr(" (%1 parameters, %2 buffers)").arg(totals.parameters).arg(totals.buffers);
    text += tr(", %1 elements, %2").arg(locale.toString(qlonglong(totals.elements)), formatBytes(totals.bytes));
    m_totalsLabel->setText(text);
}

void ModelInspector::selectModule(const QString &dottedPath)
{
    const QModelIndex index = m_moduleModel->indexOfPath(dottedPath);
    if (!index.isValid())
        return;
    m_moduleView->scrollTo(index);
    m_moduleView->setCurrentIndex(index);
}

void ModelInspector::onModuleChanged(const QModelIndex &current)
{
    const QString path = current.isValid() ? current.data(ModuleTreeModel::PathRole).toString() : QString();
    m_tensorProxy->setModuleFilter(path);
    if (current.isValid())
        Q_EMIT moduleSelected(path);
}

void ModelInspector::onTensorChanged(const QModelIndex &current)
{
    const QString name = current.isValid()
        ? m_tensorProxy->index(current.row(), ParameterTableModel::NameColumn).data().toString()
        : QString();
    m_statisticsPanel->setTensorName(name);
}

void ModelInspector::computeStatistics(const QString &tensorName)
{
    if (m_model.isNull() && m_checkpoint.isNull())
        return;
    m_statisticsPanel->setTensorName(tensorName);
    m_statisticsPanel->showBusy();
    const int generation = m_generation;
    const Model model = m_model;
    const Checkpoint checkpoint = m_checkpoint;
    const QStringList stateDictPath = m_inspection.stateDictPath;
    ++m_runningJobs;
    runJob<TensorStatistics>(
        &m_pool, this,
        [model, checkpoint, stateDictPath, tensorName] {
            if (!model.isNull())
                return computeTensorStatistics(model, tensorName);
            return computeTensorStatistics(checkpoint, stateDictPath, tensorName);
        },
        [this, generation](const Outcome<TensorStatistics> &outcome) {
            --m_runningJobs;
            if (generation != m_generation)
                return;
            if (!outcome.failure.isNull()) {
                m_statisticsPanel->showError(outcome.failure.message);
                Q_EMIT failed(outcome.failure.message, outcome.failure.detail);
                return;
            }
            if (outcome.value.name == m_statisticsPanel->tensorName())
                m_statisticsPanel->showStatistics(outcome.value);
            Q_EMIT statisticsReady(outcome.value);
        });
}

} // namespace halfscope
