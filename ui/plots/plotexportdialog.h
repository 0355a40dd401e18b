// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/plotexport.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace halfscope {

class PlotSizeWidget;

/// Dialog for the file, format, size and scale of one exported plot.
class PlotExportDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlotExportDialog)

public:
    /// basePath is the suggested file path without suffix.
    PlotExportDialog(const QString &basePath, const PlotExportSettings &settings, QWidget *parent = nullptr);

    /// Returns the chosen path; its suffix matches the chosen format.
    QString filePath() const;
    PlotExportSettings settings() const;

private:
    void browse();
    void onFormatChanged();

    QLineEdit *m_pathEdit = nullptr;
    QComboBox *m_formatCombo = nullptr;
    PlotSizeWidget *m_sizeWidget = nullptr;
};

/// Width, height and scale fields of a plot export, with the unit shown:
/// pixels for PNG, points for PDF and SVG.
class PlotSizeWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlotSizeWidget)

public:
    explicit PlotSizeWidget(QWidget *parent = nullptr);

    /// Fills width, height and scale from settings (the format is ignored).
    void setSize(const PlotExportSettings &settings);
    /// Returns settings with the chosen width, height and scale.
    PlotExportSettings applyTo(PlotExportSettings settings) const;
    /// Sets the unit suffix of width and height, such as " px" or " pt".
    void setUnitText(const QString &unit);

private:
    QSpinBox *m_widthSpin = nullptr;
    QSpinBox *m_heightSpin = nullptr;
    QDoubleSpinBox *m_scaleSpin = nullptr;
};

} // namespace halfscope
