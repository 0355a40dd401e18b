// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/inspection.h"

#include <QSortFilterProxyModel>

namespace halfscope {

class ParameterTableModel;

/// Filters a ParameterTableModel by name text, dtype and module, and sums
/// what it shows.
class ParameterFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParameterFilterProxy)

public:
    explicit ParameterFilterProxy(QObject *parent = nullptr);

    void setTableModel(ParameterTableModel *model);

    /// Shows names that contain text, ignoring case; empty shows all.
    void setNameFilter(const QString &text);
    /// Shows one dtype ("float16"); empty shows all.
    void setDtypeFilter(const QString &dtype);
    /// Shows the tensors inside the module at a dotted path; "" shows all.
    void setModuleFilter(const QString &modulePath);

    QString nameFilter() const { return m_name; }
    QString dtypeFilter() const { return m_dtype; }
    QString moduleFilter() const { return m_module; }

    /// Returns the counts of the tensors that pass the filters.
    TensorCounts shownTotals() const;

Q_SIGNALS:
    /// Emitted after a filter changed or the source model was reset.
    void shownRowsChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    ParameterTableModel *m_table = nullptr;
    QString m_name;
    QString m_dtype;
    QString m_module;
};

} // namespace halfscope
