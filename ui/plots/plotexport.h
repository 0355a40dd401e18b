// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

class QCustomPlot;

namespace halfscope {

enum class PlotFormat { Png, Pdf, Svg };

/// Size and format of an exported plot. The plot is laid out at width x
/// height (pixels for PNG, points for PDF and SVG), and the output is that
/// size times scale. For example, a PNG of 800 x 600 at scale 2 is
/// 1600 x 1200 pixels with the layout, fonts and line widths of 800 x 600.
struct PlotExportSettings
{
    PlotFormat format = PlotFormat::Png;
    int width = 800;
    int height = 600;
    double scale = 1.0;
};

/// Returns the file name suffix of a format without the dot: "png", "pdf", "svg".
QString plotFormatSuffix(PlotFormat format);
/// Returns the format whose suffix a file name has (case-insensitive), if any.
std::optional<PlotFormat> plotFormatForFileName(const QString &fileName);

/// Renders plot into the bytes of a PNG, PDF or SVG file. Runs on the GUI
/// thread, like every QCustomPlot call. Throws Error when rendering fails
/// or the settings are out of range (width and height 16 to 20000, scale
/// 0.1 to 10).
QByteArray renderPlot(QCustomPlot *plot, const PlotExportSettings &settings, const QString &title = QString());

/// Renders plot and writes it to path atomically. Throws Error naming path
/// and the reason when rendering or writing fails.
void exportPlot(QCustomPlot *plot, const QString &path, const PlotExportSettings &settings);

} // namespace halfscope
