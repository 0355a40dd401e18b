// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tensorinfo.h"

#include <QAbstractTableModel>

#include <vector>

class QTableView;

namespace halfscope {

/// Parameters and buffers of a model, one row per tensor.
///
/// Qt::DisplayRole gives formatted text; SortRole gives numbers for the
/// numeric columns so that a QSortFilterProxyModel sorts them numerically.
class ParameterTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParameterTableModel)

public:
    enum Column {
        NameColumn,
        KindColumn,
        ShapeColumn,
        DtypeColumn,
        ElementsColumn,
        BytesColumn,
        RequiresGradColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ParameterTableModel(QObject *parent = nullptr);

    void setTensors(std::vector<TensorInfo> tensors);
    const std::vector<TensorInfo> &tensors() const { return m_tensors; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<TensorInfo> m_tensors;
};

/// Sets up the columns of a view that shows a ParameterTableModel. Every
/// column but the name keeps the width of its contents, so numbers are never
/// cut. Long names are elided in the middle, and the tooltip shows the whole
/// name. The user can still resize the name column.
void setUpParameterColumns(QTableView *view);

} // namespace halfscope
