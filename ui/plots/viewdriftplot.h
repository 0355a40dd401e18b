// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/resultplot.h"

class QCPGraph;
class QCPStatisticalBox;

namespace halfscope {

/// Drift of each TTA view before merging: one box per view (named as in
/// TtaPlan::viewNames) over the compared images' largest |Δ probability| in
/// that view, with each image as a point next to its box.
class ViewDriftPlot : public ResultPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ViewDriftPlot)

public:
    explicit ViewDriftPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result) override;
    void clearResult() override;

    int boxCount() const;
    /// Returns the plotted image points over all views.
    int pointCount() const;
    /// Returns the view names under the boxes, left to right.
    QStringList viewNames() const { return m_viewNames; }

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    QCPStatisticalBox *m_boxes = nullptr;
    QCPGraph *m_points = nullptr;
    QStringList m_viewNames;
    QStringList m_pointLabels;
    double m_highest = 0.0;
};

} // namespace halfscope
