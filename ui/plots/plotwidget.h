// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/plotexport.h"

#include <QWidget>

class QAction;
class QCPAbstractPlottable;
class QCPTextElement;
class QCustomPlot;
class QHBoxLayout;
class QMouseEvent;

namespace halfscope {

/// Base of HalfScope's plots: a QCustomPlot with a title, a legend, zoom and pan
/// (mouse wheel and drag), the data point under the mouse as a tooltip, and
/// "Reset view" and "Export…" in a small toolbar and in the context menu.
/// Subclasses fill the plot and set its default view.
class PlotWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlotWidget)

public:
    /// fileBaseName is the default export file name without suffix, such as "drift-histogram".
    PlotWidget(const QString &fileBaseName, QWidget *parent = nullptr);
    ~PlotWidget() override;

    QCustomPlot *plot() const { return m_plot; }
    QString fileBaseName() const { return m_fileBaseName; }
    /// Returns the title as set, without the line breaks added for display.
    QString titleText() const;
    /// Breaks text at spaces into lines of at most 64 characters.
    static QString wrapTitle(const QString &text);

    /// Returns the tooltip text for the data point nearest to pos (widget
    /// coordinates of plot()), or an empty string when no point is close.
    QString toolTipAt(const QPointF &pos) const;

    /// Renders the plot and writes it to path atomically. Throws Error naming
    /// path and the reason.
    void exportTo(const QString &path, const PlotExportSettings &settings);

    QAction *resetViewAction() const { return m_resetViewAction; }
    QAction *exportAction() const { return m_exportAction; }

public Q_SLOTS:
    /// Shows every data point again after zooming or panning.
    void resetView();
    /// Asks for a file, format and size, then exports; shows a message box
    /// naming the file and the reason when the export fails.
    void chooseExport();

protected:
    void setTitleText(const QString &text);
    /// Moves the legend out of the axis rect into a frameless row under the
    /// title, for plots whose data can fill any corner of the axis rect.
    void placeLegendAboveAxes();
    /// Adds a plot option (such as a checkable "Log Scale") to the toolbar and the context menu.
    void addPlotAction(QAction *action);
    /// Sets the axis ranges that show every data point.
    virtual void applyDefaultView() = 0;
    /// Returns the tooltip text for data point index of plottable. The
    /// default gives the plottable's name with its key and value.
    virtual QString dataPointText(QCPAbstractPlottable *plottable, int index) const;

private:
    void showContextMenu(const QPoint &pos);
    void showToolTip(QMouseEvent *event);

    QString m_fileBaseName;
    QString m_titleText;
    QCustomPlot *m_plot = nullptr;
    QCPTextElement *m_title = nullptr;
    QHBoxLayout *m_toolBar = nullptr;
    QList<QAction *> m_plotActions; ///< Plot options first, then Reset View and Export.
    int m_optionCount = 0;
    QAction *m_resetViewAction = nullptr;
    QAction *m_exportAction = nullptr;
    PlotExportSettings m_lastSettings;
    QString m_lastFolder;
};

} // namespace halfscope
