// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/inspection.h"

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace halfscope {

class AttributeTableModel;

/// "Methods & attributes": every method with its schema, and every
/// non-tensor attribute and constant with its value, filtered by text.
class AttributesView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttributesView)

public:
    explicit AttributesView(QWidget *parent = nullptr);

    void setInspection(const Inspection &inspection);
    void clear();
    /// Shows attributes whose module, name, type or value contain text.
    void setFilterText(const QString &text);

    AttributeTableModel *attributeModel() const { return m_attributeModel; }
    QSortFilterProxyModel *attributeProxy() const { return m_attributeProxy; }
    QTableWidget *methodTable() const { return m_methodTable; }

private:
    QTableWidget *m_methodTable = nullptr;
    QLineEdit *m_filterField = nullptr;
    AttributeTableModel *m_attributeModel = nullptr;
    QSortFilterProxyModel *m_attributeProxy = nullptr;
    QTableView *m_attributeView = nullptr;
};

} // namespace halfscope
