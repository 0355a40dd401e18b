// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "benchmarkpanel.h"
#include "checkpointtreemodel.h"
#include "common/demoassets.h"
#include "common/logging.h"
#include "exportdialog.h"
#include "graph/graphwidget.h"
#include "imagelistwidget.h"
#include "model/classnames.h"
#include "modeljobs.h"
#include "inspect/modelinspector.h"
#include "parametertablemodel.h"
#include "plots/batchsweepplot.h"
#include "plots/resultplots.h"
#include "report/atomicfile.h"
#include "report/jsonreport.h"
#include "report/reportfolder.h"
#include "presets/preseteditordialog.h"
#include "results/imageresultsview.h"
#include "resultstablemodel.h"
#include "run/cpufeatures.h"
#include "run/evaluation.h"
#include "run/threading.h"
#include "weightloaddialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace halfscope {

namespace {

/// Prefix of the preset combo's item data for presets the user saved.
const char *const kUserPresetPrefix = "user:";

QString idleSummaryText()
{
    return MainWindow::tr("Run a comparison to see how far the converted model drifts from FP32.");
}

const char *const kImageFilter = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.ppm *.pgm)";
const char *const kModelFilter = "Models and checkpoints (*.pt *.pth *.ts *.torchscript *.ckpt *.bin *.safetensors *.json);;All files (*)";
const char *const kCheckpointFilter = "Checkpoints (*.pt *.pth *.ckpt *.bin *.tar *.safetensors *.index.json);;All files (*)";

QTableView *createTableView(QWidget *parent, const QString &objectName)
{
    auto *view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_jobs(new ModelJobs(this))
{
    setWindowTitle(tr("HalfScope"));
    setAcceptDrops(true);
    createActions();

    auto *rightSplitter = new QSplitter(Qt::Vertical);
    rightSplitter->addWidget(createRunPanel());
    rightSplitter->addWidget(createResultsPanel());
    rightSplitter->setStretchFactor(1, 3);

    auto *mainSplitter = new QSplitter(Qt::Horizontal);
    mainSplitter->addWidget(createModelPanel());
    mainSplitter->addWidget(rightSplitter);
    mainSplitter->setStretchFactor(0, 2);
    mainSplitter->setStretchFactor(1, 3);
    mainSplitter->setSizes({ 540, 740 });
    setCentralWidget(mainSplitter);

    m_progressBar = new QProgressBar;
    m_progressBar->setObjectName(QStringLiteral("progressBar"));
    m_progressBar->setMaximumWidth(240);
    m_progressBar->setVisible(false);
    statusBar()->addPermanentWidget(m_progressBar);
    statusBar()->showMessage(tr("Open a TorchScript model or a checkpoint (File > Open), or drop one here."));

    connect(m_jobs, &ModelJobs::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(m_jobs, &ModelJobs::checkpointOpened, this, &MainWindow::onCheckpointOpened);
    connect(m_jobs, &ModelJobs::weightsLoaded, this, &MainWindow::onWeightsLoaded);
    connect(m_jobs, &ModelJobs::modelConverted, this, &MainWindow::onModelConverted);
    connect(m_jobs, &ModelJobs::comparisonProgress, this, &MainWindow::onComparisonProgress);
    connect(m_jobs, &ModelJobs::comparisonFinished, this, &MainWindow::onComparisonFinished);
    connect(m_jobs, &ModelJobs::benchmarkProgress, this, &MainWindow::onBenchmarkProgress);
    connect(m_jobs, &ModelJobs::benchmarkFinished, this, &MainWindow::onBenchmarkFinished);
    connect(m_jobs, &ModelJobs::failed, this, &MainWindow::onJobFailed);
    connect(m_jobs, &ModelJobs::busyChanged, this, &MainWindow::updateActions);

    resize(1280, 800);
    updateActions();
}

MainWindow::~MainWindow()
{
    m_jobs->cancel();
}

const ComparisonResult &MainWindow::lastResult() const
{
    return m_resultsModel->result();
}

bool MainWindow::isBusy() const
{
    return m_jobs->isBusy();
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    m_openAction = fileMenu->addAction(tr("&Open Model…"), this, &MainWindow::chooseModelFile);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openDemoAction = fileMenu->addAction(tr("Open &Demo"), this, &MainWindow::openDemo);
    fileMenu->addSeparator();
    m_addImagesAction = fileMenu->addAction(tr("Add &Images…"), this, &MainWindow::chooseImages);
    m_addImagesAction->setShortcut(QKeySequence(tr("Ctrl+I")));
    m_addFolderAction = fileMenu->addAction(tr("Add Image &Folder…"), this, &MainWindow::chooseImageFolder);
    m_loadWeightsAction = fileMenu->addAction(tr("Load &Weights from Checkpoint…"), this, &MainWindow::chooseWeightsFile);
    m_loadLabelsAction = fileMenu->addAction(tr("Load &Labels…"), this, &MainWindow::chooseLabelsFile);
    fileMenu->addSeparator();
    m_saveReportAction = fileMenu->addAction(tr("&Save Report as JSON…"), this, &MainWindow::saveReport);
    m_saveReportAction->setShortcut(QKeySequence::Save);
    m_exportResultsAction = fileMenu->addAction(tr("&Export Results…"), this, &MainWindow::exportResults);
    m_exportResultsAction->setObjectName(QStringLiteral("exportResultsAction"));
    fileMenu->addSeparator();
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence::Quit);

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    m_runAction = runMenu->addAction(tr("&Compare"), this, &MainWindow::runComparison);
    m_runAction->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_benchmarkAction = runMenu->addAction(tr("&Benchmark"), this, &MainWindow::runBenchmark);
    m_benchmarkAction->setShortcut(QKeySequence(tr("Ctrl+B")));
    QAction *cancelAction = runMenu->addAction(tr("C&ancel"), this, &MainWindow::cancelComparison);
    cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About HalfScope"), this, &MainWindow::showAbout);
}

QWidget *MainWindow::createModelPanel()
{
    auto *panel = new QGroupBox(tr("Model"));
    auto *layout = new QVBoxLayout(panel);

    m_modelLabel = new QLabel(tr("No model loaded."));
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    m_modelLabel->setWordWrap(true);
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_modelLabel);

    auto *convertRow = new QHBoxLayout;
    m_precisionCombo = new QComboBox;
    m_precisionCombo->setObjectName(QStringLiteral("precisionCombo"));
    m_precisionCombo->addItem(QStringLiteral("FP16"), int(Precision::Float16));
    m_precisionCombo->addItem(QStringLiteral("BF16"), int(Precision::BFloat16));
    m_precisionCombo->setToolTip(tr("Precision of the converted copy"));
    m_convertButton = new QPushButton;
    m_convertButton->setObjectName(QStringLiteral("convertButton"));
    m_convertButton->setToolTip(tr("Make a half-precision copy; the original stays loaded as the FP32 reference"));
    convertRow->addWidget(m_precisionCombo);
    convertRow->addWidget(m_convertButton, 1);
    layout->addLayout(convertRow);
    connect(m_convertButton, &QPushButton::clicked, this, &MainWindow::convertModel);
    connect(m_precisionCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateConvertButtonText();
        updateActions();
    });
    updateConvertButtonText();

    auto *viewRow = new QHBoxLayout;
    m_shownModelCombo = new QComboBox;
    m_shownModelCombo->setObjectName(QStringLiteral("shownModelCombo"));
    m_shownModelCombo->addItem(tr("FP32 reference"));
    m_shownModelCombo->addItem(tr("Converted copy"));
    m_parameterFilter = new QLineEdit;
    m_parameterFilter->setPlaceholderText(tr("Filter by name"));
    m_parameterFilter->setClearButtonEnabled(true);
    viewRow->addWidget(new QLabel(tr("Show:")));
    viewRow->addWidget(m_shownModelCombo);
    viewRow->addWidget(m_parameterFilter, 1);
    layout->addLayout(viewRow);
    connect(m_shownModelCombo, &QComboBox::currentIndexChanged, this, &MainWindow::showParameters);

    m_dtypeSummaryLabel = new QLabel;
    m_dtypeSummaryLabel->setObjectName(QStringLiteral("dtypeSummaryLabel"));
    m_dtypeSummaryLabel->setWordWrap(true);
    layout->addWidget(m_dtypeSummaryLabel);

    m_parameterModel = new ParameterTableModel(this);
    m_parameterProxy = new QSortFilterProxyModel(this);
    m_parameterProxy->setSourceModel(m_parameterModel);
    m_parameterProxy->setSortRole(ParameterTableModel::SortRole);
    m_parameterProxy->setFilterKeyColumn(ParameterTableModel::NameColumn);
    m_parameterProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_parameterFilter, &QLineEdit::textChanged, m_parameterProxy,
            &QSortFilterProxyModel::setFilterFixedString);
    m_parameterView = createTableView(panel, QStringLiteral("parameterTable"));
    m_parameterView->setModel(m_parameterProxy);
    setUpParameterColumns(m_parameterView);
    m_parameterView->sortByColumn(-1, Qt::AscendingOrder);

    m_checkpointModel = new CheckpointTreeModel(this);
    m_checkpointView = new QTreeView;
    m_checkpointView->setObjectName(QStringLiteral("checkpointTree"));
    m_checkpointView->setModel(m_checkpointModel);
    m_checkpointView->setAlternatingRowColors(true);
    m_checkpointView->setUniformRowHeights(true);

    m_modelTabs = new QTabWidget;
    m_modelTabs->setObjectName(QStringLiteral("modelTabs"));
    m_modelTabs->addTab(m_parameterView, tr("Parameters"));
    m_modelTabs->addTab(m_checkpointView, tr("Checkpoint"));
    m_inspector = new ModelInspector(this);
    m_inspector->addPagesTo(m_modelTabs);
    connect(m_inspector, &ModelInspector::failed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    m_graphWidget = new GraphWidget;
    m_graphWidget->setObjectName(QStringLiteral("graphWidget"));
    m_modelTabs->addTab(m_graphWidget, tr("Graph"));
    connect(m_inspector, &ModelInspector::moduleSelected, m_graphWidget,
            &GraphWidget::highlightModule);
    layout->addWidget(m_modelTabs, 1);
    return panel;
}

