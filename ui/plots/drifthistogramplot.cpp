// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/drifthistogramplot.h"

#include "qcustomplotinclude.h"
#include "run/loghistogram.h"

#include <QAction>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

// fp16 keeps about 3 significant decimal digits, so differences below 1e-12
// carry no information; they are counted in the first bin.
constexpr int kMinExponent = -12;
constexpr int kMaxExponent = 0;
constexpr int kBinsPerDecade = 4;
// A logarithmic axis cannot show 0: empty bins are drawn at this value,
// below the axis' lower end of 0.7, so they look empty.
constexpr double kLogEmptyCount = 0.5;
constexpr double kLogAxisLower = 0.7;

QString emptyTitle()
{
    return PlotWidget::tr("Distribution of |Δ probability|");
}

} // namespace

DriftHistogramPlot::DriftHistogramPlot(QWidget *parent)
    : ResultPlot(QStringLiteral("drift-histogram"), parent)
{
    QCustomPlot *customPlot = plot();
    customPlot->xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> logTicker(new QCPAxisTickerLog);
    customPlot->xAxis->setTicker(logTicker);
    customPlot->xAxis->setNumberFormat(QStringLiteral("eb"));
    customPlot->xAxis->setNumberPrecision(0);
    customPlot->xAxis->setLabel(tr("|FP32 probability − converted probability| per class and image"));
    customPlot->yAxis->setLabel(tr("Count"));
    configureCountAxis(false);

    m_graph = customPlot->addGraph();
    m_graph->setLineStyle(QCPGraph::lsStepCenter);
    m_graph->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1.5));
    m_graph->setBrush(QColor(0x1f, 0x77, 0xb4, 70));
    m_graph->setName(tr("values (class and image)"));

    m_logCountAction = new QAction(tr("Log Count"), this);
    m_logCountAction->setObjectName(QStringLiteral("logCountAction"));
    m_logCountAction->setCheckable(true);
    m_logCountAction->setToolTip(tr("Show the count axis on a logarithmic scale, so that rare large drifts stay visible"));
    connect(m_logCountAction, &QAction::toggled, this, &DriftHistogramPlot::setLogCount);
    addPlotAction(m_logCountAction);
    clearResult();
}

void DriftHistogramPlot::setResult(const ComparisonResult &result)
{
    std::vector<float> deltas;
    int nonFinite = 0;
    for (const ImageComparison &image : result.images) {
        if (!image.compared())
            continue;
        for (float delta : image.probabilityDeltas) {
            if (std::isfinite(delta))
                deltas.push_back(delta);
            else
                ++nonFinite;
        }
    }
    const LogHistogram histogram = logHistogram(deltas, kMinExponent, kMaxExponent, kBinsPerDecade);

    m_keys.clear();
    m_counts.clear();
    m_lowerEdges.clear();
    m_upperEdges.clear();
    for (size_t bin = 0; bin < histogram.counts.size(); ++bin) {
        m_keys << std::sqrt(histogram.lowerEdges[bin] * histogram.upperEdges[bin]);
        m_counts << histogram.counts[bin];
        m_lowerEdges << histogram.lowerEdges[bin];
        m_upperEdges << histogram.upperEdges[bin];
    }
    updateGraphData();

    QString title = tr("Distribution of |Δ probability| (%1 values, max %2)")
                        .arg(deltas.size())
                        .arg(double(result.maxProbabilityDelta()), 0, 'g', 3);
    if (histogram.belowCount > 0)
        title += tr("; the first bin also counts %1 below 1e%2").arg(histogram.belowCount).arg(kMinExponent);
    if (histogram.zeroCount > 0)
        title += tr("; %1 exactly 0, not shown").arg(histogram.zeroCount);
    if (nonFinite > 0)
        title += tr("; %1 NaN or infinite, not shown").arg(nonFinite);
    setTitleText(title);
    resetView();
}

void DriftHistogramPlot::clearResult()
{
    m_keys.clear();
    m_counts.clear();
    m_lowerEdges.clear();
    m_upperEdges.clear();
    m_graph->data()->clear();
    setTitleText(emptyTitle());
    resetView();
}

double DriftHistogramPlot::plottedCount() const
{
    double total = 0.0;
    for (double count : m_counts)
        total += count;
    return total;
}

bool DriftHistogramPlot::isLogCount() const
{
    return plot()->yAxis->scaleType() == QCPAxis::stLogarithmic;
}

void DriftHistogramPlot::setLogCount(bool logarithmic)
{
    if (logarithmic == isLogCount())
        return;
    configureCountAxis(logarithmic);
    m_logCountAction->setChecked(logarithmic);
    updateGraphData();
    resetView();
}

void DriftHistogramPlot::configureCountAxis(bool logarithmic)
{
    QCPAxis *axis = plot()->yAxis;
    if (logarithmic) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else {
        axis->setScaleType(QCPAxis::stLinear);
        // Counts are whole numbers: ticks at multiples of 1, 2, 5, 10, ...
        QSharedPointer<QCPAxisTickerFixed> countTicker(new QCPAxisTickerFixed);
        countTicker->setTickStep(1.0);
        countTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        axis->setTicker(countTicker);
    }
}

void DriftHistogramPlot::updateGraphData()
{
    QVector<double> shown = m_counts;
    if (isLogCount()) {
        for (double &count : shown) {
            if (count <= 0.0)
                count = kLogEmptyCount;
        }
    }
    m_graph->setData(m_keys, shown, /*alreadySorted=*/true);
}

void DriftHistogramPlot::applyDefaultView()
{
    QCustomPlot *customPlot = plot();
    customPlot->xAxis->setRange(std::pow(10.0, kMinExponent), 1.0);
    const double highest = m_counts.isEmpty() ? 1.0 : *std::max_element(m_counts.begin(), m_counts.end());
    if (isLogCount())
        customPlot->yAxis->setRange(kLogAxisLower, std::max(10.0, highest * 2.0));
    else
        customPlot->yAxis->setRange(0.0, std::max(1.0, highest * 1.1));
}

QString DriftHistogramPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    if (plottable != m_graph || index < 0 || index >= m_counts.size())
        return QString();
    return tr("%1 values from %2 to %3")
        .arg(m_counts[index])
        .arg(m_lowerEdges[index], 0, 'g', 3)
        .arg(m_upperEdges[index], 0, 'g', 3);
}

} // namespace halfscope
