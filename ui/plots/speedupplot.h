// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/resultplot.h"
#include "run/latencystats.h"

class QCPErrorBars;
class QCPGraph;

namespace halfscope {

/// Speed-up of the converted model over fp32 (fp32 median / converted
/// median, above 1 means faster) with its 95% bootstrap interval from
/// estimateSpeedup(), beside the ratio of each pair of timed runs. A dashed
/// line marks 1 (same speed).
class SpeedupPlot : public ResultPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SpeedupPlot)

public:
    explicit SpeedupPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result) override;
    void clearResult() override;

    /// Returns the plotted estimate; invalid without at least 2 timed pairs.
    SpeedupEstimate estimate() const { return m_estimate; }
    /// Returns the number of plotted per-pair ratios.
    int pairCount() const;

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    QCPGraph *m_estimateGraph = nullptr;
    QCPErrorBars *m_interval = nullptr;
    QCPGraph *m_pairs = nullptr;
    QCPGraph *m_sameSpeed = nullptr;
    QStringList m_pairLabels;
    SpeedupEstimate m_estimate;
    QString m_precisionName;
    double m_lowest = 1.0;
    double m_highest = 1.0;
};

} // namespace halfscope
