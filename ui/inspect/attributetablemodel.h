// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/inspection.h"

#include <QAbstractTableModel>

#include <vector>

namespace halfscope {

/// Non-tensor attributes and constants of every module, one row each.
class AttributeTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttributeTableModel)

public:
    enum Column { ModuleColumn, NameColumn, KindColumn, TypeColumn, ValueColumn, ColumnCount };

    explicit AttributeTableModel(QObject *parent = nullptr);

    void setAttributes(std::vector<AttributeInfo> attributes);
    const std::vector<AttributeInfo> &attributes() const { return m_attributes; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<AttributeInfo> m_attributes;
};

} // namespace halfscope
