// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "inspect/inspection.h"
#include "inspect/tensorstatistics.h"
#include "model/model.h"

#include <QObject>
#include <QThreadPool>

class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;
class QTreeView;
class QWidget;

namespace halfscope {

class AttributesView;
class CodeView;
class ModuleTreeModel;
class ParameterFilterProxy;
class ParameterTableModel;
class StatisticsPanel;

/// The inspection pages of the model panel: "Modules" (module tree above a
/// filtered tensor table with totals and statistics), "Code" and
/// "Attributes".
///
/// Inspection and statistics run on a private one-thread pool, never on the
/// GUI thread; a result for a model that is no longer shown is dropped.
class ModelInspector : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelInspector)

public:
    explicit ModelInspector(QObject *parent = nullptr);
    /// Waits for a running inspection or statistics job.
    ~ModelInspector() override;

    /// Inserts "Modules" as the first tab and appends "Code" and
    /// "Attributes"; the tab widget takes ownership of the pages.
    void addPagesTo(QTabWidget *tabs);

    /// Inspects a model in the background; emits inspectionReady or failed.
    /// Setting the model already shown does nothing.
    void setModel(const Model &model);
    /// Inspects a checkpoint in the background, as setModel.
    void setCheckpoint(const Checkpoint &checkpoint);
    void clear();

    /// Selects the module at a dotted path ("" for the root) in the tree.
    void selectModule(const QString &dottedPath);
    /// Computes the statistics of a tensor in the background; emits
    /// statisticsReady or failed.
    void computeStatistics(const QString &tensorName);

    const Inspection &inspection() const { return m_inspection; }
    bool isBusy() const { return m_runningJobs > 0; }

    QWidget *modulesPage() const { return m_modulesPage; }
    CodeView *codeView() const { return m_codeView; }
    AttributesView *attributesView() const { return m_attributesView; }
    ModuleTreeModel *moduleModel() const { return m_moduleModel; }
    QTreeView *moduleView() const { return m_moduleView; }
    ParameterTableModel *tensorModel() const { return m_tensorModel; }
    ParameterFilterProxy *tensorProxy() const { return m_tensorProxy; }
    QTableView *tensorView() const { return m_tensorView; }
    QComboBox *dtypeCombo() const { return m_dtypeCombo; }
    QLineEdit *nameFilter() const { return m_nameFilter; }
    QLabel *totalsLabel() const { return m_totalsLabel; }
    StatisticsPanel *statisticsPanel() const { return m_statisticsPanel; }

Q_SIGNALS:
    /// Emitted when the user or selectModule() selects a module; "" is the root.
    void moduleSelected(const QString &dottedPath);
    void inspectionReady();
    void statisticsReady(const halfscope::TensorStatistics &statistics);
    /// message is a sentence for the user; detail goes to the log.
    void failed(const QString &message, const QString &detail);

private:
    QWidget *createModulesPage();
    template<typename Work>
    void startInspection(Work work);
    void showInspection(const Inspection &inspection);
    void fillDtypeChoices();
    void updateTotals();
    void onModuleChanged(const QModelIndex &current);
    void onTensorChanged(const QModelIndex &current);

    QThreadPool m_pool;
    int m_generation = 0; ///< Increases with every new file; older results are dropped.
    int m_runningJobs = 0;
    Model m_model;
    Checkpoint m_checkpoint;
    Inspection m_inspection;

    QWidget *m_modulesPage = nullptr;
    ModuleTreeModel *m_moduleModel = nullptr;
    QTreeView *m_moduleView = nullptr;
    ParameterTableModel *m_tensorModel = nullptr;
    ParameterFilterProxy *m_tensorProxy = nullptr;
    QTableView *m_tensorView = nullptr;
    QLineEdit *m_nameFilter = nullptr;
    QComboBox *m_dtypeCombo = nullptr;
    QLabel *m_totalsLabel = nullptr;
    StatisticsPanel *m_statisticsPanel = nullptr;
    CodeView *m_codeView = nullptr;
    AttributesView *m_attributesView = nullptr;
};

} // namespace halfscope
