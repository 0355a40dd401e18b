// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportdialog.h"

#include "common/logging.h"
#include "modeljobs.h"
#include "plots/plotexportdialog.h"
#include "plots/plotwidget.h"
#include "report/atomicfile.h"
#include "report/csvreport.h"
#include "report/jsonreport.h"
#include "report/markdownreport.h"
#include "report/reportfolder.h"
#include "run/cpufeatures.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <functional>

namespace halfscope {

namespace {

const QString kFolderKey = QStringLiteral("export/folder");

/// Returns the file name of a report file, as halfscope-cli compare --report names it.
QString reportFileName(const QString &path)
{
    return QFileInfo(path).fileName();
}

} // namespace

ExportDialog::ExportDialog(ModelJobs *jobs, const ComparisonResult &result, const Model &converted,
                           const QList<PlotWidget *> &plots, QWidget *parent)
    : QDialog(parent)
    , m_jobs(jobs)
    , m_result(result)
    , m_converted(converted)
{
    setWindowTitle(tr("Export Results"));
    for (PlotWidget *plot : plots)
        m_plots << plot;

    m_folderEdit = new QLineEdit(QSettings().value(kFolderKey, QDir::homePath()).toString());
    m_folderEdit->setObjectName(QStringLiteral("folderEdit"));
    auto *browseButton = new QPushButton(tr("Browse…"));
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browseFolder);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Folder:")));
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(browseButton);

    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("exportLog"));
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Written files and failures appear here."));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_exportButton = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setDefault(true);
    // Export keeps the dialog open so that the list of written files stays readable.
    disconnect(m_buttons, nullptr, this, nullptr);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_folderEdit, &QLineEdit::textChanged, this, &ExportDialog::clearReplaceConfirmation);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(folderRow);
    layout->addWidget(createReportGroup());
    layout->addWidget(createPlotGroup());
    layout->addWidget(createModelGroup());
    layout->addWidget(m_log, 1);
    layout->addWidget(m_buttons);
    resize(560, 520);

    if (m_jobs) {
        connect(m_jobs, &ModelJobs::modelExported, this, &ExportDialog::onModelExported);
        connect(m_jobs, &ModelJobs::modelSaved, this, &ExportDialog::onModelSaved);
        connect(m_jobs, &ModelJobs::modelSaveFailed, this, &ExportDialog::onModelSaveFailed);
    }
    connect(m_modelNameEdit, &QLineEdit::textChanged, this, &ExportDialog::clearReplaceConfirmation);
    for (QCheckBox *check : findChildren<QCheckBox *>())
        connect(check, &QCheckBox::toggled, this, &ExportDialog::clearReplaceConfirmation);
    updateButtons();
}

ExportDialog::~ExportDialog() = default;

QGroupBox *ExportDialog::createReportGroup()
{
    auto *group = new QGroupBox(tr("Report"));
    m_reportLayout = new QVBoxLayout(group);
    const bool haveResult = !m_result.images.empty();
    const ComparisonReportFiles names = comparisonReportFiles(QString());
    m_jsonCheck = new QCheckBox(tr("JSON report (%1)").arg(reportFileName(names.json)));
    m_jsonCheck->setObjectName(QStringLiteral("jsonCheck"));
    m_csvCheck = new QCheckBox(tr("CSV, one row per image (%1)").arg(reportFileName(names.csv)));
    m_csvCheck->setObjectName(QStringLiteral("csvCheck"));
    m_markdownCheck = new QCheckBox(
        tr("Markdown summary: settings, drift, timing, and the Mode / Time / Loss table with "
           "ground truth (%1)").arg(reportFileName(names.markdown)));
    m_markdownCheck->setObjectName(QStringLiteral("markdownCheck"));
    for (QCheckBox *check : { m_jsonCheck, m_csvCheck, m_markdownCheck }) {
        check->setChecked(haveResult);
        check->setEnabled(haveResult);
        m_reportLayout->addWidget(check);
        connect(check, &QCheckBox::toggled, this, &ExportDialog::updateButtons);
    }
    return group;
}

