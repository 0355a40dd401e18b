// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/moduletreemodel.h"

#include <QLocale>

namespace halfscope {

ModuleTreeModel::ModuleTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void ModuleTreeModel::setTree(ModuleNode root, bool kindKnown)
{
    beginResetModel();
    m_root = std::move(root);
    m_kindKnown = kindKnown;
    m_hasTree = true;
    m_items.clear();
    m_itemOfNode.clear();
    addItems(m_root, -1, 0);
    endResetModel();
}

void ModuleTreeModel::clear()
{
    beginResetModel();
    m_root = ModuleNode();
    m_hasTree = false;
    m_items.clear();
    m_itemOfNode.clear();
    endResetModel();
}

void ModuleTreeModel::addItems(const ModuleNode &node, int parent, int row)
{
    const int item = int(m_items.size());
    m_items.push_back(Item { &node, parent, row });
    m_itemOfNode.insert(&node, item);
    for (size_t i = 0; i < node.children.size(); ++i)
        addItems(node.children[i], item, int(i));
}

QModelIndex ModuleTreeModel::indexOfPath(const QString &path) const
{
    const ModuleNode *node = m_hasTree ? findModule(m_root, path) : nullptr;
    if (!node)
        return QModelIndex();
    const Item &item = m_items[size_t(m_itemOfNode.value(node))];
    return createIndex(item.row, 0, quintptr(m_itemOfNode.value(node)));
}

const ModuleTreeModel::Item *ModuleTreeModel::itemOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() >= m_items.size())
        return nullptr;
    return &m_items[size_t(index.internalId())];
}

QModelIndex ModuleTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return QModelIndex();
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    const ModuleNode &child = itemOf(parent)->node->children[size_t(row)];
    return createIndex(row, column, quintptr(m_itemOfNode.value(&child)));
}

QModelIndex ModuleTreeModel::parent(const QModelIndex &child) const
{
    const Item *item = itemOf(child);
    if (!item || item->parent < 0)
        return QModelIndex();
    return createIndex(m_items[size_t(item->parent)].row, 0, quintptr(item->parent));
}

int ModuleTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_hasTree ? 1 : 0;
    if (parent.column() != 0)
        return 0;
    const Item *item = itemOf(parent);
    return item ? int(item->node->children.size()) : 0;
}

int ModuleTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ModuleTreeModel::displayData(const ModuleNode &node, int column) const
{
    const QLocale locale(QLocale::English);
    switch (column) {
    case NameColumn:
        return node.path.isEmpty() ? tr("(root)") : node.name;
    case TypeColumn:
        return node.className();
    case ParametersColumn:
        return m_kindKnown ? node.subtree.parameters : node.subtree.tensors;
    case BuffersColumn:
        return m_kindKnown ? QVariant(node.subtree.buffers) : QVariant();
    case ElementsColumn:
        return locale.toString(qlonglong(node.subtree.elements));
    case BytesColumn:
        return formatBytes(node.subtree.bytes);
    case DtypesColumn:
        return describeDtypeMix(node.dtypes);
    }
    return QVariant();
}

QVariant ModuleTreeModel::sortData(const ModuleNode &node, int column) const
{
    switch (column) {
    case ElementsColumn:
        return qlonglong(node.subtree.elements);
    case BytesColumn:
        return qlonglong(node.subtree.bytes);
    default:
        return displayData(node, column);
    }
}

QVariant ModuleTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const ModuleNode &node = *itemOf(index)->node;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, index.column());
    case SortRole:
        return sortData(node, index.column());
    case PathRole:
        return node.path;
    case Qt::TextAlignmentRole:
        if (index.column() >= ParametersColumn && index.column() <= BytesColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case Qt::ToolTipRole:
        return tr("%1\n%2\nOwn tensors: %3, in the subtree: %4 (%5)")
            .arg(node.path.isEmpty() ? tr("(root)") : node.path,
                 node.typeName.isEmpty() ? tr("no type (checkpoint)") : node.typeName)
            .arg(node.own.tensors)
            .arg(node.subtree.tensors)
            .arg(formatBytes(node.subtree.bytes));
    }
    return QVariant();
}

QVariant ModuleTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn:
        return tr("Module");
    case TypeColumn:
        return tr("Type");
    case ParametersColumn:
        return m_kindKnown ? tr("Params") : tr("Tensors");
    case BuffersColumn:
        return tr("Buffers");
    case ElementsColumn:
        return tr("Elements");
    case BytesColumn:
        return tr("Size");
    case DtypesColumn:
        return tr("Dtypes (by bytes)");
    }
    return QVariant();
}

} // namespace halfscope
