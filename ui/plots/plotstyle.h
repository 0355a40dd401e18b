// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

#include <vector>

class QCPGraph;
class QCPStatisticalBox;

namespace halfscope {

/// Colors of the two precisions in every plot (matplotlib's tab10 blue and orange).
inline QColor referenceColor() { return QColor(0x1f, 0x77, 0xb4); }
inline QColor convertedColor() { return QColor(0xff, 0x7f, 0x0e); }

/// One scatter point with the text its tooltip shows.
struct LabelledPoint
{
    double key = 0.0;
    double value = 0.0;
    QString label;
};

/// Sets graph's data to points sorted by key (QCPGraph keeps its data
/// sorted) and returns the labels in the same order, so that a data index
/// of the graph is an index into the returned list.
QStringList setLabelledPoints(QCPGraph *graph, std::vector<LabelledPoint> points);

/// Returns a horizontal offset in -width/2..width/2 for the index-th point of
/// a strip plot: a low-discrepancy sequence, so points spread evenly and the
/// same data always gives the same picture.
double stripOffset(int index, double width);

/// Adds a box at key to box: median, quartiles, whiskers at the most
/// extreme values within 1.5 interquartile ranges of the quartiles (Tukey),
/// and the values beyond them as outliers. Does nothing for no values.
void addTukeyBox(QCPStatisticalBox *box, double key, const std::vector<double> &values);

/// Configures graph as markers without lines.
void setScatterStyle(QCPGraph *graph, const QColor &color, double size = 6.0);

} // namespace halfscope