QGroupBox *ExportDialog::createPlotGroup()
{
    auto *group = new QGroupBox(tr("Plots (%1)").arg(m_plots.size()));
    const bool havePlots = !m_plots.isEmpty();
    m_pngCheck = new QCheckBox(tr("PNG"));
    m_pngCheck->setObjectName(QStringLiteral("pngCheck"));
    m_pdfCheck = new QCheckBox(tr("PDF"));
    m_pdfCheck->setObjectName(QStringLiteral("pdfCheck"));
    m_svgCheck = new QCheckBox(tr("SVG"));
    m_svgCheck->setObjectName(QStringLiteral("svgCheck"));
    m_pngCheck->setChecked(havePlots);
    auto *formats = new QHBoxLayout;
    for (QCheckBox *check : { m_pngCheck, m_pdfCheck, m_svgCheck }) {
        check->setEnabled(havePlots);
        formats->addWidget(check);
        connect(check, &QCheckBox::toggled, this, &ExportDialog::updateButtons);
    }
    formats->addStretch(1);
    m_plotSize = new PlotSizeWidget;
    m_plotSize->setUnitText(tr(" px/pt"));
    m_plotSize->setEnabled(havePlots);
    m_plotSize->setToolTip(tr("Pixels for PNG, points for PDF and SVG"));
    auto *form = new QFormLayout(group);
    form->addRow(tr("Formats:"), formats);
    form->addRow(tr("Size:"), m_plotSize);
    return group;
}

QGroupBox *ExportDialog::createModelGroup()
{
    auto *group = new QGroupBox(tr("Model"));
    const bool haveModel = !m_converted.isNull();
    m_modelCheck = new QCheckBox(tr("Converted model (.pt)"));
    m_modelCheck->setObjectName(QStringLiteral("modelCheck"));
    m_modelCheck->setEnabled(haveModel);
    m_modelCheck->setToolTip(haveModel ? tr("TorchScript archive with class names and preprocessing; reloaded and checked after writing")
                                       : tr("Convert a model first"));
    QString name = QStringLiteral("model.pt");
    if (haveModel)
        name = QStringLiteral("%1-%2.pt").arg(QFileInfo(m_converted.fileName()).completeBaseName(), precisionLabel(m_converted.precision()).toLower());
    m_modelNameEdit = new QLineEdit(name);
    m_modelNameEdit->setObjectName(QStringLiteral("modelNameEdit"));
    m_modelNameEdit->setEnabled(haveModel);
    m_freezeCheck = new QCheckBox(tr("Freeze (parameters become constants; BatchNorm folds into convolutions)"));
    m_freezeCheck->setObjectName(QStringLiteral("freezeCheck"));
    m_optimizeCheck = new QCheckBox(tr("Optimize for inference (freezes first)"));
    m_optimizeCheck->setObjectName(QStringLiteral("optimizeCheck"));
    for (QCheckBox *check : { m_freezeCheck, m_optimizeCheck })
        check->setEnabled(haveModel);
    connect(m_modelCheck, &QCheckBox::toggled, this, &ExportDialog::updateButtons);
    auto *layout = new QVBoxLayout(group);
    auto *row = new QHBoxLayout;
    row->addWidget(m_modelCheck);
    row->addWidget(m_modelNameEdit, 1);
    layout->addLayout(row);
    layout->addWidget(m_freezeCheck);
    layout->addWidget(m_optimizeCheck);
    return group;
}

QString ExportDialog::folder() const
{
    return m_folderEdit->text().trimmed();
}

void ExportDialog::setFolder(const QString &folder)
{
    m_folderEdit->setText(folder);
}

QString ExportDialog::modelFileName() const
{
    return m_modelNameEdit->text().trimmed();
}

void ExportDialog::browseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Export Results to Folder"), folder());
    if (!chosen.isEmpty())
        setFolder(chosen);
}

