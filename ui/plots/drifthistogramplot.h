// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/resultplot.h"

class QCPGraph;

namespace halfscope {

/// Histogram of |fp32 probability - converted probability| over every class
/// of every compared image, on a logarithmic drift axis with 4 bins per
/// decade. The count axis is linear or, with "Log Count", logarithmic.
class DriftHistogramPlot : public ResultPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftHistogramPlot)

public:
    explicit DriftHistogramPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result) override;
    void clearResult() override;

    /// Returns the number of values the histogram holds, zeros excluded.
    double plottedCount() const;
    bool isLogCount() const;
    void setLogCount(bool logarithmic);
    QAction *logCountAction() const { return m_logCountAction; }

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    void configureCountAxis(bool logarithmic);
    void updateGraphData();

    QCPGraph *m_graph = nullptr;
    QAction *m_logCountAction = nullptr;
    QVector<double> m_keys;
    QVector<double> m_counts;
    QVector<double> m_lowerEdges;
    QVector<double> m_upperEdges;
};

} // namespace halfscope