QWidget *MainWindow::createRunPanel()
{
    auto *panel = new QGroupBox(tr("Images"));
    auto *layout = new QHBoxLayout(panel);

    m_imageList = new ImageListWidget;
    m_imageList->setObjectName(QStringLiteral("imageList"));
    connect(m_imageList, &ImageListWidget::imagesChanged, this, &MainWindow::updateActions);
    connect(m_imageList, &ImageListWidget::modelFilesDropped, this,
            [this](const QStringList &paths) { openModel(paths.first()); });
    layout->addWidget(m_imageList, 1);

    auto *side = new QVBoxLayout;
    auto *buttons = new QHBoxLayout;
    auto *addButton = new QPushButton(tr("Add Images…"));
    auto *folderButton = new QPushButton(tr("Add Folder…"));
    auto *clearButton = new QPushButton(tr("Clear"));
    connect(addButton, &QPushButton::clicked, this, &MainWindow::chooseImages);
    connect(folderButton, &QPushButton::clicked, this, &MainWindow::chooseImageFolder);
    connect(clearButton, &QPushButton::clicked, this, [this] {
        m_imageList->clear();
        updateActions();
    });
    buttons->addWidget(addButton);
    buttons->addWidget(folderButton);
    buttons->addWidget(clearButton);
    side->addLayout(buttons);

    auto *form = new QFormLayout;
    m_presetCombo = new QComboBox;
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    // Saved presets carry long descriptions; the combo must not widen the window.
    m_presetCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_presetCombo->setMinimumContentsLength(24);
    m_ttaCombo = new QComboBox;
    m_ttaCombo->setObjectName(QStringLiteral("ttaCombo"));
    m_ttaCombo->addItem(tr("None"), QStringLiteral("none"));
    m_ttaCombo->addItem(tr("Horizontal flip (2 views)"), QStringLiteral("hflip"));
    m_ttaCombo->addItem(tr("Horizontal and vertical flips (4 views)"), QStringLiteral("hflip,vflip"));
    m_ttaCombo->addItem(tr("Five crops (5 views)"), QStringLiteral("five-crop"));
    m_ttaCombo->addItem(tr("Ten crops (10 views)"), QStringLiteral("ten-crop"));
    m_ttaCombo->addItem(tr("Flip and scales 0.9, 1.1 (6 views)"), QStringLiteral("hflip,scales=0.9,1.1"));
    m_ttaCombo->setEditable(true);
    m_ttaCombo->setInsertPolicy(QComboBox::NoInsert);
    m_ttaCombo->setToolTip(tr("Pick a preset or type transforms: hflip, vflip, rot90, five-crop, ten-crop, scales=0.9,1.1"));
    m_mergeCombo = new QComboBox;
    m_mergeCombo->setObjectName(QStringLiteral("mergeCombo"));
    for (MergeMode mode : { MergeMode::MeanProbabilities, MergeMode::MeanLogits, MergeMode::GeometricMean,
                            MergeMode::Max, MergeMode::TSharpen })
        m_mergeCombo->addItem(mergeModeDescription(mode), int(mode));
    m_batchSpin = new QSpinBox;
    m_batchSpin->setObjectName(QStringLiteral("batchSpin"));
    m_batchSpin->setRange(1, 1024);
    m_batchSpin->setValue(8);
    m_batchSpin->setSuffix(tr(" images"));
    m_timedRunsSpin = new QSpinBox;
    m_timedRunsSpin->setObjectName(QStringLiteral("timedRunsSpin"));
    m_timedRunsSpin->setRange(0, 1000);
    m_timedRunsSpin->setValue(5);
    m_timedRunsSpin->setToolTip(tr("Timed forward calls of the first full batch per precision, after one warm-up call; 0 skips timing"));
    auto *presetRow = new QHBoxLayout;
    presetRow->setContentsMargins(0, 0, 0, 0);
    auto *editPresetButton = new QToolButton;
    editPresetButton->setObjectName(QStringLiteral("editPresetButton"));
    editPresetButton->setText(tr("Edit…"));
    editPresetButton->setToolTip(tr("Edit a copy of this preset and save it under a new name"));
    connect(editPresetButton, &QToolButton::clicked, this, &MainWindow::editPreset);
    m_deletePresetButton = new QToolButton;
    m_deletePresetButton->setObjectName(QStringLiteral("deletePresetButton"));
    m_deletePresetButton->setText(tr("Delete"));
    connect(m_deletePresetButton, &QToolButton::clicked, this, &MainWindow::deletePreset);
    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_deletePresetButton->setEnabled(
            m_presetCombo->currentData().toString().startsWith(QLatin1String(kUserPresetPrefix)));
    });
    presetRow->addWidget(m_presetCombo, 1);
    presetRow->addWidget(editPresetButton);
    presetRow->addWidget(m_deletePresetButton);
    form->addRow(tr("Preprocessing:"), presetRow);
    form->addRow(tr("TTA:"), m_ttaCombo);
    form->addRow(tr("Merge views:"), m_mergeCombo);
    form->addRow(tr("Batch:"), m_batchSpin);
    form->addRow(tr("Timed runs:"), m_timedRunsSpin);
    m_threadsSpin = new QSpinBox;
    m_threadsSpin->setObjectName(QStringLiteral("threadsSpin"));
    m_threadsSpin->setRange(1, 256);
    m_threadsSpin->setValue(intraOpThreadCount());
    m_threadsSpin->setToolTip(tr("LibTorch intra-op threads (threads one operator may use) for the next run"));
    form->addRow(tr("Threads:"), m_threadsSpin);
    m_memoryFormatCombo = new QComboBox;
    m_memoryFormatCombo->setObjectName(QStringLiteral("memoryFormatCombo"));
    for (MemoryFormat format : { MemoryFormat::ChannelsLast, MemoryFormat::Contiguous })
        m_memoryFormatCombo->addItem(memoryFormatLabel(format), memoryFormatName(format));
    m_memoryFormatCombo->setToolTip(tr("Memory layout of the input batches. Half-precision "
                                       "convolutions are often several times faster channels-last "
                                       "on CPUs; a model that fails on channels-last inputs falls "
                                       "back to contiguous ones with a warning."));
    form->addRow(tr("Input layout:"), m_memoryFormatCombo);
    m_groundTruthCombo = new QComboBox;
    m_groundTruthCombo->setObjectName(QStringLiteral("groundTruthCombo"));
    m_groundTruthCombo->addItem(tr("None"));
    m_groundTruthCombo->addItem(tr("Folder names (one folder per class)"));
    m_groundTruthCombo->addItem(tr("CSV file (path,label)…"));
    m_groundTruthCombo->setToolTip(tr("True classes for loss and accuracy per precision"));
    connect(m_groundTruthCombo, &QComboBox::activated, this, &MainWindow::chooseGroundTruth);
    form->addRow(tr("Ground truth:"), m_groundTruthCombo);
    side->addLayout(form);
    fillPresetChoices();
    restoreRunSettings();

    auto *runRow = new QHBoxLayout;
    m_runButton = new QPushButton(tr("Run Comparison"));
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    connect(m_runButton, &QPushButton::clicked, this, &MainWindow::runComparison);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelComparison);
    runRow->addWidget(m_runButton, 1);
    runRow->addWidget(m_cancelButton);
    side->addLayout(runRow);
    side->addStretch(1);
    layout->addLayout(side);
    return panel;
}

