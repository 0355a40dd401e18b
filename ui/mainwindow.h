// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "checkpoint/checkpointtree.h"
#include "common/error.h"
#include "model/model.h"
#include "model/weightloading.h"
#include "presets/presetstore.h"
#include "run/benchmark.h"
#include "run/comparison.h"

#include <QMainWindow>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTabWidget;
class QToolButton;
class QTreeView;

namespace halfscope {

class BenchmarkPanel;
class CheckpointTreeModel;
class GraphWidget;
class ImageListWidget;
class ImageResultsView;
class ModelInspector;
class ModelJobs;
class ParameterTableModel;
class ResultPlot;
class ResultsTableModel;

/// HalfScope's main window: the model and its parameters on the left, images,
/// results and plots on the right. Loading, conversion and comparison run in
/// ModelJobs, off the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    const Model &referenceModel() const { return m_reference; }
    const Model &convertedModel() const { return m_converted; }
    const Checkpoint &openCheckpoint() const { return m_checkpoint; }
    const ComparisonResult &lastResult() const;
    /// Returns the last error shown to the user, for scripts and tests.
    QString lastError() const { return m_lastError; }
    bool isBusy() const;
    /// The Benchmark tab, with its settings, summary and batch-size sweep plot.
    BenchmarkPanel *benchmarkPanel() const { return m_benchmarkPanel; }
    /// The Modules, Code and Attributes pages; its moduleSelected signal
    /// reports the module chosen in the tree.
    ModelInspector *modelInspector() const { return m_inspector; }

public Q_SLOTS:
    /// Opens a TorchScript model, or shows a checkpoint's structure, in the background.
    void openModel(const QString &path);
    /// Opens a checkpoint and shows a dialog for loading its weights into the current model.
    void loadWeightsFrom(const QString &checkpointPath);
    /// Opens the demo model and adds the demo photos.
    void openDemo();
    void addImages(const QStringList &paths);
    /// Converts the loaded model with the precision chosen in the toolbar.
    void convertModel();
    /// Converts first if needed, then compares on the listed images.
    void runComparison();
    /// Asks the running comparison or benchmark to stop.
    void cancelComparison();
    /// Converts first if needed, then times both models with the settings of
    /// the Benchmark tab.
    void runBenchmark();
    /// Saves a preprocessing preset for later runs and selects it.
    void savePreset(const PreprocessPreset &preset);

Q_SIGNALS:
    /// Emitted when a comparison ends, cancelled or not.
    void comparisonFinished();
    /// Emitted when a benchmark ends: finished, cancelled, failed, or
    /// dropped by a cancel before its conversion was done.
    void benchmarkFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    QWidget *createModelPanel();
    QWidget *createRunPanel();
    QWidget *createResultsPanel();

    void onModelLoaded(const Model &model);
    void onCheckpointOpened(const Checkpoint &checkpoint, const CheckpointTreeNode &tree);
    void onWeightsLoaded(const Model &model, const WeightLoadReport &report);
    void showModel(const Model &model, const QString &origin);
    void onModelConverted(const Model &model);
    void onComparisonProgress(int processed, int total);
    void onComparisonFinished(const ComparisonResult &result);
    void startBenchmarkJob();
    void onBenchmarkProgress(int done, int total);
    void onBenchmarkFinished(const BenchmarkResult &result);
    void onJobFailed(const QString &task, const Failure &failure);

    void chooseModelFile();
    void chooseImages();
    void chooseImageFolder();
    void chooseLabelsFile();
    void chooseWeightsFile();
    void chooseGroundTruth(int index);
    QString groundTruthSpec() const;
    void saveReport();
    /// Opens the Export dialog for the last result, its plots and the converted model.
    void exportResults();
    void showAbout();

    void showParameters();
    void fillPresetChoices();
    /// Returns the preset chosen in the run settings; throws Error when a
    /// saved preset was deleted meanwhile.
    PreprocessPreset selectedPreset() const;
    void editPreset();
    void deletePreset();
    void saveRunSettings();
    void restoreRunSettings();
    void updateConvertButtonText();
    bool isConvertedToSelection() const;
    void updateActions();
    void updateSummary(const ComparisonResult &result);
    void startComparisonJob();
    ComparisonOptions currentOptions() const;
    Precision selectedPrecision() const;
    MemoryFormat selectedMemoryFormat() const;
    void reportError(const QString &title, const QString &message);

    ModelJobs *m_jobs = nullptr;
    Model m_reference;
    Model m_converted;
    QStringList m_labelOverride;
    Checkpoint m_checkpoint;
    bool m_weightsRequested = false;
    bool m_compareAfterConvert = false;
    bool m_benchmarkAfterConvert = false;
    QString m_lastError;

    QLabel *m_modelLabel = nullptr;
    QLabel *m_dtypeSummaryLabel = nullptr;
    QComboBox *m_shownModelCombo = nullptr;
    QLineEdit *m_parameterFilter = nullptr;
    QTableView *m_parameterView = nullptr;
    QTabWidget *m_modelTabs = nullptr;
    QTreeView *m_checkpointView = nullptr;
    GraphWidget *m_graphWidget = nullptr;
    CheckpointTreeModel *m_checkpointModel = nullptr;
    ParameterTableModel *m_parameterModel = nullptr;
    ModelInspector *m_inspector = nullptr;
    QSortFilterProxyModel *m_parameterProxy = nullptr;

    QComboBox *m_precisionCombo = nullptr;
    QPushButton *m_convertButton = nullptr;
    ImageListWidget *m_imageList = nullptr;
    QComboBox *m_presetCombo = nullptr;
    QToolButton *m_deletePresetButton = nullptr;
    PresetStore m_presetStore;
    QComboBox *m_ttaCombo = nullptr;
    QComboBox *m_mergeCombo = nullptr;
    QSpinBox *m_batchSpin = nullptr;
    QSpinBox *m_timedRunsSpin = nullptr;
    QSpinBox *m_threadsSpin = nullptr;
    QComboBox *m_memoryFormatCombo = nullptr;
    QComboBox *m_groundTruthCombo = nullptr;
    QString m_groundTruthCsv;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progressBar = nullptr;

    ImageResultsView *m_imageResults = nullptr;
    ResultsTableModel *m_resultsModel = nullptr; ///< Owned by m_imageResults.
    QLabel *m_resultSummaryLabel = nullptr;
    QList<ResultPlot *> m_resultPlots; ///< The plot tabs, in tab order.
    BenchmarkPanel *m_benchmarkPanel = nullptr;

    QAction *m_openAction = nullptr;
    QAction *m_openDemoAction = nullptr;
    QAction *m_addImagesAction = nullptr;
    QAction *m_addFolderAction = nullptr;
    QAction *m_loadLabelsAction = nullptr;
    QAction *m_loadWeightsAction = nullptr;
    QAction *m_saveReportAction = nullptr;
    QAction *m_exportResultsAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_benchmarkAction = nullptr;
};

} // namespace halfscope
