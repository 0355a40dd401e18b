// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/plotwidget.h"
#include "run/comparison.h"

namespace halfscope {

/// A plot filled from one comparison result.
class ResultPlot : public PlotWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultPlot)

public:
    using PlotWidget::PlotWidget;

    /// Replaces the plotted data with result's and resets the view.
    virtual void setResult(const ComparisonResult &result) = 0;
    /// Removes the data and shows the plot's empty title.
    virtual void clearResult() = 0;
};

} // namespace halfscope
