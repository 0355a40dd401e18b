// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/resultplot.h"

class QCPBars;

namespace halfscope {

/// One bar per compared image: its largest |fp32 probability - converted
/// probability| (or, with "Logit Drift", its largest |Δ logit|), sorted from
/// the largest drift down. The tooltip names the image file.
class ImageDriftPlot : public ResultPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageDriftPlot)

public:
    explicit ImageDriftPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result) override;
    void clearResult() override;

    bool showsLogitDrift() const { return m_logitDrift; }
    void setShowLogitDrift(bool logitDrift);
    int barCount() const;
    /// Returns the plotted drift values, left to right.
    QVector<double> plottedValues() const;
    /// Returns the image paths of the bars, left to right.
    QStringList plottedPaths() const { return m_paths; }
    QAction *logitDriftAction() const { return m_logitDriftAction; }

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    void fill();

    ComparisonResult m_result;
    bool m_logitDrift = false;
    QCPBars *m_bars = nullptr;
    QStringList m_paths;
    QAction *m_logitDriftAction = nullptr;
};

} // namespace halfscope
