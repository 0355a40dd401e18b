// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/resultplot.h"

class QCPGraph;

namespace halfscope {

/// FP32 probability against the converted model's probability, with the
/// identity line y = x. By default one point per compared image: the top-1
/// probability of each precision, colored by whether the top-1 classes
/// agree. With "All Classes", one point per class and image: the merged
/// probability of that class in both precisions.
class ProbabilityScatterPlot : public ResultPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProbabilityScatterPlot)

public:
    explicit ProbabilityScatterPlot(QWidget *parent = nullptr);

    void setResult(const ComparisonResult &result) override;
    void clearResult() override;

    bool showsAllClasses() const { return m_allClasses; }
    void setShowAllClasses(bool allClasses);
    /// Returns the number of plotted points, the identity line excluded.
    int pointCount() const;
    QAction *allClassesAction() const { return m_allClassesAction; }

protected:
    void applyDefaultView() override;
    QString dataPointText(QCPAbstractPlottable *plottable, int index) const override;

private:
    void fillTopOne();
    void fillAllClasses();

    ComparisonResult m_result;
    bool m_allClasses = false;
    QCPGraph *m_agreeGraph = nullptr;
    QCPGraph *m_differGraph = nullptr;
    QCPGraph *m_identityGraph = nullptr;
    QStringList m_agreeLabels;
    QStringList m_differLabels;
    QAction *m_allClassesAction = nullptr;
};

} // namespace halfscope
