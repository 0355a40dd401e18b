// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/probabilityscatterplot.h"

#include "plots/plotstyle.h"
#include "qcustomplotinclude.h"

#include <QAction>
#include <QFileInfo>

#include <cmath>

namespace halfscope {

ProbabilityScatterPlot::ProbabilityScatterPlot(QWidget *parent)
    : ResultPlot(QStringLiteral("probability-scatter"), parent)
{
    QCustomPlot *customPlot = plot();
    m_identityGraph = customPlot->addGraph();
    m_identityGraph->setName(tr("y = x (no drift)"));
    m_identityGraph->setPen(QPen(Qt::gray, 1.0, Qt::DashLine));
    m_identityGraph->setData({ 0.0, 1.0 }, { 0.0, 1.0 });
    m_identityGraph->setSelectable(QCP::stNone);
    m_agreeGraph = customPlot->addGraph();
    setScatterStyle(m_agreeGraph, referenceColor());
    m_differGraph = customPlot->addGraph();
    setScatterStyle(m_differGraph, QColor(0xd6, 0x27, 0x28), 8.0);
    customPlot->xAxis->setLabel(tr("FP32 probability"));
    customPlot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    m_allClassesAction = new QAction(tr("All Classes"), this);
    m_allClassesAction->setObjectName(QStringLiteral("allClassesAction"));
    m_allClassesAction->setCheckable(true);
    m_allClassesAction->setToolTip(tr("Plot every class of every image instead of each image's top-1 probability"));
    connect(m_allClassesAction, &QAction::toggled, this, &ProbabilityScatterPlot::setShowAllClasses);
    addPlotAction(m_allClassesAction);
    clearResult();
}

void ProbabilityScatterPlot::setResult(const ComparisonResult &result)
{
    m_result = result;
    if (m_allClasses)
        fillAllClasses();
    else
        fillTopOne();
    resetView();
}

void ProbabilityScatterPlot::clearResult()
{
    m_result = ComparisonResult();
    m_agreeGraph->data()->clear();
    m_differGraph->data()->clear();
    m_agreeLabels.clear();
    m_differLabels.clear();
    m_agreeGraph->setName(tr("top-1 agrees"));
    m_differGraph->setName(tr("top-1 differs"));
    plot()->yAxis->setLabel(tr("Converted probability"));
    setTitleText(tr("FP32 against converted probability"));
    resetView();
}

void ProbabilityScatterPlot::setShowAllClasses(bool allClasses)
{
    if (allClasses == m_allClasses)
        return;
    m_allClasses = allClasses;
    m_allClassesAction->setChecked(allClasses);
    if (m_result.images.empty())
        return;
    if (m_allClasses)
        fillAllClasses();
    else
        fillTopOne();
    resetView();
}

int ProbabilityScatterPlot::pointCount() const
{
    return m_agreeGraph->dataCount() + m_differGraph->dataCount();
}

void ProbabilityScatterPlot::fillTopOne()
{
    const QString converted = precisionLabel(m_result.precision);
    std::vector<LabelledPoint> agree;
    std::vector<LabelledPoint> differ;
    int nonFinite = 0;
    for (const ImageComparison &image : m_result.images) {
        if (!image.compared())
            continue;
        if (image.nonFinite) {
            ++nonFinite;
            continue;
        }
        LabelledPoint point;
        point.key = image.reference.top1Probability();
        point.value = image.converted.top1Probability();
        point.label = tr("%1\nFP32: %2 (%3)\n%4: %5 (%6)")
                          .arg(QFileInfo(image.path).fileName(), m_result.className(image.reference.top1()))
                          .arg(point.key, 0, 'f', 4)
                          .arg(converted, m_result.className(image.converted.top1()))
                          .arg(point.value, 0, 'f', 4);
        (image.top1Agrees ? agree : differ).push_back(point);
    }
    m_agreeLabels = setLabelledPoints(m_agreeGraph, agree);
    m_differLabels = setLabelledPoints(m_differGraph, differ);
    m_agreeGraph->setName(tr("top-1 agrees (%1)").arg(agree.size()));
    m_differGraph->setName(tr("top-1 differs (%1)").arg(differ.size()));
    m_differGraph->addToLegend();
    plot()->yAxis->setLabel(tr("%1 top-1 probability").arg(converted));
    plot()->xAxis->setLabel(tr("FP32 top-1 probability"));
    QString title = tr("Top-1 probability per image, FP32 against %1").arg(converted);
    if (nonFinite > 0)
        title += tr("; %1 images with NaN or infinite outputs not shown").arg(nonFinite);
    setTitleText(title);
}

void ProbabilityScatterPlot::fillAllClasses()
{
    const QString converted = precisionLabel(m_result.precision);
    std::vector<LabelledPoint> points;
    int images = 0;
    for (const ImageComparison &image : m_result.images) {
        if (!image.compared() || image.nonFinite)
            continue;
        ++images;
        const QString fileName = QFileInfo(image.path).fileName();
        const size_t classes = std::min(image.referenceProbabilities.size(), image.convertedProbabilities.size());
        for (size_t index = 0; index < classes; ++index) {
            LabelledPoint point;
            point.key = image.referenceProbabilities[index];
            point.value = image.convertedProbabilities[index];
            point.label = tr("%1, %2\nFP32: %3\n%4: %5")
                              .arg(fileName, m_result.className(int(index)))
                              .arg(point.key, 0, 'g', 4)
                              .arg(converted)
                              .arg(point.value, 0, 'g', 4);
            points.push_back(point);
        }
    }
    m_agreeLabels = setLabelledPoints(m_agreeGraph, points);
    m_differGraph->data()->clear();
    m_differLabels.clear();
    m_agreeGraph->setName(tr("class probabilities (%1)").arg(points.size()));
    m_differGraph->removeFromLegend();
    plot()->yAxis->setLabel(tr("%1 probability").arg(converted));
    plot()->xAxis->setLabel(tr("FP32 probability"));
    setTitleText(tr("Probability of every class in %1 images, FP32 against %2").arg(images).arg(converted));
}

void ProbabilityScatterPlot::applyDefaultView()
{
    plot()->xAxis->setRange(-0.02, 1.02);
    plot()->yAxis->setRange(-0.02, 1.02);
}

QString ProbabilityScatterPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    if (plottable == m_agreeGraph && index < m_agreeLabels.size())
        return m_agreeLabels[index];
    if (plottable == m_differGraph && index < m_differLabels.size())
        return m_differLabels[index];
    return QString();
}

} // namespace halfscope