void ExportDialog::startExport()
{
    if (m_exporting)
        return;
    m_written.clear();
    m_failures.clear();
    m_writtenPlotNames.clear();
    m_log->clear();
    m_exporting = true;
    updateButtons();

    const QString target = folder();
    if (QFileInfo(target).isFile()) {
        addFailure(tr("%1 is a file, not a folder. Choose a folder for the exported files.").arg(target));
        finishExport();
        return;
    }
    if (target.isEmpty() || !QDir().mkpath(target)) {
        addFailure(tr("Cannot create the folder %1. Choose an existing, writable folder.")
                       .arg(target.isEmpty() ? tr("(empty)") : target));
        finishExport();
        return;
    }
    QSettings().setValue(kFolderKey, QFileInfo(target).absoluteFilePath());
    if (!confirmReplacing(target))
        return;
    // Plots first, so that the Markdown report can show the written plot files.
    writePlots(target);
    writeReports(target);
    if (m_modelCheck->isChecked() && m_modelCheck->isEnabled() && m_jobs) {
        const QString name = modelFileName();
        if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))) {
            addFailure(tr("Invalid model file name \"%1\": enter a file name without folders, such as model-fp16.pt.").arg(name));
        } else {
            m_pendingModelPath = QDir(target).filePath(name);
            m_log->appendPlainText(tr("Saving %1 in the background…").arg(m_pendingModelPath));
            ExportOptions options;
            options.freeze = m_freezeCheck->isChecked();
            options.optimizeForInference = m_optimizeCheck->isChecked();
            m_modelReport = ExportReport();
            m_jobs->saveModel(m_converted, m_pendingModelPath, options);
            return;
        }
    }
    finishExport();
}

QList<PlotFormat> ExportDialog::chosenPlotFormats() const
{
    QList<PlotFormat> formats;
    if (!m_pngCheck->isEnabled())
        return formats;
    if (m_pngCheck->isChecked())
        formats << PlotFormat::Png;
    if (m_pdfCheck->isChecked())
        formats << PlotFormat::Pdf;
    if (m_svgCheck->isChecked())
        formats << PlotFormat::Svg;
    return formats;
}

QStringList ExportDialog::existingTargets(const QString &folder) const
{
    QStringList targets;
    if (m_jsonCheck->isEnabled()) {
        const ComparisonReportFiles files = comparisonReportFiles(folder);
        if (m_jsonCheck->isChecked())
            targets << files.json;
        if (m_csvCheck->isChecked())
            targets << files.csv;
        if (m_markdownCheck->isChecked())
            targets << files.markdown;
    }
    for (const QPointer<PlotWidget> &plot : std::as_const(m_plots)) {
        for (PlotFormat format : chosenPlotFormats()) {
            if (plot)
                targets << QDir(folder).filePath(plot->fileBaseName() + QLatin1Char('.') + plotFormatSuffix(format));
        }
    }
    if (m_modelCheck->isChecked() && m_modelCheck->isEnabled() && !modelFileName().isEmpty())
        targets << QDir(folder).filePath(modelFileName());

    QStringList existing;
    for (const QString &path : std::as_const(targets)) {
        if (QFileInfo(path).isFile())
            existing << path;
    }
    return existing;
}

bool ExportDialog::confirmReplacing(const QString &folder)
{
    const QStringList existing = existingTargets(folder);
    if (existing.isEmpty() || existing == m_replaceConfirmed) {
        clearReplaceConfirmation();
        return true;
    }

    // Asking in the log instead of a message box keeps the list of files readable.
    QStringList names;
    for (const QString &path : existing)
        names << QFileInfo(path).fileName();
    m_log->appendPlainText(tr("%n file(s) in %1 would be replaced: %2. Press Replace to write over them, "
                              "or choose another folder.", nullptr, int(existing.size()))
                               .arg(folder, names.join(QStringLiteral(", "))));
    m_replaceConfirmed = existing;
    m_exportButton->setText(tr("Replace"));
    m_exporting = false;
    updateButtons();
    return false;
}

void ExportDialog::clearReplaceConfirmation()
{
    m_replaceConfirmed.clear();
    m_exportButton->setText(tr("Export"));
}

