// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include "qcustomplotinclude.h"

namespace halfscope {

/// Histogram of |fp32 probability - converted probability| over every class
/// of every compared image, on a logarithmic axis. Drag to pan, wheel to zoom.
class DriftPlot : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DriftPlot)

public:
    explicit DriftPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result);
    void clearResult();

    /// Returns the number of values the histogram holds, zeros excluded.
    double plottedCount() const;

private:
    QCPGraph *m_graph = nullptr;
    QCPTextElement *m_title = nullptr;
};

} // namespace halfscope
