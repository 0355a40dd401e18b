// SPDX-License-Identifier: GPL-3.0-or-later
#include "driftplot.h"

#include "run/loghistogram.h"

#include <cmath>
#include <numeric>

namespace halfscope {

namespace {

// fp16 keeps about 3 significant decimal digits, so differences below 1e-12
// carry no information; they are counted in the first bin.
constexpr int kMinExponent = -12;
constexpr int kMaxExponent = 0;
constexpr int kBinsPerDecade = 4;

} // namespace

DriftPlot::DriftPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(this, tr("Distribution of |Δ probability|"),
                                 QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);

    xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> logTicker(new QCPAxisTickerLog);
    xAxis->setTicker(logTicker);
    xAxis->setNumberFormat(QStringLiteral("eb"));
    xAxis->setNumberPrecision(0);
    xAxis->setLabel(tr("|FP32 probability − converted probability| per class and image"));
    xAxis->setRange(std::pow(10.0, kMinExponent), 1.0);
    yAxis->setLabel(tr("Count"));
    // Counts are whole numbers: ticks at multiples of 1, 2, 5, 10, ...
    QSharedPointer<QCPAxisTickerFixed> countTicker(new QCPAxisTickerFixed);
    countTicker->setTickStep(1.0);
    countTicker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    yAxis->setTicker(countTicker);

    m_graph = addGraph();
    m_graph->setLineStyle(QCPGraph::lsStepCenter);
    m_graph->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 1.5));
    m_graph->setBrush(QColor(0x1f, 0x77, 0xb4, 70));
    m_graph->setName(tr("classes"));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
}

void DriftPlot::setResult(const ComparisonResult &result)
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

    QVector<double> keys;
    QVector<double> counts;
    for (size_t bin = 0; bin < histogram.counts.size(); ++bin) {
        keys << std::sqrt(histogram.lowerEdges[bin] * histogram.upperEdges[bin]);
        counts << histogram.counts[bin];
    }
    m_graph->setData(keys, counts, /*alreadySorted=*/true);

    QString title = tr("Distribution of |Δ probability| (%1 values, max %2)")
                        .arg(deltas.size())
                        .arg(double(result.maxProbabilityDelta()), 0, 'g', 3);
    if (histogram.belowCount > 0)
        title += tr("; %1 below 1e%2 in the first bin").arg(histogram.belowCount).arg(kMinExponent);
    if (histogram.zeroCount > 0)
        title += tr("; %1 exactly 0, not shown").arg(histogram.zeroCount);
    if (nonFinite > 0)
        title += tr("; %1 NaN or infinite, not shown").arg(nonFinite);
    m_title->setText(title);
    const double highest = counts.isEmpty() ? 1.0 : *std::max_element(counts.begin(), counts.end());
    yAxis->setRange(0.0, std::max(1.0, highest * 1.1));
    xAxis->setRange(std::pow(10.0, kMinExponent), 1.0);
    replot();
}

void DriftPlot::clearResult()
{
    m_graph->data()->clear();
    m_title->setText(tr("Distribution of |Δ probability|"));
    replot();
}

double DriftPlot::plottedCount() const
{
    double total = 0.0;
    for (auto it = m_graph->data()->constBegin(); it != m_graph->data()->constEnd(); ++it)
        total += it->value;
    return total;
}

} // namespace halfscope
