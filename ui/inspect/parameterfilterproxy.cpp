// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/parameterfilterproxy.h"

#include "parametertablemodel.h"

namespace halfscope {

ParameterFilterProxy::ParameterFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ParameterTableModel::SortRole);
}

void ParameterFilterProxy::setTableModel(ParameterTableModel *model)
{
    m_table = model;
    setSourceModel(model);
    connect(model, &QAbstractItemModel::modelReset, this, &ParameterFilterProxy::shownRowsChanged);
}

void ParameterFilterProxy::setNameFilter(const QString &text)
{
    m_name = text;
    refilter();
}

void ParameterFilterProxy::setDtypeFilter(const QString &dtype)
{
    m_dtype = dtype;
    refilter();
}

void ParameterFilterProxy::setModuleFilter(const QString &modulePath)
{
    m_module = modulePath;
    refilter();
}

void ParameterFilterProxy::refilter()
{
    invalidateRowsFilter();
    Q_EMIT shownRowsChanged();
}

bool ParameterFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_table || sourceParent.isValid() || sourceRow >= int(m_table->tensors().size()))
        return false;
    const TensorInfo &tensor = m_table->tensors()[size_t(sourceRow)];
    if (!m_name.isEmpty() && !tensor.name.contains(m_name, Qt::CaseInsensitive))
        return false;
    if (!m_dtype.isEmpty() && tensor.dtype != m_dtype)
        return false;
    return isTensorInModule(tensor.name, m_module);
}

TensorCounts ParameterFilterProxy::shownTotals() const
{
    TensorCounts totals;
    if (!m_table)
        return totals;
    for (int row = 0; row < rowCount(); ++row) {
        const int sourceRow = mapToSource(index(row, 0)).row();
        totals.add(m_table->tensors()[size_t(sourceRow)], /*kindKnown=*/true);
    }
    return totals;
}

} // namespace halfscope
