// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpointtree.h"

#include <QAbstractItemModel>
#include <QHash>

namespace halfscope {

/// A checkpoint's nested structure as a read-only tree: key, type, value,
/// tensor dtype and size.
class CheckpointTreeModel : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckpointTreeModel)

public:
    enum Column { KeyColumn, TypeColumn, ValueColumn, SizeColumn, ColumnCount };

    explicit CheckpointTreeModel(QObject *parent = nullptr);

    void setTree(CheckpointTreeNode root);
    void clear();

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Location
    {
        const CheckpointTreeNode *parent = nullptr;
        int row = 0;
    };

    const CheckpointTreeNode *nodeAt(const QModelIndex &index) const;
    void indexLocations(const CheckpointTreeNode &node);

    /// Holds the root node as the only child, so the file itself is a row.
    CheckpointTreeNode m_top;
    QHash<const CheckpointTreeNode *, Location> m_locations;
};

} // namespace halfscope
