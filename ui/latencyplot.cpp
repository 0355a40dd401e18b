// SPDX-License-Identifier: GPL-3.0-or-later
#include "latencyplot.h"

namespace halfscope {

LatencyPlot::LatencyPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(this, tr("Median latency per batch"),
                                 QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);

    m_bars = new QCPBars(xAxis, yAxis);
    m_bars->setWidth(0.5);
    m_bars->setPen(QPen(QColor(0x1f, 0x77, 0xb4)));
    m_bars->setBrush(QColor(0x1f, 0x77, 0xb4, 150));
    m_bars->setName(tr("median"));
    m_errorBars = new QCPErrorBars(xAxis, yAxis);
    m_errorBars->setDataPlottable(m_bars);
    m_errorBars->setPen(QPen(Qt::black, 1.5));
    m_errorBars->setName(tr("p10 to p90"));

    yAxis->setLabel(tr("Milliseconds per batch"));
    xAxis->setRange(0.3, 2.7);
    legend->setVisible(true);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Vertical);
    axisRect()->setRangeZoom(Qt::Vertical);
}

void LatencyPlot::setResult(const ComparisonResult &result)
{
    if (result.referenceLatency.isEmpty()) {
        clearResult();
        if (!result.timingError.isEmpty())
            m_title->setText(result.timingError);
        else if (result.cancelled)
            m_title->setText(tr("No timing: the comparison was cancelled"));
        else
            m_title->setText(tr("No timing: timed runs were set to 0"));
        replot();
        return;
    }

    const LatencyStats &reference = result.referenceLatency;
    const LatencyStats &converted = result.convertedLatency;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTick(1.0, QStringLiteral("FP32"));
    ticker->addTick(2.0, precisionLabel(result.precision));
    xAxis->setTicker(ticker);

    m_bars->setData({ 1.0, 2.0 }, { reference.medianMs, converted.medianMs });
    m_errorBars->setData({ reference.medianMs - reference.p10Ms, converted.medianMs - converted.p10Ms },
                         { reference.p90Ms - reference.medianMs, converted.p90Ms - converted.medianMs });
    m_title->setText(tr("Median latency per batch of %1 images (%2 inputs), %3 timed runs on %4")
                         .arg(reference.batchImages)
                         .arg(reference.batchViews)
                         .arg(reference.samplesMs.size())
                         .arg(result.options.device));
    yAxis->setRange(0.0, std::max(reference.p90Ms, converted.p90Ms) * 1.15);
    replot();
}

void LatencyPlot::clearResult()
{
    m_bars->data()->clear();
    m_errorBars->data()->clear();
    m_title->setText(tr("Median latency per batch"));
    yAxis->setRange(0.0, 1.0);
    replot();
}

QVector<double> LatencyPlot::plottedMedians() const
{
    QVector<double> medians;
    for (auto it = m_bars->data()->constBegin(); it != m_bars->data()->constEnd(); ++it)
        medians << it->value;
    return medians;
}

} // namespace halfscope
