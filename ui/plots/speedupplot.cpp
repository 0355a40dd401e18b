// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/speedupplot.h"

#include "plots/plotstyle.h"
#include "qcustomplotinclude.h"

#include <algorithm>

namespace halfscope {

namespace {

constexpr double kEstimateKey = 1.0;
constexpr double kPairsKey = 2.0;
constexpr double kStripWidth = 0.3;

} // namespace

SpeedupPlot::SpeedupPlot(QWidget *parent)
    : ResultPlot(QStringLiteral("speedup"), parent)
{
    QCustomPlot *customPlot = plot();
    m_sameSpeed = customPlot->addGraph();
    m_sameSpeed->setName(tr("same speed (1×)"));
    m_sameSpeed->setPen(QPen(Qt::gray, 1.0, Qt::DashLine));
    m_sameSpeed->setData({ 0.0, 3.0 }, { 1.0, 1.0 });
    m_sameSpeed->setSelectable(QCP::stNone);

    m_estimateGraph = customPlot->addGraph();
    m_estimateGraph->setLineStyle(QCPGraph::lsNone);
    m_estimateGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, Qt::black, convertedColor(), 12));
    m_estimateGraph->setName(tr("ratio of medians"));
    m_interval = new QCPErrorBars(customPlot->xAxis, customPlot->yAxis);
    m_interval->setDataPlottable(m_estimateGraph);
    m_interval->setPen(QPen(Qt::black, 1.5));
    m_interval->setWhiskerWidth(14);
    m_interval->setName(tr("95% bootstrap interval"));
    m_pairs = customPlot->addGraph();
    setScatterStyle(m_pairs, convertedColor(), 6.0);
    m_pairs->setName(tr("one pair of timed runs"));

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTick(kEstimateKey, tr("Median ratio"));
    ticker->addTick(kPairsKey, tr("Per pair"));
    customPlot->xAxis->setTicker(ticker);
    customPlot->axisRect()->setRangeDrag(Qt::Vertical);
    customPlot->axisRect()->setRangeZoom(Qt::Vertical);
    clearResult();
}

void SpeedupPlot::setResult(const ComparisonResult &result)
{
    clearResult();
    const std::vector<double> &reference = result.referenceLatency.samplesMs;
    const std::vector<double> &converted = result.convertedLatency.samplesMs;
    m_precisionName = precisionLabel(result.precision);
    plot()->yAxis->setLabel(tr("Speed-up FP32 / %1 (above 1: %1 is faster)").arg(m_precisionName));
    m_estimate = estimateSpeedup(reference, converted);
    if (!m_estimate.isValid()) {
        setTitleText(reference.empty() ? tr("No speed-up: the run has no timing")
                                       : tr("No speed-up interval: it needs at least 2 timed runs per precision"));
        plot()->replot();
        return;
    }

    m_estimateGraph->setData({ kEstimateKey }, { m_estimate.ratio });
    m_interval->setData({ m_estimate.ratio - m_estimate.low }, { m_estimate.high - m_estimate.ratio });
    m_lowest = std::min(1.0, m_estimate.low);
    m_highest = std::max(1.0, m_estimate.high);
    std::vector<LabelledPoint> points;
    const size_t pairs = std::min(reference.size(), converted.size());
    for (size_t pair = 0; pair < pairs; ++pair) {
        const double ratio = reference[pair] / converted[pair];
        points.push_back({ kPairsKey + stripOffset(int(pair), kStripWidth), ratio,
                           tr("Pair %1: FP32 %2 ms / %3 %4 ms = %5×")
                               .arg(pair + 1)
                               .arg(reference[pair], 0, 'f', 2)
                               .arg(m_precisionName)
                               .arg(converted[pair], 0, 'f', 2)
                               .arg(ratio, 0, 'f', 3) });
        m_lowest = std::min(m_lowest, ratio);
        m_highest = std::max(m_highest, ratio);
    }
    m_pairLabels = setLabelledPoints(m_pairs, points);
    setTitleText(tr("Speed-up FP32 / %1: %2×, 95% interval %3–%4 (%5 bootstrap resamples of %6 paired runs)")
                     .arg(m_precisionName)
                     .arg(m_estimate.ratio, 0, 'f', 3)
                     .arg(m_estimate.low, 0, 'f', 3)
                     .arg(m_estimate.high, 0, 'f', 3)
                     .arg(m_estimate.resamples)
                     .arg(pairs));
    resetView();
}

void SpeedupPlot::clearResult()
{
    m_estimateGraph->data()->clear();
    m_interval->data()->clear();
    m_pairs->data()->clear();
    m_pairLabels.clear();
    m_estimate = SpeedupEstimate();
    m_lowest = 1.0;
    m_highest = 1.0;
    plot()->yAxis->setLabel(tr("Speed-up FP32 / converted"));
    setTitleText(tr("Speed-up of the converted model"));
    resetView();
}

int SpeedupPlot::pairCount() const
{
    return m_pairs->dataCount();
}

void SpeedupPlot::applyDefaultView()
{
    plot()->xAxis->setRange(0.4, 2.6);
    const double margin = std::max(0.05, (m_highest - m_lowest) * 0.1);
    plot()->yAxis->setRange(std::max(0.0, m_lowest - margin), m_highest + margin);
}

QString SpeedupPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    if (plottable == m_pairs && index >= 0 && index < m_pairLabels.size())
        return m_pairLabels[index];
    if ((plottable == m_estimateGraph || plottable == m_interval) && m_estimate.isValid()) {
        return tr("Speed-up %1×\n95% interval %2 to %3")
            .arg(m_estimate.ratio, 0, 'f', 3)
            .arg(m_estimate.low, 0, 'f', 3)
            .arg(m_estimate.high, 0, 'f', 3);
    }
    return QString();
}

} // namespace halfscope