QWidget *MainWindow::createResultsPanel()
{
    auto *panel = new QGroupBox(tr("Results"));
    auto *layout = new QVBoxLayout(panel);

    m_resultSummaryLabel = new QLabel(idleSummaryText());
    m_resultSummaryLabel->setObjectName(QStringLiteral("resultSummaryLabel"));
    m_resultSummaryLabel->setWordWrap(true);
    m_resultSummaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_resultSummaryLabel);

    m_imageResults = new ImageResultsView;
    m_imageResults->setObjectName(QStringLiteral("imageResults"));
    m_resultsModel = m_imageResults->resultsModel();

    auto *tabs = new QTabWidget;
    tabs->addTab(m_imageResults, tr("Per image"));
    for (const ResultPlotKind &kind : resultPlotKinds()) {
        ResultPlot *plot = kind.create();
        plot->setObjectName(kind.objectName);
        tabs->addTab(plot, QCoreApplication::translate("ResultPlots", kind.title));
        m_resultPlots << plot;
    }
    m_benchmarkPanel = new BenchmarkPanel;
    m_benchmarkPanel->setObjectName(QStringLiteral("benchmarkPanel"));
    m_benchmarkPanel->restoreSettings(m_presetStore);
    connect(m_benchmarkPanel, &BenchmarkPanel::runRequested, this, &MainWindow::runBenchmark);
    tabs->addTab(m_benchmarkPanel, tr("Benchmark"));
    layout->addWidget(tabs, 1);
    return panel;
}

