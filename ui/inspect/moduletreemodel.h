// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/inspection.h"

#include <QAbstractItemModel>
#include <QHash>

#include <vector>

namespace halfscope {

/// The module tree of an inspected model: one top-level row for the root
/// module, with the submodules below it.
///
/// Counts are per subtree. For a checkpoint the Params column counts all
/// tensors, because their kind is unknown, and Buffers is empty.
class ModuleTreeModel : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModuleTreeModel)

public:
    enum Column { NameColumn, TypeColumn, ParametersColumn, BuffersColumn, ElementsColumn, BytesColumn, DtypesColumn, ColumnCount };
    /// Numbers for the numeric columns, for sorting.
    static constexpr int SortRole = Qt::UserRole + 1;
    /// The module's dotted path ("" for the root), on every column.
    static constexpr int PathRole = Qt::UserRole + 2;

    explicit ModuleTreeModel(QObject *parent = nullptr);

    /// Replaces the tree; kindKnown is false for checkpoints.
    void setTree(ModuleNode root, bool kindKnown);
    void clear();
    const ModuleNode &root() const { return m_root; }

    /// Returns the index of the module at a dotted path in column 0, or an
    /// invalid index when there is none.
    QModelIndex indexOfPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    /// A node with its place in the tree, so that parent() needs no search.
    struct Item
    {
        const ModuleNode *node = nullptr;
        int parent = -1; ///< Index into m_items; -1 for the root.
        int row = 0;     ///< Row under the parent.
    };

    void addItems(const ModuleNode &node, int parent, int row);
    const Item *itemOf(const QModelIndex &index) const;
    QVariant displayData(const ModuleNode &node, int column) const;
    QVariant sortData(const ModuleNode &node, int column) const;

    ModuleNode m_root;
    bool m_hasTree = false;
    bool m_kindKnown = true;
    std::vector<Item> m_items;
    QHash<const ModuleNode *, int> m_itemOfNode;
};

} // namespace halfscope
