// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/plotwidget.h"

#include "common/error.h"
#include "common/logging.h"
#include "plots/plotexportdialog.h"
#include "qcustomplotinclude.h"

#include <QAction>
#include <QDir>
#include <QHBoxLayout>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace halfscope {

PlotWidget::PlotWidget(const QString &fileBaseName, QWidget *parent)
    : QWidget(parent)
    , m_fileBaseName(fileBaseName)
    , m_plot(new QCustomPlot(this))
    , m_lastFolder(QDir::homePath())
{
    m_plot->setObjectName(QStringLiteral("plot"));
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), 10, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 210));
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    m_plot->setMouseTracking(true);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &PlotWidget::showContextMenu);
    connect(m_plot, &QCustomPlot::mouseMove, this, &PlotWidget::showToolTip);

    m_resetViewAction = new QAction(tr("Reset View"), this);
    m_resetViewAction->setObjectName(QStringLiteral("resetViewAction"));
    m_resetViewAction->setToolTip(tr("Show every data point again after zooming or panning"));
    connect(m_resetViewAction, &QAction::triggered, this, &PlotWidget::resetView);
    m_exportAction = new QAction(tr("Export…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportPlotAction"));
    m_exportAction->setToolTip(tr("Save this plot as PNG, PDF or SVG"));
    connect(m_exportAction, &QAction::triggered, this, &PlotWidget::chooseExport);

    m_toolBar = new QHBoxLayout;
    m_toolBar->setContentsMargins(0, 0, 0, 0);
    m_toolBar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(m_toolBar);
    layout->addWidget(m_plot, 1);
    addPlotAction(m_resetViewAction);
    addPlotAction(m_exportAction);
}

PlotWidget::~PlotWidget() = default;

QString PlotWidget::titleText() const
{
    return m_titleText;
}

void PlotWidget::setTitleText(const QString &text)
{
    m_titleText = text;
    m_title->setText(wrapTitle(text));
}

void PlotWidget::placeLegendAboveAxes()
{
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->insertRow(1);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    // The row spans the plot's width, where a frame would look like a box.
    m_plot->legend->setBorderPen(Qt::NoPen);
}

QString PlotWidget::wrapTitle(const QString &text)
{
    // About 480 px of the bold 10 pt title font, so that a title fits an
    // export of 640 px and the default window without being cut.
    constexpr int maxLineLength = 64;
    QStringList lines;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > maxLineLength) {
            lines << line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        lines << line;
    return lines.join(QLatin1Char('\n'));
}

void PlotWidget::addPlotAction(QAction *action)
{
    auto *button = new QToolButton;
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // Plot options sit on the left of the stretch, Reset View and Export on its right.
    if (action == m_resetViewAction || action == m_exportAction) {
        m_toolBar->addWidget(button);
    } else {
        m_toolBar->insertWidget(m_optionCount, button);
        m_plotActions.insert(m_optionCount, action);
        ++m_optionCount;
        return;
    }
    m_plotActions << action;
}

void PlotWidget::resetView()
{
    applyDefaultView();
    m_plot->replot();
}

void PlotWidget::exportTo(const QString &path, const PlotExportSettings &settings)
{
    exportPlot(m_plot, path, settings);
    qCInfo(lcUi) << "exported plot" << m_fileBaseName << "to" << path;
}

void PlotWidget::chooseExport()
{
    PlotExportDialog dialog(QDir(m_lastFolder).filePath(m_fileBaseName), m_lastSettings, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString path = dialog.filePath();
    m_lastSettings = dialog.settings();
    m_lastFolder = QFileInfo(path).absolutePath();
    try {
        exportTo(path, m_lastSettings);
    } catch (const Error &error) {
        qCWarning(lcUi) << "plot export failed:" << error.message();
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export Plot"), error.message(), QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("exportErrorBox"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setWindowModality(Qt::WindowModal);
        box->open();
    }
}

QString PlotWidget::toolTipAt(const QPointF &pos) const
{
    int index = -1;
    QCPAbstractPlottable *plottable = m_plot->plottableAt(pos, false, &index);
    if (!plottable || index < 0)
        return QString();
    return dataPointText(plottable, index);
}

QString PlotWidget::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    QCPPlottableInterface1D *data = plottable->interface1D();
    if (!data || index >= data->dataCount())
        return QString();
    return QStringLiteral("%1: %2, %3")
        .arg(plottable->name())
        .arg(data->dataMainKey(index), 0, 'g', 4)
        .arg(data->dataMainValue(index), 0, 'g', 4);
}

void PlotWidget::showToolTip(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton)
        return;
    const QString text = toolTipAt(event->position());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

void PlotWidget::showContextMenu(const QPoint &pos)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (QAction *action : std::as_const(m_plotActions)) {
        if (action == m_resetViewAction && m_optionCount > 0)
            menu->addSeparator();
        menu->addAction(action);
    }
    menu->popup(m_plot->mapToGlobal(pos));
}

} // namespace halfscope
