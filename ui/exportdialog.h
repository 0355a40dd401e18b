// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "model/model.h"
#include "model/modelexport.h"
#include "plots/plotexport.h"
#include "run/comparison.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QGroupBox;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QVBoxLayout;

namespace halfscope {

class ModelJobs;
class PlotSizeWidget;
class PlotWidget;

/// Dialog that writes the results of a comparison into one folder: the JSON,
/// CSV and Markdown reports, the plots as PNG, PDF or SVG, and the converted
/// model as a TorchScript archive (optionally frozen and optimized for
/// inference). Every file is written atomically. ModelJobs exports and checks
/// the model off the GUI thread. Reports and plots are written on the GUI
/// thread, because QCustomPlot renders there and neither touches LibTorch.
/// The dialog lists each written file, each warning and each failure by path.
class ExportDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    /// plots, the ones that hold data, are exported under their
    /// fileBaseName(); without plots the plot options are disabled.
    /// converted may be null, which disables the model option. jobs must
    /// outlive the dialog.
    ExportDialog(ModelJobs *jobs, const ComparisonResult &result, const Model &converted,
                 const QList<PlotWidget *> &plots, QWidget *parent = nullptr);
    ~ExportDialog() override;

    QString folder() const;
    void setFolder(const QString &folder);
    /// Returns the file name of the converted model inside the folder.
    QString modelFileName() const;

    /// Returns the paths written by the last export.
    QStringList writtenFiles() const { return m_written; }
    /// Returns the checks and warnings of the last model export.
    const ExportReport &modelReport() const { return m_modelReport; }
    /// Returns one sentence per file that could not be written, naming it.
    QStringList failures() const { return m_failures; }
    bool isExporting() const { return m_exporting; }

public Q_SLOTS:
    /// Writes the chosen files; emits exportFinished when the last one is done.
    /// When some of them exist, the first call lists them in the log, renames
    /// the Export button to Replace and writes nothing. A second call with the
    /// same existing files replaces them.
    void startExport();

Q_SIGNALS:
    void exportFinished();

private:
    QGroupBox *createReportGroup();
    QGroupBox *createPlotGroup();
    QGroupBox *createModelGroup();
    void browseFolder();
    QList<PlotFormat> chosenPlotFormats() const;
    QStringList existingTargets(const QString &folder) const;
    bool confirmReplacing(const QString &folder);
    void clearReplaceConfirmation();
    void writeReports(const QString &folder);
    void writePlots(const QString &folder);
    void onModelSaved(const QString &path);
    void onModelExported(const ExportReport &report);
    void onModelSaveFailed(const QString &path, const Failure &failure);
    void addWritten(const QString &path);
    void addFailure(const QString &message);
    void finishExport();
    void updateButtons();

    QPointer<ModelJobs> m_jobs;
    ComparisonResult m_result;
    Model m_converted;
    QList<QPointer<PlotWidget>> m_plots;

    QLineEdit *m_folderEdit = nullptr;
    QCheckBox *m_jsonCheck = nullptr;
    QCheckBox *m_csvCheck = nullptr;
    QCheckBox *m_markdownCheck = nullptr;
    QVBoxLayout *m_reportLayout = nullptr;
    QCheckBox *m_pngCheck = nullptr;
    QCheckBox *m_pdfCheck = nullptr;
    QCheckBox *m_svgCheck = nullptr;
    PlotSizeWidget *m_plotSize = nullptr;
    QCheckBox *m_modelCheck = nullptr;
    QLineEdit *m_modelNameEdit = nullptr;
    QCheckBox *m_freezeCheck = nullptr;
    QCheckBox *m_optimizeCheck = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_exportButton = nullptr;

    QStringList m_written;
    QStringList m_failures;
    bool m_exporting = false;
    QString m_pendingModelPath;
    QStringList m_writtenPlotNames; ///< Plot files of this export, for the Markdown report.
    QStringList m_replaceConfirmed; ///< Existing files that the next export may replace.
    ExportReport m_modelReport;
};

} // namespace halfscope
