// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/resultplot.h"

class QCPGraph;
class QCPStatisticalBox;

namespace halfscope {

/// Every timed forward call of each precision as a point (a strip plot),
/// beside a box of their median, quartiles and 1.5-IQR whiskers.
class LatencyDistributionPlot : public ResultPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LatencyDistributionPlot)

public:
    explicit LatencyDistributionPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result) override;
    void clearResult() override;

    /// Returns the plotted medians in milliseconds, fp32 first; empty
    /// without timing.
    QVector<double> plottedMedians() const;
    int boxCount() const;
    /// Returns the number of timed runs plotted for the fp32 model (0) or the converted one (1).
    int sampleCount(int precisionIndex) const;
    /// Returns the number of outlier marks on the boxes of both precisions.
    int outlierCount() const;
    /// Returns the graph that draws the outlier marks. It is in the legend
    /// only while there are outliers.
    QCPGraph *outlierGraph() const { return m_outliers; }

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    QCPStatisticalBox *m_boxes = nullptr;
    QCPGraph *m_samples[2] = { nullptr, nullptr };
    QStringList m_sampleLabels[2];
    QCPGraph *m_outliers = nullptr;
    QStringList m_outlierLabels;
    QStringList m_precisionNames;
    double m_highest = 0.0;
};

} // namespace halfscope
