// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/batchsweepplot.h"

#include "plots/plotstyle.h"
#include "qcustomplotinclude.h"

#include <algorithm>

namespace halfscope {

BatchSweepPlot::BatchSweepPlot(QWidget *parent)
    : PlotWidget(QStringLiteral("batch-sweep"), parent)
{
    QCustomPlot *customPlot = plot();
    customPlot->xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    ticker->setLogBase(2.0);
    customPlot->xAxis->setTicker(ticker);
    customPlot->xAxis->setLabel(tr("Batch size (images)"));
    customPlot->yAxis->setLabel(tr("Latency per batch (ms)"));
    customPlot->yAxis2->setVisible(true);
    customPlot->yAxis2->setLabel(tr("Images per second"));
    customPlot->axisRect()->setRangeZoomAxes({ customPlot->xAxis, customPlot->yAxis, customPlot->yAxis2 });
    customPlot->axisRect()->setRangeDragAxes({ customPlot->xAxis, customPlot->yAxis, customPlot->yAxis2 });

    // Small batches sit in the top left, where an inset legend would cover
    // them. The wrap puts latency and throughput in two columns; it applies
    // to items added afterwards.
    placeLegendAboveAxes();
    customPlot->legend->setWrap(2);

    const QColor colors[2] = { referenceColor(), convertedColor() };
    for (int index = 0; index < 4; ++index) {
        QCPAxis *valueAxis = index < 2 ? customPlot->yAxis : customPlot->yAxis2;
        m_graphs[index] = customPlot->addGraph(customPlot->xAxis, valueAxis);
        const QColor color = colors[index % 2];
        m_graphs[index]->setPen(QPen(color, 2.0, index < 2 ? Qt::SolidLine : Qt::DashLine));
        m_graphs[index]->setScatterStyle(QCPScatterStyle(index < 2 ? QCPScatterStyle::ssCircle : QCPScatterStyle::ssSquare, color, Qt::white, 7));
    }
    clearPoints();
}

void BatchSweepPlot::setPoints(const std::vector<BatchSweepPoint> &points, Precision converted)
{
    m_points = points;
    std::sort(m_points.begin(), m_points.end(),
              [](const BatchSweepPoint &a, const BatchSweepPoint &b) { return a.batchSize < b.batchSize; });
    QVector<double> keys;
    QVector<double> values[4];
    for (const BatchSweepPoint &point : m_points) {
        keys << point.batchSize;
        values[0] << point.referenceMedianMs;
        values[1] << point.convertedMedianMs;
        values[2] << point.referenceImagesPerSecond;
        values[3] << point.convertedImagesPerSecond;
    }
    const QString convertedName = precisionLabel(converted);
    m_graphs[0]->setName(tr("FP32 latency"));
    m_graphs[1]->setName(tr("%1 latency").arg(convertedName));
    m_graphs[2]->setName(tr("FP32 throughput"));
    m_graphs[3]->setName(tr("%1 throughput").arg(convertedName));
    for (int index = 0; index < 4; ++index)
        m_graphs[index]->setData(keys, values[index], /*alreadySorted=*/true);
    setTitleText(tr("Latency and throughput against batch size, FP32 and %1 (%2 batch sizes)")
                     .arg(convertedName)
                     .arg(m_points.size()));
    resetView();
}

void BatchSweepPlot::clearPoints()
{
    m_points.clear();
    for (QCPGraph *graph : m_graphs)
        graph->data()->clear();
    m_graphs[0]->setName(tr("FP32 latency"));
    m_graphs[1]->setName(tr("converted latency"));
    m_graphs[2]->setName(tr("FP32 throughput"));
    m_graphs[3]->setName(tr("converted throughput"));
    setTitleText(tr("Latency and throughput against batch size"));
    resetView();
}

int BatchSweepPlot::pointCount() const
{
    return int(m_points.size());
}

void BatchSweepPlot::applyDefaultView()
{
    QCustomPlot *customPlot = plot();
    if (m_points.empty()) {
        customPlot->xAxis->setRange(1.0, 64.0);
        customPlot->yAxis->setRange(0.0, 1.0);
        customPlot->yAxis2->setRange(0.0, 1.0);
        return;
    }
    customPlot->xAxis->setRange(m_points.front().batchSize / 1.5, m_points.back().batchSize * 1.5);
    double latency = 0.0;
    double throughput = 0.0;
    for (const BatchSweepPoint &point : m_points) {
        latency = std::max({ latency, point.referenceMedianMs, point.convertedMedianMs });
        throughput = std::max({ throughput, point.referenceImagesPerSecond, point.convertedImagesPerSecond });
    }
    customPlot->yAxis->setRange(0.0, latency > 0.0 ? latency * 1.15 : 1.0);
    customPlot->yAxis2->setRange(0.0, throughput > 0.0 ? throughput * 1.15 : 1.0);
}

QString BatchSweepPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    if (index < 0 || index >= int(m_points.size()))
        return QString();
    const BatchSweepPoint &point = m_points[size_t(index)];
    for (int graph = 0; graph < 4; ++graph) {
        if (plottable != m_graphs[graph])
            continue;
        const bool latency = graph < 2;
        const double value = graph == 0 ? point.referenceMedianMs
            : graph == 1                ? point.convertedMedianMs
            : graph == 2                ? point.referenceImagesPerSecond
                                        : point.convertedImagesPerSecond;
        return tr("%1 at batch %2: %3 %4")
            .arg(plottable->name())
            .arg(point.batchSize)
            .arg(value, 0, 'f', latency ? 2 : 1)
            .arg(latency ? tr("ms") : tr("images/s"));
    }
    return QString();
}

} // namespace halfscope
