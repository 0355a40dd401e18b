// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QAbstractTableModel>

namespace halfscope {

/// Per-image comparison results, one row per image.
///
/// Failed images keep their row, with the error in the fp32 column and in
/// the tooltip. SortRole gives numbers for the drift columns.
class ResultsTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsTableModel)

public:
    enum Column {
        ImageColumn,
        ReferenceColumn,
        ConvertedColumn,
        AgreementColumn,
        LogitDeltaColumn,
        ProbabilityDeltaColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ResultsTableModel(QObject *parent = nullptr);

    void setResult(ComparisonResult result);
    void clear();
    const ComparisonResult &result() const { return m_result; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const ImageComparison &image, int column, int role) const;

    ComparisonResult m_result;
};

} // namespace halfscope