void MainWindow::openModel(const QString &path)
{
    if (m_jobs->isBusy()) {
        statusBar()->showMessage(tr("Wait for the running job to finish, or cancel it."), 5000);
        return;
    }
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    m_weightsRequested = false;
    m_jobs->openFile(path);
}

void MainWindow::loadWeightsFrom(const QString &checkpointPath)
{
    if (m_reference.isNull() || m_jobs->isBusy())
        return;
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(checkpointPath).fileName()));
    m_weightsRequested = true;
    m_jobs->openCheckpoint(checkpointPath);
}

void MainWindow::onCheckpointOpened(const Checkpoint &checkpoint, const CheckpointTreeNode &tree)
{
    m_checkpoint = checkpoint;
    m_checkpointModel->setTree(tree);
    m_inspector->setCheckpoint(checkpoint);
    m_checkpointView->expandToDepth(0);
    m_checkpointView->resizeColumnToContents(CheckpointTreeModel::KeyColumn);
    m_modelTabs->setCurrentWidget(m_checkpointView);
    updateActions();
    if (!m_weightsRequested || m_reference.isNull()) {
        statusBar()->showMessage(tr("Opened checkpoint %1 (%2). To deploy it, open its TorchScript "
                                    "architecture and use File > Load Weights from Checkpoint.")
                                     .arg(checkpoint.fileName(), checkpoint.formatName()),
                                 10000);
        return;
    }
    m_weightsRequested = false;

    auto *dialog = new WeightLoadDialog(m_reference, checkpoint, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        statusBar()->showMessage(tr("Loading weights from %1…").arg(m_checkpoint.fileName()));
        m_jobs->loadWeights(m_reference, m_checkpoint, dialog->options(), dialog->allowPartial());
    });
    dialog->open();
}

void MainWindow::onWeightsLoaded(const Model &model, const WeightLoadReport &report)
{
    showModel(model, tr("weights from %1, state dict %2").arg(m_checkpoint.fileName(), report.stateDictPath));
    statusBar()->showMessage(tr("Loaded %1 tensors from %2%3.")
                                 .arg(report.matched.size())
                                 .arg(m_checkpoint.fileName())
                                 .arg(report.isComplete() ? QString() : tr(" (partial load)")),
                             10000);
}

void MainWindow::openDemo()
{
    const QString model = demoModelPath();
    if (model.isEmpty()) {
        reportError(tr("Open Demo"),
                    tr("The demo files were not found. Set HALFSCOPE_DEMO_DIR to the folder "
                       "that holds tinydarknet.pt and images/."));
        return;
    }
    openModel(model);
    addImages(demoImagePaths());
}

void MainWindow::addImages(const QStringList &paths)
{
    const QStringList missing = m_imageList->addPaths(paths);
    if (!missing.isEmpty()) {
        reportError(tr("Add Images"),
                    tr("Not found: %1. Check the paths.").arg(missing.join(QLatin1String(", "))));
    }
    statusBar()->showMessage(tr("%n image(s) listed.", nullptr, m_imageList->count()), 4000);
}

void MainWindow::convertModel()
{
    if (m_reference.isNull() || m_jobs->isBusy())
        return;
    statusBar()->showMessage(tr("Converting to %1…").arg(precisionLabel(selectedPrecision())));
    m_jobs->convertModel(m_reference, selectedPrecision());
}

void MainWindow::runComparison()
{
    if (m_reference.isNull() || m_jobs->isBusy() || m_imageList->count() == 0)
        return;
    if (m_converted.isNull() || m_converted.precision() != selectedPrecision()) {
        m_compareAfterConvert = true;
        convertModel();
        return;
    }
    startComparisonJob();
}

void MainWindow::startComparisonJob()
{
    m_imageResults->showRunning();
    for (ResultPlot *plot : std::as_const(m_resultPlots))
        plot->clearResult();
    m_resultSummaryLabel->setText(tr("Comparing… results appear when the run ends or is cancelled."));
    m_progressBar->setRange(0, m_imageList->count());
    m_progressBar->setValue(0);
    m_progressBar->setVisible(true);
    statusBar()->showMessage(tr("Comparing FP32 and %1 on %n image(s)…", nullptr, m_imageList->count())
                                 .arg(precisionLabel(m_converted.precision())));
    ComparisonOptions options;
    try {
        options = currentOptions();
    } catch (const Error &error) {
        m_progressBar->setVisible(false);
        reportError(tr("Run Comparison"), error.message());
        return;
    }
    saveRunSettings();
    m_jobs->setIntraOpThreads(m_threadsSpin->value());
    m_jobs->compare(m_reference, m_converted, m_imageList->imagePaths(), options, groundTruthSpec());
}

