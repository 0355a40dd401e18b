// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/attributetablemodel.h"

namespace halfscope {

AttributeTableModel::AttributeTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AttributeTableModel::setAttributes(std::vector<AttributeInfo> attributes)
{
    beginResetModel();
    m_attributes = std::move(attributes);
    endResetModel();
}

int AttributeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_attributes.size());
}

int AttributeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttributeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const AttributeInfo &attribute = m_attributes[size_t(index.row())];
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return QVariant();
    switch (index.column()) {
    case ModuleColumn:
        return attribute.modulePath.isEmpty() ? tr("(root)") : attribute.modulePath;
    case NameColumn:
        return attribute.name;
    case KindColumn:
        return attribute.kindText();
    case TypeColumn:
        return attribute.type;
    case ValueColumn:
        return attribute.hasValue ? attribute.value : tr("(not shown for this type)");
    }
    return QVariant();
}

QVariant AttributeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case ModuleColumn:
        return tr("Module");
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    }
    return QVariant();
}

} // namespace halfscope
