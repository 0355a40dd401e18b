// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/latencydistributionplot.h"

#include "plots/plotstyle.h"
#include "qcustomplotinclude.h"

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

// Boxes sit at keys 1 and 2, the timed runs to their right.
constexpr double kSampleOffset = 0.3;
constexpr double kStripWidth = 0.15;

} // namespace

LatencyDistributionPlot::LatencyDistributionPlot(QWidget *parent)
    : ResultPlot(QStringLiteral("latency"), parent)
{
    QCustomPlot *customPlot = plot();
    m_boxes = new QCPStatisticalBox(customPlot->xAxis, customPlot->yAxis);
    m_boxes->setName(tr("median, quartiles, 1.5 IQR"));
    m_boxes->setWidth(0.4);
    m_boxes->setBrush(QColor(0x80, 0x80, 0x80, 60));
    // The outliers get a graph of their own, so that the legend can name their mark.
    m_boxes->setOutlierStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
    m_outliers = customPlot->addGraph();
    m_outliers->setLineStyle(QCPGraph::lsNone);
    m_outliers->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QColor(0x30, 0x30, 0x30), 7.0));
    m_outliers->setName(tr("outliers (beyond 1.5 IQR)"));
    const QColor colors[2] = { referenceColor(), convertedColor() };
    for (int index = 0; index < 2; ++index) {
        m_samples[index] = customPlot->addGraph();
        setScatterStyle(m_samples[index], colors[index], 6.0);
    }
    customPlot->yAxis->setLabel(tr("Milliseconds per batch"));
    customPlot->xAxis->setLabel(tr("Precision"));
    customPlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    // Latency has two categories; zoom and pan the time axis only.
    customPlot->axisRect()->setRangeDrag(Qt::Vertical);
    customPlot->axisRect()->setRangeZoom(Qt::Vertical);
    clearResult();
}

void LatencyDistributionPlot::setResult(const ComparisonResult &result)
{
    clearResult();
    if (result.referenceLatency.isEmpty()) {
        if (!result.timingError.isEmpty())
            setTitleText(result.timingError);
        else if (result.cancelled)
            setTitleText(tr("No timing: the comparison was cancelled"));
        else
            setTitleText(tr("No timing: timed runs were set to 0"));
        plot()->replot();
        return;
    }

    m_precisionNames = QStringList { QStringLiteral("FP32"), precisionLabel(result.precision) };
    const LatencyStats *stats[2] = { &result.referenceLatency, &result.convertedLatency };
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    std::vector<LabelledPoint> outliers;
    for (int index = 0; index < 2; ++index) {
        const double key = index + 1;
        ticker->addTick(key, m_precisionNames[index]);
        addTukeyBox(m_boxes, key, stats[index]->samplesMs);
        if (m_boxes->dataCount() > 0 && m_boxes->data()->at(m_boxes->dataCount() - 1)->key == key) {
            for (double ms : m_boxes->data()->at(m_boxes->dataCount() - 1)->outliers)
                outliers.push_back({ key, ms, tr("%1, outlier: %2 ms").arg(m_precisionNames[index]).arg(ms, 0, 'f', 2) });
        }
        std::vector<LabelledPoint> points;
        for (size_t run = 0; run < stats[index]->samplesMs.size(); ++run) {
            const double ms = stats[index]->samplesMs[run];
            points.push_back({ key + kSampleOffset + stripOffset(int(run), kStripWidth), ms,
                               tr("%1, timed run %2: %3 ms").arg(m_precisionNames[index]).arg(run + 1).arg(ms, 0, 'f', 2) });
            m_highest = std::max(m_highest, ms);
        }
        m_sampleLabels[index] = setLabelledPoints(m_samples[index], points);
        m_samples[index]->setName(tr("%1 timed runs (%2)").arg(m_precisionNames[index]).arg(points.size()));
    }
    m_outlierLabels = setLabelledPoints(m_outliers, outliers);
    if (!outliers.empty())
        m_outliers->addToLegend();
    plot()->xAxis->setTicker(ticker);
    const LatencyStats &reference = result.referenceLatency;
    setTitleText(tr("Latency per batch of %1 images (%2 inputs), %3 timed runs per precision on %4, %5 threads")
                     .arg(reference.batchImages)
                     .arg(reference.batchViews)
                     .arg(reference.samplesMs.size())
                     .arg(result.options.device)
                     .arg(result.intraOpThreads));
    resetView();
}

void LatencyDistributionPlot::clearResult()
{
    m_boxes->data()->clear();
    for (int index = 0; index < 2; ++index) {
        m_samples[index]->data()->clear();
        m_sampleLabels[index].clear();
        m_samples[index]->setName(index == 0 ? tr("FP32 timed runs") : tr("converted timed runs"));
    }
    m_outliers->data()->clear();
    m_outlierLabels.clear();
    m_outliers->removeFromLegend();
    m_precisionNames.clear();
    m_highest = 0.0;
    plot()->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    setTitleText(tr("Latency per batch"));
    resetView();
}

QVector<double> LatencyDistributionPlot::plottedMedians() const
{
    QVector<double> medians;
    for (auto it = m_boxes->data()->constBegin(); it != m_boxes->data()->constEnd(); ++it)
        medians << it->median;
    return medians;
}

int LatencyDistributionPlot::boxCount() const
{
    return m_boxes->dataCount();
}

int LatencyDistributionPlot::sampleCount(int precisionIndex) const
{
    return m_samples[precisionIndex]->dataCount();
}

int LatencyDistributionPlot::outlierCount() const
{
    return m_outliers->dataCount();
}

void LatencyDistributionPlot::applyDefaultView()
{
    plot()->xAxis->setRange(0.4, 2.8);
    plot()->yAxis->setRange(0.0, m_highest > 0.0 ? m_highest * 1.15 : 1.0);
}

QString LatencyDistributionPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    for (int precision = 0; precision < 2; ++precision) {
        if (plottable == m_samples[precision] && index >= 0 && index < m_sampleLabels[precision].size())
            return m_sampleLabels[precision][index];
    }
    if (plottable == m_outliers && index >= 0 && index < m_outlierLabels.size())
        return m_outlierLabels[index];
    if (plottable == m_boxes && index >= 0 && index < m_boxes->dataCount()) {
        const auto box = m_boxes->data()->at(index);
        const int precision = int(std::lround(box->key)) - 1;
        return tr("%1: median %2 ms, quartiles %3 to %4 ms")
            .arg(precision >= 0 && precision < m_precisionNames.size() ? m_precisionNames[precision] : QString())
            .arg(box->median, 0, 'f', 2)
            .arg(box->lowerQuartile, 0, 'f', 2)
            .arg(box->upperQuartile, 0, 'f', 2);
    }
    return QString();
}

} // namespace halfscope
