// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include "qcustomplotinclude.h"

namespace halfscope {

/// Median latency per precision as bars, with p10-p90 error bars.
class LatencyPlot : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LatencyPlot)

public:
    explicit LatencyPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result);
    void clearResult();

    /// Returns the plotted medians in milliseconds, fp32 first.
    QVector<double> plottedMedians() const;

private:
    QCPBars *m_bars = nullptr;
    QCPErrorBars *m_errorBars = nullptr;
    QCPTextElement *m_title = nullptr;
};

} // namespace halfscope
