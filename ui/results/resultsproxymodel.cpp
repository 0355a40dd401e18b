// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/resultsproxymodel.h"

#include "resultstablemodel.h"

#include <cmath>
#include <tuple>

namespace halfscope {

namespace {

/// Drift for sorting: NaN (non-finite outputs) ranks above every number and
/// images that were not compared rank last.
double sortableDrift(const ImageComparison &image)
{
    if (!image.compared())
        return -1.0;
    return std::isnan(image.maxProbabilityDelta) ? 2.0 : double(image.maxProbabilityDelta);
}

} // namespace

ResultsProxyModel::ResultsProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ResultsTableModel::SortRole);
}

void ResultsProxyModel::setResultsModel(ResultsTableModel *model)
{
    m_results = model;
    setSourceModel(model);
}

void ResultsProxyModel::setSortMode(SortMode mode)
{
    m_sortMode = mode;
    if (mode == SortMode::FileOrder) {
        sort(-1);
        return;
    }
    if (mode != SortMode::ByColumn) {
        // Re-sorting column 0 in ascending order always re-runs lessThan().
        sort(-1);
        sort(0, Qt::AscendingOrder);
    }
}

void ResultsProxyModel::setFilterMode(FilterMode mode)
{
    m_filterMode = mode;
    invalidateFilter();
}

void ResultsProxyModel::setTextFilter(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

QStringList ResultsProxyModel::sortModeNames()
{
    return { tr("File order"), tr("Disagreements first"), tr("Largest |Δ prob| first"),
             tr("Lowest FP32 confidence first"), tr("By column") };
}

QStringList ResultsProxyModel::filterModeNames()
{
    return { tr("All images"), tr("Disagreements"), tr("Failed"), tr("Non-finite outputs") };
}

bool ResultsProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (m_sortMode == SortMode::ByColumn || m_sortMode == SortMode::FileOrder || !m_results)
        return QSortFilterProxyModel::lessThan(left, right);

    const auto &images = m_results->result().images;
    const ImageComparison &a = images[size_t(left.row())];
    const ImageComparison &b = images[size_t(right.row())];
    switch (m_sortMode) {
    case SortMode::DisagreementsFirst: {
        // Ranks: disagreement 0, non-finite 1, agreement 2, not compared 3.
        auto rank = [](const ImageComparison &image) {
            if (!image.compared())
                return 3;
            if (image.nonFinite)
                return 1;
            return image.top1Agrees ? 2 : 0;
        };
        return std::make_tuple(rank(a), -sortableDrift(a), left.row())
            < std::make_tuple(rank(b), -sortableDrift(b), right.row());
    }
    case SortMode::LargestDrift:
        return std::make_tuple(-sortableDrift(a), left.row())
            < std::make_tuple(-sortableDrift(b), right.row());
    case SortMode::LowestConfidence: {
        auto confidence = [](const ImageComparison &image) {
            return image.compared() ? double(image.reference.top1Probability()) : 2.0;
        };
        return std::make_tuple(confidence(a), left.row())
            < std::make_tuple(confidence(b), right.row());
    }
    case SortMode::FileOrder:
    case SortMode::ByColumn:
        break;
    }
    return left.row() < right.row();
}

bool ResultsProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_results || sourceParent.isValid())
        return true;
    const ImageComparison &image = m_results->result().images[size_t(sourceRow)];
    if (!m_text.isEmpty() && !image.path.contains(m_text, Qt::CaseInsensitive))
        return false;
    switch (m_filterMode) {
    case FilterMode::All:
        return true;
    case FilterMode::Disagreements:
        return image.compared() && !image.top1Agrees;
    case FilterMode::Failed:
        return !image.ok();
    case FilterMode::NonFinite:
        return image.compared() && image.nonFinite;
    }
    return true;
}

} // namespace halfscope
