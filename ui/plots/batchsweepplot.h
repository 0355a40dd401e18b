// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/plotwidget.h"
#include "precision/precision.h"
#include "run/batchsweep.h"

#include <vector>

class QCPGraph;

namespace halfscope {

/// Median latency per batch (left axis, solid lines) and throughput in
/// images per second (right axis, dashed lines) of both precisions against
/// the batch size, on a base-2 logarithmic batch axis.
class BatchSweepPlot : public PlotWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchSweepPlot)

public:
    explicit BatchSweepPlot(QWidget *parent = nullptr);

    /// Plots points, which may come in any order because they are sorted by
    /// batch size here. converted is the precision of the converted model.
    void setPoints(const std::vector<BatchSweepPoint> &points, Precision converted);
    void clearPoints();

    /// Returns the number of batch sizes plotted per line.
    int pointCount() const;

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    /// Latency fp32, latency converted, throughput fp32, throughput converted.
    QCPGraph *m_graphs[4] = { nullptr, nullptr, nullptr, nullptr };
    std::vector<BatchSweepPoint> m_points;
};

} // namespace halfscope