void MainWindow::cancelComparison()
{
    if (!m_jobs->isBusy())
        return;
    m_jobs->cancel();
    statusBar()->showMessage(tr("Cancelling after the current batch…"));
    // A benchmark waiting for the running conversion is dropped, because it has not started.
    if (m_benchmarkAfterConvert) {
        m_benchmarkAfterConvert = false;
        m_benchmarkPanel->clearResult();
        Q_EMIT benchmarkFinished();
    }
}

void MainWindow::runBenchmark()
{
    if (m_reference.isNull() || m_jobs->isBusy())
        return;
    // The sweep text is checked before a conversion starts, so a typo costs no job.
    try {
        m_benchmarkPanel->options();
    } catch (const Error &error) {
        reportError(tr("Run Benchmark"), error.message());
        return;
    }
    if (m_converted.isNull() || m_converted.precision() != selectedPrecision()) {
        m_benchmarkAfterConvert = true;
        convertModel();
        return;
    }
    startBenchmarkJob();
}

void MainWindow::startBenchmarkJob()
{
    BenchmarkOptions options;
    try {
        options = m_benchmarkPanel->options();
        options.preset = selectedPreset();
    } catch (const Error &error) {
        reportError(tr("Run Benchmark"), error.message());
        Q_EMIT benchmarkFinished();
        return;
    }
    // The window has no device choice, so the benchmark runs where comparisons run.
    options.device = ComparisonOptions().device;
    options.intraOpThreads = m_threadsSpin->value();
    options.memoryFormat = selectedMemoryFormat();
    options.imagePaths = m_imageList->imagePaths();
    m_benchmarkPanel->saveSettings(m_presetStore);
    saveRunSettings();

    const QString input = options.imagePaths.isEmpty()
        ? tr("random input")
        : tr("%n listed image(s)", nullptr, int(options.imagePaths.size()));
    m_benchmarkPanel->showRunning(input);
    m_progressBar->setRange(0, 0);
    m_progressBar->setVisible(true);
    statusBar()->showMessage(tr("Benchmarking FP32 and %1 on %2…").arg(precisionLabel(m_converted.precision()), input));
    m_jobs->benchmark(m_reference, m_converted, options);
}

void MainWindow::onBenchmarkProgress(int done, int total)
{
    m_progressBar->setRange(0, total);
    m_progressBar->setValue(done);
}

void MainWindow::onBenchmarkFinished(const BenchmarkResult &result)
{
    m_progressBar->setVisible(false);
    m_benchmarkPanel->setResult(result);
    statusBar()->showMessage(result.cancelled ? tr("Benchmark cancelled; the finished timings are shown.")
                                              : tr("Benchmark finished."),
                             8000);
    updateActions();
    Q_EMIT benchmarkFinished();
}

ComparisonOptions MainWindow::currentOptions() const
{
    ComparisonOptions options;
    options.preset = selectedPreset();
    const int ttaIndex = m_ttaCombo->findText(m_ttaCombo->currentText());
    const QString ttaSpec = ttaIndex >= 0 ? m_ttaCombo->itemData(ttaIndex).toString() : m_ttaCombo->currentText();
    options.tta = TtaPlan::parse(ttaSpec, MergeMode(m_mergeCombo->currentData().toInt()));
    options.batchSize = m_batchSpin->value();
    options.timedIterations = m_timedRunsSpin->value();
    options.memoryFormat = selectedMemoryFormat();
    options.classNames = m_labelOverride.isEmpty() ? m_reference.classNames() : m_labelOverride;
    return options;
}

MemoryFormat MainWindow::selectedMemoryFormat() const
{
    return parseMemoryFormat(m_memoryFormatCombo->currentData().toString())
        .value_or(MemoryFormat::ChannelsLast);
}

Precision MainWindow::selectedPrecision() const
{
    return Precision(m_precisionCombo->currentData().toInt());
}

void MainWindow::onModelLoaded(const Model &model)
{
    showModel(model, QString());
}

void MainWindow::showModel(const Model &model, const QString &origin)
{
    m_reference = model;
    m_converted = Model();
    m_labelOverride.clear();
    m_imageResults->clear();
    for (ResultPlot *plot : std::as_const(m_resultPlots))
        plot->clearResult();
    m_resultSummaryLabel->setText(idleSummaryText());
    m_benchmarkPanel->clearResult();
    setWindowTitle(tr("%1 – HalfScope").arg(model.fileName()));

    QString description = tr("<b>%1</b><br>%2").arg(model.fileName().toHtmlEscaped(), model.path().toHtmlEscaped());
    if (!origin.isEmpty())
        description += tr("<br>With %1.").arg(origin.toHtmlEscaped());
    description += model.classNames().isEmpty()
        ? tr("<br>No class names stored; use File > Load Labels to name the outputs.")
        : tr("<br>%1 class names stored in the archive.").arg(model.classNames().size());
    m_modelLabel->setText(description);
    fillPresetChoices();
    m_shownModelCombo->setCurrentIndex(0);
    showParameters();
    m_graphWidget->setModel(model);
    m_modelTabs->setCurrentWidget(m_inspector->modulesPage());
    statusBar()->showMessage(tr("Opened %1. Convert it, add images and run a comparison.").arg(model.fileName()), 8000);
    updateActions();
}

void MainWindow::onModelConverted(const Model &model)
{
    m_converted = model;
    m_shownModelCombo->setCurrentIndex(1);
    showParameters();
    m_graphWidget->setModel(model);
    statusBar()->showMessage(tr("Converted to %1; the FP32 original stays loaded as the reference.")
                                 .arg(precisionLabel(model.precision())), 8000);
    updateActions();
    if (m_compareAfterConvert) {
        m_compareAfterConvert = false;
        if (m_imageList->count() > 0)
            startComparisonJob();
    }
    if (m_benchmarkAfterConvert) {
        m_benchmarkAfterConvert = false;
        startBenchmarkJob();
    }
}