void ExportDialog::writeReports(const QString &folder)
{
    if (!m_jsonCheck->isEnabled())
        return;
    const ComparisonReportFiles files = comparisonReportFiles(folder);
    auto write = [this](const QString &path, const std::function<void()> &writer) {
        try {
            writer();
            addWritten(path);
        } catch (const Error &error) {
            addFailure(error.message());
        }
    };
    if (m_jsonCheck->isChecked()) {
        const QString &path = files.json;
        write(path, [&] { writeFileAtomically(path, QJsonDocument(comparisonToJson(m_result)).toJson()); });
    }
    if (m_csvCheck->isChecked()) {
        const QString &path = files.csv;
        write(path, [&] { writeComparisonCsv(m_result, path); });
    }
    if (m_markdownCheck->isChecked()) {
        const QString &path = files.markdown;
        MarkdownReportOptions options;
        options.plotFiles = m_writtenPlotNames;
        options.plotsNote = tr("No plots were exported with this report.");
        if (m_result.referenceLatency.medianMs > 0.0) {
            options.slowdownExplanation = explainSlowdown(
                m_result.precision, m_result.options.device,
                m_result.convertedLatency.medianMs / m_result.referenceLatency.medianMs,
                detectCpuFeatures());
        }
        write(path, [&] { writeComparisonMarkdown(m_result, path, options); });
    }
}

void ExportDialog::writePlots(const QString &folder)
{
    const QList<PlotFormat> formats = chosenPlotFormats();
    for (const QPointer<PlotWidget> &plot : std::as_const(m_plots)) {
        if (!plot)
            continue;
        for (PlotFormat format : std::as_const(formats)) {
            PlotExportSettings settings;
            settings.format = format;
            settings = m_plotSize->applyTo(settings);
            const QString path = QDir(folder).filePath(plot->fileBaseName() + QLatin1Char('.') + plotFormatSuffix(format));
            try {
                plot->exportTo(path, settings);
                addWritten(path);
                if (format != PlotFormat::Pdf)
                    m_writtenPlotNames << QFileInfo(path).fileName();
            } catch (const Error &error) {
                addFailure(error.message());
            }
        }
    }
}

void ExportDialog::onModelExported(const ExportReport &report)
{
    if (!m_exporting || report.path != m_pendingModelPath)
        return;
    m_modelReport = report;
    m_log->appendPlainText(tr("Checked %1 after reloading it: %2 parameters (%3), output %4, "
                              "largest difference from the converted model %5.")
                               .arg(report.path, report.precision,
                                    report.tensorDtypes.join(QStringLiteral(", ")), report.outputDtype)
                               .arg(report.freezeDifference, 0, 'g', 3));
    for (const QString &warning : report.warnings)
        m_log->appendPlainText(tr("Warning: %1").arg(warning));
}

void ExportDialog::onModelSaved(const QString &path)
{
    if (!m_exporting || path != m_pendingModelPath)
        return;
    addWritten(path);
    finishExport();
}

void ExportDialog::onModelSaveFailed(const QString &path, const Failure &failure)
{
    if (!m_exporting || path != m_pendingModelPath)
        return;
    qCWarning(lcUi) << "saving" << path << "failed:" << failure.message << failure.detail;
    addFailure(failure.message);
    finishExport();
}

void ExportDialog::addWritten(const QString &path)
{
    m_written << path;
    m_log->appendPlainText(tr("Wrote %1").arg(path));
}

void ExportDialog::addFailure(const QString &message)
{
    m_failures << message;
    m_log->appendPlainText(tr("Failed: %1").arg(message));
}

void ExportDialog::finishExport()
{
    m_exporting = false;
    m_pendingModelPath.clear();
    m_log->appendPlainText(m_failures.isEmpty() ? tr("Done: %n file(s) written.", nullptr, int(m_written.size()))
                                                : tr("Finished with %n failure(s); %1 file(s) written.", nullptr, int(m_failures.size()))
                                                      .arg(m_written.size()));
    updateButtons();
    Q_EMIT exportFinished();
}

void ExportDialog::updateButtons()
{
    const bool anyReport = m_jsonCheck->isChecked() || m_csvCheck->isChecked()
        || m_markdownCheck->isChecked();
    const bool anyChosen = (m_jsonCheck->isEnabled() && anyReport)
        || (m_pngCheck->isEnabled() && (m_pngCheck->isChecked() || m_pdfCheck->isChecked() || m_svgCheck->isChecked()))
        || (m_modelCheck->isEnabled() && m_modelCheck->isChecked());
    m_exportButton->setEnabled(anyChosen && !m_exporting);
}

} // namespace halfscope
