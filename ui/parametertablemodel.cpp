// SPDX-License-Identifier: GPL-3.0-or-later
#include "parametertablemodel.h"

#include <QHeaderView>
#include <QLocale>
#include <QTableView>

namespace halfscope {

ParameterTableModel::ParameterTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ParameterTableModel::setTensors(std::vector<TensorInfo> tensors)
{
    beginResetModel();
    m_tensors = std::move(tensors);
    endResetModel();
}

int ParameterTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tensors.size());
}

int ParameterTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ParameterTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const TensorInfo &tensor = m_tensors[size_t(index.row())];
    const QLocale locale(QLocale::English);

    if (role == Qt::DisplayRole || role == SortRole) {
        switch (index.column()) {
        case NameColumn:
            return tensor.name;
        case KindColumn:
            return tensor.kindText();
        case ShapeColumn:
            return role == SortRole ? QVariant(qlonglong(tensor.elementCount)) : QVariant(tensor.shapeText());
        case DtypeColumn:
            return tensor.dtype;
        case ElementsColumn:
            return role == SortRole ? QVariant(qlonglong(tensor.elementCount))
                                    : QVariant(locale.toString(qlonglong(tensor.elementCount)));
        case BytesColumn:
            return role == SortRole ? QVariant(qlonglong(tensor.bytes)) : QVariant(formatBytes(tensor.bytes));
        case RequiresGradColumn:
            return role == SortRole ? QVariant(tensor.requiresGrad)
                                    : QVariant(tensor.requiresGrad ? tr("yes") : tr("no"));
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == ElementsColumn || index.column() == BytesColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        return QStringLiteral("%1\n%2 %3 on %4, %5 elements, %6 bytes%7")
            .arg(tensor.name, tensor.dtype, tensor.shapeText(), tensor.device)
            .arg(locale.toString(qlonglong(tensor.elementCount)))
            .arg(locale.toString(qlonglong(tensor.bytes)))
            .arg(tensor.requiresGrad ? QStringLiteral(", requires grad") : QString());
    }
    return QVariant();
}

QVariant ParameterTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == RequiresGradColumn)
        return tr("The tensor's requires_grad flag");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case ShapeColumn:
        return tr("Shape");
    case DtypeColumn:
        return tr("Dtype");
    case ElementsColumn:
        return tr("Elements");
    case BytesColumn:
        return tr("Bytes");
    case RequiresGradColumn:
        return tr("Grad");
    }
    return QVariant();
}

void setUpParameterColumns(QTableView *view)
{
    QHeaderView *header = view->horizontalHeader();
    // The name column takes the width that the other columns leave, so a
    // narrow panel elides names before it pushes numbers past its edge.
    header->setStretchLastSection(false);
    for (int column = 0; column < ParameterTableModel::ColumnCount; ++column) {
        header->setSectionResizeMode(column, column == ParameterTableModel::NameColumn
                                                 ? QHeaderView::Stretch
                                                 : QHeaderView::ResizeToContents);
    }
    // Wrapped at its dots, a name would show only its first part. Names of
    // one module differ in their layer index and tensor name, which come
    // last, so the start is elided.
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideLeft);
}

} // namespace halfscope