void MainWindow::onComparisonProgress(int processed, int total)
{
    if (processed >= total && m_timedRunsSpin->value() > 0) {
        // Timing has no per-image progress; a busy indicator shows it is running.
        m_progressBar->setRange(0, 0);
        statusBar()->showMessage(tr("Timing both precisions…"));
        return;
    }
    m_progressBar->setRange(0, total);
    m_progressBar->setValue(processed);
}

void MainWindow::onComparisonFinished(const ComparisonResult &result)
{
    m_progressBar->setVisible(false);
    m_imageResults->setResult(result);
    for (ResultPlot *plot : std::as_const(m_resultPlots))
        plot->setResult(result);
    updateSummary(result);
    statusBar()->showMessage(result.cancelled ? tr("Comparison cancelled; the finished images are shown.")
                                              : tr("Comparison finished."),
                             8000);
    updateActions();
    Q_EMIT comparisonFinished();
}

void MainWindow::onJobFailed(const QString &task, const Failure &failure)
{
    qCWarning(lcUi) << task << "failed:" << failure.message << failure.detail;
    m_progressBar->setVisible(false);
    m_compareAfterConvert = false;
    const bool benchmarkWaited = m_benchmarkAfterConvert;
    m_benchmarkAfterConvert = false;
    reportError(task, failure.message);
    updateActions();
    if (task.startsWith(QLatin1String("Comparing"))) {
        m_imageResults->clear();
        Q_EMIT comparisonFinished();
    }
    if (task.startsWith(QLatin1String("Benchmarking")) || benchmarkWaited) {
        m_benchmarkPanel->clearResult();
        Q_EMIT benchmarkFinished();
    }
}

void MainWindow::updateSummary(const ComparisonResult &result)
{
    const int compared = result.comparedCount();
    const QString converted = precisionLabel(result.precision);
    QString text = tr("<b>Top-1 agreement:</b> %1 of %2 compared images. <b>Max |Δ logit|:</b> %3. "
                      "<b>Max |Δ prob|:</b> %4.")
                       .arg(result.agreementCount())
                       .arg(compared)
                       .arg(double(result.maxLogitDelta()), 0, 'g', 3)
                       .arg(double(result.maxProbabilityDelta()), 0, 'g', 3);
    if (result.cancelled)
        text += tr(" Cancelled after %1 of %2 images; timing skipped.").arg(compared + result.failedCount()).arg(result.images.size());
    if (result.failedCount() > 0)
        text += tr(" <span style='color:#b02020'>%n image(s) failed; see the table.</span>", nullptr, result.failedCount());
    if (result.nonFiniteCount() > 0) {
        text += tr("<br><span style='color:#b02020'><b>%n image(s) gave NaN or infinite outputs.</b> "
                   "An activation probably overflowed (float16 stops at 65504); keep those layers "
                   "in FP32 or use BF16.</span>", nullptr, result.nonFiniteCount());
    }
    const EvaluationSummary referenceScore = evaluate(result, false);
    if (referenceScore.labelledImages > 0) {
        text += tr("<br><b>Evaluation on %1 labelled images</b> (time: the comparison's forward calls, summed):"
                   "<table cellspacing='0' cellpadding='2'><tr><th align='left'>Mode</th><th>Time (s)</th>"
                   "<th>Loss</th><th>Top-1</th><th>Top-5</th></tr>")
                    .arg(referenceScore.labelledImages);
        for (const EvaluationSummary &score : { referenceScore, evaluate(result, true) }) {
            text += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td>"
                                   "<td align='right'>%4%</td><td align='right'>%5%</td></tr>")
                        .arg(precisionLabel(score.precision))
                        .arg(score.totalMs / 1000.0, 0, 'f', 2)
                        .arg(score.loss, 0, 'f', 4)
                        .arg(100.0 * score.top1Accuracy, 0, 'f', 1)
                        .arg(100.0 * score.top5Accuracy, 0, 'f', 1);
        }
        text += QStringLiteral("</table>");
    }
    for (const QString &warning : result.warnings)
        text += QStringLiteral("<br><span style='color:#805000'>%1</span>").arg(warning.toHtmlEscaped());
    const int names = int(result.options.classNames.size());
    if (names > 0 && result.outputClasses > 0 && names != result.outputClasses) {
        text += tr("<br><span style='color:#b02020'>The labels have %1 names but the model has %2 "
                   "outputs; check that they belong to this model.</span>").arg(names).arg(result.outputClasses);
    }
    if (!result.referenceLatency.isEmpty()) {
        const double ratio = result.convertedLatency.medianMs / result.referenceLatency.medianMs;
        text += tr("<br><b>Median latency:</b> FP32 %1 ms, %2 %3 ms per batch (%4x), %n intra-op thread(s), %5 inputs.",
                   nullptr, result.intraOpThreads)
                    .arg(result.referenceLatency.medianMs, 0, 'f', 1)
                    .arg(converted)
                    .arg(result.convertedLatency.medianMs, 0, 'f', 1)
                    .arg(ratio, 0, 'f', 2)
                    .arg(memoryFormatName(result.memoryFormat));
        const SpeedupEstimate speedup = estimateSpeedup(result.referenceLatency.samplesMs, result.convertedLatency.samplesMs);
        if (speedup.isValid()) {
            text += tr(" Speed-up FP32 / %1: %2x, 95% interval %3–%4 over %5 paired runs.")
                        .arg(converted)
                        .arg(speedup.ratio, 0, 'f', 2)
                        .arg(speedup.low, 0, 'f', 2)
                        .arg(speedup.high, 0, 'f', 2)
                        .arg(result.referenceLatency.samplesMs.size());
        }
        if (result.referenceLatency.isSpreadTooWide() || result.convertedLatency.isSpreadTooWide()) {
            text += tr(" <span style='color:#b02020'>The timings spread widely (interquartile range "
                       "above 10% of the median); close other programs or raise Timed runs.</span>");
        }
        const QString explanation = explainSlowdown(result.precision, result.options.device, ratio, detectCpuFeatures());
        if (!explanation.isEmpty())
            text += QStringLiteral("<br><i>%1</i>").arg(explanation.toHtmlEscaped());
    } else if (!result.timingError.isEmpty()) {
        text += QStringLiteral("<br>%1").arg(result.timingError.toHtmlEscaped());
    }
    m_resultSummaryLabel->setText(text);
}

