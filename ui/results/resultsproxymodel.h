// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace halfscope {

class ResultsTableModel;

/// Sorts and filters a ResultsTableModel for the grid and the table.
///
/// The sort modes order whole images (disagreements first, largest drift
/// first, ...); ByColumn sorts by the clicked column's numbers. Filters keep
/// the images of one kind whose file path contains the text filter.
class ResultsProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsProxyModel)

public:
    enum class SortMode {
        FileOrder,          ///< The order in which images were added.
        DisagreementsFirst, ///< Disagreements, then non-finite, then by drift.
        LargestDrift,       ///< Largest probability drift first.
        LowestConfidence,   ///< Lowest fp32 top-1 probability first.
        ByColumn,           ///< By the column passed to sort().
    };
    enum class FilterMode { All, Disagreements, Failed, NonFinite };

    explicit ResultsProxyModel(QObject *parent = nullptr);

    void setResultsModel(ResultsTableModel *model);
    void setSortMode(SortMode mode);
    SortMode sortMode() const { return m_sortMode; }
    void setFilterMode(FilterMode mode);
    void setTextFilter(const QString &text);

    /// Returns the names shown in the sort and filter choices, in enum order.
    static QStringList sortModeNames();
    static QStringList filterModeNames();

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    ResultsTableModel *m_results = nullptr;
    SortMode m_sortMode = SortMode::FileOrder;
    FilterMode m_filterMode = FilterMode::All;
    QString m_text;
};

} // namespace halfscope
