// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/plotstyle.h"

#include "qcustomplotinclude.h"
#include "run/latencystats.h"

#include <algorithm>
#include <cmath>

namespace halfscope {

QStringList setLabelledPoints(QCPGraph *graph, std::vector<LabelledPoint> points)
{
    std::stable_sort(points.begin(), points.end(),
                     [](const LabelledPoint &a, const LabelledPoint &b) { return a.key < b.key; });
    QVector<double> keys;
    QVector<double> values;
    QStringList labels;
    keys.reserve(int(points.size()));
    values.reserve(int(points.size()));
    for (const LabelledPoint &point : points) {
        keys << point.key;
        values << point.value;
        labels << point.label;
    }
    graph->setData(keys, values, /*alreadySorted=*/true);
    return labels;
}

double stripOffset(int index, double width)
{
    // Fractional parts of multiples of the golden ratio fill 0..1 evenly.
    constexpr double kGoldenRatioFraction = 0.6180339887498949;
    const double fraction = std::fmod((index + 1) * kGoldenRatioFraction, 1.0);
    return (fraction - 0.5) * width;
}

void addTukeyBox(QCPStatisticalBox *box, double key, const std::vector<double> &values)
{
    if (values.empty())
        return;
    const double lowerQuartile = quantile(values, 0.25);
    const double median = quantile(values, 0.5);
    const double upperQuartile = quantile(values, 0.75);
    const double reach = 1.5 * (upperQuartile - lowerQuartile);
    double minimum = median;
    double maximum = median;
    QVector<double> outliers;
    for (double value : values) {
        if (value < lowerQuartile - reach || value > upperQuartile + reach) {
            outliers << value;
            continue;
        }
        minimum = std::min(minimum, value);
        maximum = std::max(maximum, value);
    }
    box->addData(key, std::min(minimum, lowerQuartile), lowerQuartile, median, upperQuartile,
                 std::max(maximum, upperQuartile), outliers);
}

void setScatterStyle(QCPGraph *graph, const QColor &color, double size)
{
    graph->setLineStyle(QCPGraph::lsNone);
    QColor fill = color;
    fill.setAlpha(120);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, fill, size));
    graph->setPen(QPen(color));
}

} // namespace halfscope