void MainWindow::showParameters()
{
    const bool showConverted = m_shownModelCombo->currentIndex() == 1 && !m_converted.isNull();
    const Model &model = showConverted ? m_converted : m_reference;
    const std::vector<TensorInfo> tensors = model.tensors();
    m_dtypeSummaryLabel->setText(model.isNull() ? QString()
                                                : tr("%1 tensors: %2").arg(tensors.size()).arg(describeDtypes(summarizeDtypes(tensors))));
    m_parameterModel->setTensors(tensors);
    m_inspector->setModel(model);
}

void MainWindow::fillPresetChoices()
{
    const QString previous = m_presetCombo->currentData().toString();
    m_presetCombo->clear();
    if (m_reference.embeddedPreset()) {
        const PreprocessPreset &preset = *m_reference.embeddedPreset();
        m_presetCombo->addItem(tr("Stored in model (%1)").arg(preset.name), QString());
        m_presetCombo->setItemData(0, preset.describe(), Qt::ToolTipRole);
    }
    m_presetCombo->addItem(tr("ImageNet: shorter side 256, crop 224, mean/std"), QStringLiteral("imagenet"));
    m_presetCombo->addItem(tr("Inception: shorter side 342, crop 299, mean/std"), QStringLiteral("inception"));
    m_presetCombo->addItem(tr("Squash to 224×224, 0..1"), QStringLiteral("squash224"));
    for (const PreprocessPreset &preset : m_presetStore.presets()) {
        m_presetCombo->addItem(tr("%1: %2").arg(preset.name, preset.describe()),
                               QString(QLatin1String(kUserPresetPrefix) + preset.name));
    }
    const int index = m_reference.embeddedPreset() ? 0 : std::max(0, m_presetCombo->findData(previous));
    m_presetCombo->setCurrentIndex(index);
}

PreprocessPreset MainWindow::selectedPreset() const
{
    const QString key = m_presetCombo->currentData().toString();
    if (key.isEmpty() && m_reference.embeddedPreset())
        return *m_reference.embeddedPreset();
    if (key.startsWith(QLatin1String(kUserPresetPrefix))) {
        const QString name = key.mid(int(qstrlen(kUserPresetPrefix)));
        for (const PreprocessPreset &preset : m_presetStore.presets()) {
            if (preset.name == name)
                return preset;
        }
        throw Error(tr("The saved preset \"%1\" no longer exists. Choose another preset.").arg(name));
    }
    return PreprocessPreset::builtin(key).value_or(PreprocessPreset::imagenet());
}

void MainWindow::savePreset(const PreprocessPreset &preset)
{
    m_presetStore.save(preset);
    fillPresetChoices();
    m_presetCombo->setCurrentIndex(
        m_presetCombo->findData(QString(QLatin1String(kUserPresetPrefix) + preset.name)));
}

void MainWindow::editPreset()
{
    PreprocessPreset preset;
    try {
        preset = selectedPreset();
    } catch (const Error &) {
        preset = PreprocessPreset::imagenet();
    }
    if (PreprocessPreset::builtinNames().contains(preset.name)
        || !m_presetCombo->currentData().toString().startsWith(QLatin1String(kUserPresetPrefix))) {
        preset.name = tr("%1 (custom)").arg(preset.name);
    }
    PresetEditorDialog dialog(preset, this);
    if (dialog.exec() == QDialog::Accepted)
        savePreset(dialog.preset());
}

void MainWindow::deletePreset()
{
    const QString key = m_presetCombo->currentData().toString();
    if (!key.startsWith(QLatin1String(kUserPresetPrefix)))
        return;
    m_presetStore.remove(key.mid(int(qstrlen(kUserPresetPrefix))));
    fillPresetChoices();
}

void MainWindow::saveRunSettings()
{
    m_presetStore.setRunSetting(QStringLiteral("preset"), m_presetCombo->currentData());
    m_presetStore.setRunSetting(QStringLiteral("tta"), m_ttaCombo->currentText());
    m_presetStore.setRunSetting(QStringLiteral("merge"), m_mergeCombo->currentData());
    m_presetStore.setRunSetting(QStringLiteral("batch"), m_batchSpin->value());
    m_presetStore.setRunSetting(QStringLiteral("timedRuns"), m_timedRunsSpin->value());
    m_presetStore.setRunSetting(QStringLiteral("threads"), m_threadsSpin->value());
    m_presetStore.setRunSetting(QStringLiteral("memoryFormat"), m_memoryFormatCombo->currentData());
}

void MainWindow::restoreRunSettings()
{
    const int preset = m_presetCombo->findData(m_presetStore.runSetting(QStringLiteral("preset")));
    if (preset >= 0)
        m_presetCombo->setCurrentIndex(preset);
    const QString tta = m_presetStore.runSetting(QStringLiteral("tta")).toString();
    if (!tta.isEmpty())
        m_ttaCombo->setCurrentText(tta);
    const int merge = m_mergeCombo->findData(m_presetStore.runSetting(QStringLiteral("merge")));
    if (merge >= 0)
        m_mergeCombo->setCurrentIndex(merge);
    m_batchSpin->setValue(m_presetStore.runSetting(QStringLiteral("batch"), m_batchSpin->value()).toInt());
    m_timedRunsSpin->setValue(
        m_presetStore.runSetting(QStringLiteral("timedRuns"), m_timedRunsSpin->value()).toInt());
    m_threadsSpin->setValue(
        m_presetStore.runSetting(QStringLiteral("threads"), m_threadsSpin->value()).toInt());
    const int memoryFormat
        = m_memoryFormatCombo->findData(m_presetStore.runSetting(QStringLiteral("memoryFormat")));
    if (memoryFormat >= 0)
        m_memoryFormatCombo->setCurrentIndex(memoryFormat);
}

