// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/viewdriftplot.h"

#include "plots/plotstyle.h"
#include "qcustomplotinclude.h"
#include "run/latencystats.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

// Boxes sit at the view's key, image points to their right.
constexpr double kPointOffset = 0.3;
constexpr double kStripWidth = 0.15;

} // namespace

ViewDriftPlot::ViewDriftPlot(QWidget *parent)
    : ResultPlot(QStringLiteral("view-drift"), parent)
{
    QCustomPlot *customPlot = plot();
    m_boxes = new QCPStatisticalBox(customPlot->xAxis, customPlot->yAxis);
    m_boxes->setName(tr("images per view (box: quartiles, whiskers: 1.5 IQR; points beyond them are outliers)"));
    m_boxes->setWidth(0.4);
    m_boxes->setBrush(QColor(0x1f, 0x77, 0xb4, 90));
    // Every image is drawn as a point next to its box, so the box does not
    // mark the outliers a second time.
    m_boxes->setOutlierStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
    m_points = customPlot->addGraph();
    setScatterStyle(m_points, referenceColor(), 5.0);
    m_points->setName(tr("one image"));
    customPlot->xAxis->setTickLabelRotation(35);
    customPlot->xAxis->setLabel(tr("TTA view"));
    customPlot->yAxis->setLabel(tr("Max |Δ probability| in the view"));
    placeLegendAboveAxes();
    clearResult();
}

void ViewDriftPlot::setResult(const ComparisonResult &result)
{
    m_boxes->data()->clear();
    m_viewNames = result.options.tta.viewNames();
    QSharedPointer<QCPAxisTickerText> names(new QCPAxisTickerText);
    std::vector<LabelledPoint> points;
    m_highest = 0.0;
    int images = 0;
    for (int view = 0; view < m_viewNames.size(); ++view) {
        std::vector<double> values;
        for (const ImageComparison &image : result.images) {
            if (!image.compared() || image.nonFinite || view >= int(image.viewProbabilityDeltas.size()))
                continue;
            const double delta = image.viewProbabilityDeltas[size_t(view)];
            if (!std::isfinite(delta))
                continue;
            LabelledPoint point;
            point.key = view + 1 + kPointOffset + stripOffset(int(values.size()), kStripWidth);
            point.value = delta;
            point.label = tr("%1, view %2: %3").arg(QFileInfo(image.path).fileName(), m_viewNames[view]).arg(delta, 0, 'g', 4);
            points.push_back(point);
            values.push_back(delta);
            m_highest = std::max(m_highest, delta);
        }
        images = std::max(images, int(values.size()));
        addTukeyBox(m_boxes, view + 1, values);
        names->addTick(view + 1, m_viewNames[view]);
    }
    plot()->xAxis->setTicker(names);
    m_pointLabels = setLabelledPoints(m_points, points);
    setTitleText(tr("Largest |Δ probability| per TTA view before merging, %1 images, %2")
                     .arg(images)
                     .arg(result.options.tta.describe()));
    resetView();
}

void ViewDriftPlot::clearResult()
{
    m_boxes->data()->clear();
    m_points->data()->clear();
    m_viewNames.clear();
    m_pointLabels.clear();
    m_highest = 0.0;
    plot()->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    setTitleText(tr("Drift per TTA view"));
    resetView();
}

int ViewDriftPlot::boxCount() const
{
    return m_boxes->dataCount();
}

int ViewDriftPlot::pointCount() const
{
    return m_points->dataCount();
}

void ViewDriftPlot::applyDefaultView()
{
    plot()->xAxis->setRange(0.4, std::max<qsizetype>(1, m_viewNames.size()) + 0.6);
    plot()->yAxis->setRange(0.0, m_highest > 0.0 ? m_highest * 1.1 : 1.0);
}

QString ViewDriftPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    if (plottable == m_points && index >= 0 && index < m_pointLabels.size())
        return m_pointLabels[index];
    if (plottable == m_boxes && index >= 0 && index < m_boxes->dataCount()) {
        const auto box = m_boxes->data()->at(index);
        const int view = int(std::lround(box->key)) - 1;
        return tr("%1\nmedian %2, quartiles %3 to %4, max %5")
            .arg(view >= 0 && view < m_viewNames.size() ? m_viewNames[view] : QString())
            .arg(box->median, 0, 'g', 3)
            .arg(box->lowerQuartile, 0, 'g', 3)
            .arg(box->upperQuartile, 0, 'g', 3)
            .arg(std::max(box->maximum, box->outliers.isEmpty() ? 0.0 : *std::max_element(box->outliers.begin(), box->outliers.end())), 0, 'g', 3);
    }
    return QString();
}

} // namespace halfscope
