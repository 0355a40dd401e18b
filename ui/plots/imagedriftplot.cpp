// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/imagedriftplot.h"

#include "plots/plotstyle.h"
#include "qcustomplotinclude.h"

#include <QAction>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

// Up to this many bars the file names label the key axis; beyond it the
// labels would overlap, so the axis shows ranks.
constexpr int kMaxNamedBars = 24;

} // namespace

ImageDriftPlot::ImageDriftPlot(QWidget *parent)
    : ResultPlot(QStringLiteral("image-drift"), parent)
{
    QCustomPlot *customPlot = plot();
    m_bars = new QCPBars(customPlot->xAxis, customPlot->yAxis);
    m_bars->setWidth(0.7);
    m_bars->setPen(QPen(referenceColor()));
    m_bars->setBrush(QColor(0x1f, 0x77, 0xb4, 150));
    customPlot->xAxis->setTickLabelRotation(35);

    m_logitDriftAction = new QAction(tr("Logit Drift"), this);
    m_logitDriftAction->setObjectName(QStringLiteral("logitDriftAction"));
    m_logitDriftAction->setCheckable(true);
    m_logitDriftAction->setToolTip(tr("Show each image's largest |Δ logit| instead of its largest |Δ probability|"));
    connect(m_logitDriftAction, &QAction::toggled, this, &ImageDriftPlot::setShowLogitDrift);
    addPlotAction(m_logitDriftAction);
    clearResult();
}

void ImageDriftPlot::setResult(const ComparisonResult &result)
{
    m_result = result;
    fill();
    resetView();
}

void ImageDriftPlot::clearResult()
{
    m_result = ComparisonResult();
    m_bars->data()->clear();
    m_paths.clear();
    plot()->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot()->xAxis->setLabel(tr("Image"));
    plot()->yAxis->setLabel(tr("Max |Δ probability|"));
    setTitleText(tr("Largest drift per image"));
    resetView();
}

void ImageDriftPlot::setShowLogitDrift(bool logitDrift)
{
    if (logitDrift == m_logitDrift)
        return;
    m_logitDrift = logitDrift;
    m_logitDriftAction->setChecked(logitDrift);
    if (m_result.images.empty())
        return;
    fill();
    resetView();
}

int ImageDriftPlot::barCount() const
{
    return m_bars->dataCount();
}

QVector<double> ImageDriftPlot::plottedValues() const
{
    QVector<double> values;
    for (auto it = m_bars->data()->constBegin(); it != m_bars->data()->constEnd(); ++it)
        values << it->value;
    return values;
}

void ImageDriftPlot::fill()
{
    std::vector<std::pair<double, QString>> drifts;
    int nonFinite = 0;
    for (const ImageComparison &image : m_result.images) {
        if (!image.compared())
            continue;
        const double drift = m_logitDrift ? image.maxLogitDelta : image.maxProbabilityDelta;
        if (!std::isfinite(drift)) {
            ++nonFinite;
            continue;
        }
        drifts.emplace_back(drift, image.path);
    }
    std::stable_sort(drifts.begin(), drifts.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });

    QVector<double> keys;
    QVector<double> values;
    m_paths.clear();
    QSharedPointer<QCPAxisTickerText> names(new QCPAxisTickerText);
    for (size_t rank = 0; rank < drifts.size(); ++rank) {
        keys << double(rank + 1);
        values << drifts[rank].first;
        m_paths << drifts[rank].second;
        names->addTick(double(rank + 1), QFileInfo(drifts[rank].second).fileName());
    }
    m_bars->setData(keys, values, /*alreadySorted=*/true);
    const bool named = int(drifts.size()) <= kMaxNamedBars;
    if (named)
        plot()->xAxis->setTicker(names);
    else
        plot()->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot()->xAxis->setLabel(named ? tr("Image") : tr("Rank (hover a bar for the file name)"));

    const QString quantity = m_logitDrift ? tr("|Δ logit|") : tr("|Δ probability|");
    plot()->yAxis->setLabel(tr("Max %1").arg(quantity));
    m_bars->setName(tr("max %1").arg(quantity));
    QString title = tr("Largest %1 per image, %2 images, largest first").arg(quantity).arg(drifts.size());
    if (nonFinite > 0)
        title += tr("; %1 with NaN or infinite outputs not shown").arg(nonFinite);
    setTitleText(title);
}

void ImageDriftPlot::applyDefaultView()
{
    const int count = m_bars->dataCount();
    plot()->xAxis->setRange(0.3, std::max(1, count) + 0.7);
    double highest = 0.0;
    for (auto it = m_bars->data()->constBegin(); it != m_bars->data()->constEnd(); ++it)
        highest = std::max(highest, it->value);
    plot()->yAxis->setRange(0.0, highest > 0.0 ? highest * 1.1 : 1.0);
}

QString ImageDriftPlot::dataPointText(QCPAbstractPlottable *plottable, int index) const
{
    if (plottable != m_bars || index < 0 || index >= m_paths.size())
        return QString();
    return tr("%1\n%2: %3")
        .arg(QFileInfo(m_paths[index]).fileName(), m_bars->name())
        .arg(m_bars->data()->at(index)->value, 0, 'g', 4);
}

} // namespace halfscope
