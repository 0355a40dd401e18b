// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpointtreemodel.h"

#include "model/tensorinfo.h"

#include <QBrush>
#include <QColor>

namespace halfscope {

CheckpointTreeModel::CheckpointTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void CheckpointTreeModel::setTree(CheckpointTreeNode root)
{
    beginResetModel();
    m_top = CheckpointTreeNode();
    m_top.children.push_back(std::move(root));
    m_locations.clear();
    indexLocations(m_top);
    endResetModel();
}

void CheckpointTreeModel::clear()
{
    beginResetModel();
    m_top = CheckpointTreeNode();
    m_locations.clear();
    endResetModel();
}

void CheckpointTreeModel::indexLocations(const CheckpointTreeNode &node)
{
    for (size_t row = 0; row < node.children.size(); ++row) {
        m_locations.insert(&node.children[row], Location { &node, int(row) });
        indexLocations(node.children[row]);
    }
}

const CheckpointTreeNode *CheckpointTreeModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const CheckpointTreeNode *>(index.internalPointer()) : &m_top;
}

QModelIndex CheckpointTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return QModelIndex();
    const CheckpointTreeNode *node = nodeAt(parent);
    return createIndex(row, column, const_cast<CheckpointTreeNode *>(&node->children[size_t(row)]));
}

QModelIndex CheckpointTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return QModelIndex();
    const Location location = m_locations.value(nodeAt(child));
    if (!location.parent || location.parent == &m_top)
        return QModelIndex();
    const Location parentLocation = m_locations.value(location.parent);
    return createIndex(parentLocation.row, 0, const_cast<CheckpointTreeNode *>(location.parent));
}

int CheckpointTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeAt(parent)->children.size());
}

int CheckpointTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant CheckpointTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const CheckpointTreeNode &node = *nodeAt(index);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case KeyColumn:
            return node.key;
        case TypeColumn:
            return node.placeholder ? tr("%1 (not rebuilt)").arg(node.type) : node.type;
        case ValueColumn:
            return node.value;
        case SizeColumn:
            if (node.tensorCount == 0)
                return QVariant();
            return node.dtype.isEmpty() ? tr("%n tensor(s), %1", nullptr, node.tensorCount).arg(formatBytes(node.bytes))
                                        : formatBytes(node.bytes);
        }
    }
    if (role == Qt::ToolTipRole && node.placeholder) {
        return tr("HalfScope does not rebuild objects of class %1; it shows the values they "
                  "were pickled with and never runs their code.")
            .arg(node.type);
    }
    if (role == Qt::ForegroundRole && node.placeholder && index.column() == TypeColumn)
        return QBrush(QColor(0x80, 0x50, 0x00));
    return QVariant();
}

QVariant CheckpointTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    case SizeColumn:
        return tr("Size");
    }
    return QVariant();
}

} // namespace halfscope