void MainWindow::updateConvertButtonText()
{
    m_convertButton->setText(tr("Convert to %1").arg(precisionLabel(selectedPrecision())));
}

bool MainWindow::isConvertedToSelection() const
{
    return !m_converted.isNull() && m_converted.precision() == selectedPrecision();
}

void MainWindow::updateActions()
{
    const bool busy = m_jobs->isBusy();
    const bool haveModel = !m_reference.isNull();
    const bool haveImages = m_imageList->count() > 0;
    m_openAction->setEnabled(!busy);
    m_openDemoAction->setEnabled(!busy);
    m_convertButton->setEnabled(!busy && haveModel && !isConvertedToSelection());
    m_precisionCombo->setEnabled(!busy);
    m_shownModelCombo->setEnabled(!m_converted.isNull());
    m_runButton->setEnabled(!busy && haveModel && haveImages);
    m_runAction->setEnabled(m_runButton->isEnabled());
    m_runButton->setToolTip(!haveModel ? tr("Open a model first")
                                       : !haveImages ? tr("Add images first")
                                                     : tr("Convert if needed, then compare FP32 and the converted copy"));
    m_cancelButton->setEnabled(busy);
    m_loadLabelsAction->setEnabled(haveModel);
    m_loadWeightsAction->setEnabled(haveModel && !busy);
    m_saveReportAction->setEnabled(!m_resultsModel->result().images.empty());
    m_exportResultsAction->setEnabled(!m_resultsModel->result().images.empty() || !m_converted.isNull());
    m_benchmarkPanel->setRunEnabled(!busy && haveModel,
                                    !haveModel ? tr("Open a model first")
                                               : tr("Convert if needed, then time FP32 and the converted copy"));
    m_benchmarkAction->setEnabled(!busy && haveModel);
}

void MainWindow::chooseModelFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open TorchScript Model"), QString(), QLatin1String(kModelFilter));
    if (!path.isEmpty())
        openModel(path);
}

void MainWindow::chooseImages()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Add Images"), QString(), QLatin1String(kImageFilter));
    if (!paths.isEmpty())
        addImages(paths);
}

void MainWindow::chooseImageFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Image Folder"));
    if (!folder.isEmpty())
        addImages({ folder });
}

void MainWindow::chooseGroundTruth(int index)
{
    if (index != 2)
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Ground Truth CSV"), QString(), tr("CSV files (*.csv *.txt);;All files (*)"));
    if (path.isEmpty()) {
        m_groundTruthCombo->setCurrentIndex(m_groundTruthCsv.isEmpty() ? 0 : 2);
        return;
    }
    m_groundTruthCsv = path;
    m_groundTruthCombo->setItemText(2, tr("CSV: %1").arg(QFileInfo(path).fileName()));
}

QString MainWindow::groundTruthSpec() const
{
    switch (m_groundTruthCombo->currentIndex()) {
    case 1:
        return QStringLiteral("folders");
    case 2:
        return m_groundTruthCsv;
    default:
        return QString();
    }
}

void MainWindow::chooseWeightsFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Weights from Checkpoint"), QString(), QLatin1String(kCheckpointFilter));
    if (!path.isEmpty())
        loadWeightsFrom(path);
}

void MainWindow::chooseLabelsFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Labels"), QString(), tr("Text files (*.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    try {
        m_labelOverride = readClassNames(path);
        statusBar()->showMessage(tr("Loaded %1 class names from %2.").arg(m_labelOverride.size()).arg(QFileInfo(path).fileName()), 6000);
    } catch (const Error &error) {
        reportError(tr("Load Labels"), error.message());
    }
}

void MainWindow::saveReport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Report"), QFileInfo(comparisonReportFiles(QString()).json).fileName(), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    try {
        writeFileAtomically(path, QJsonDocument(comparisonToJson(m_resultsModel->result())).toJson());
        statusBar()->showMessage(tr("Saved %1.").arg(path), 6000);
    } catch (const Error &error) {
        reportError(tr("Save Report"), error.message());
    }
}

void MainWindow::exportResults()
{
    QList<PlotWidget *> plots;
    if (!m_resultsModel->result().images.empty()) {
        for (ResultPlot *plot : std::as_const(m_resultPlots))
            plots << plot;
    }
    if (m_benchmarkPanel->sweepPlot()->pointCount() > 0)
        plots << m_benchmarkPanel->sweepPlot();
    auto *dialog = new ExportDialog(m_jobs, m_resultsModel->result(), m_converted, plots, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About HalfScope"),
                       tr("<b>HalfScope %1</b><p>Inspect PyTorch models, convert them to half "
                          "precision and measure how far their outputs drift.</p>"
                          "<p>License: GPL-3.0-or-later.</p>")
                           .arg(QApplication::applicationVersion()));
}

void MainWindow::reportError(const QString &title, const QString &message)
{
    m_lastError = message;
    statusBar()->showMessage(message, 10000);
    // Window-modal and asynchronous, so running jobs and scripted tests keep going.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList images;
    QString model;
    for (const QString &path : localPathsOf(event->mimeData())) {
        if (isModelFileName(path) && model.isEmpty())
            model = path;
        else if (!isModelFileName(path))
            images << path;
    }
    if (!model.isEmpty())
        openModel(model);
    if (!images.isEmpty())
        addImages(images);
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_jobs->cancel();
    event->accept();
}

} // namespace halfscope
