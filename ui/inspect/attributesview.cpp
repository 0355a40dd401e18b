// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/attributesview.h"

#include "inspect/attributetablemodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace halfscope {

namespace {

QTableWidgetItem *readOnlyItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(text);
    return item;
}

} // namespace

AttributesView::AttributesView(QWidget *parent)
    : QWidget(parent)
{
    m_methodTable = new QTableWidget(0, 3);
    m_methodTable->setObjectName(QStringLiteral("methodTable"));
    m_methodTable->setHorizontalHeaderLabels({ tr("Modules"), tr("Method"), tr("Schema") });
    m_methodTable->horizontalHeader()->setStretchLastSection(true);
    m_methodTable->verticalHeader()->hide();
    m_methodTable->setSelectionBehavior(QAbstractItemView::SelectRows);

    m_filterField = new QLineEdit;
    m_filterField->setObjectName(QStringLiteral("attributeFilter"));
    m_filterField->setPlaceholderText(tr("Filter attributes by module, name, type or value"));
    m_filterField->setClearButtonEnabled(true);

    m_attributeModel = new AttributeTableModel(this);
    m_attributeProxy = new QSortFilterProxyModel(this);
    m_attributeProxy->setSourceModel(m_attributeModel);
    m_attributeProxy->setFilterKeyColumn(-1);
    m_attributeProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_attributeView = new QTableView;
    m_attributeView->setObjectName(QStringLiteral("attributeTable"));
    m_attributeView->setModel(m_attributeProxy);
    m_attributeView->setSortingEnabled(true);
    m_attributeView->sortByColumn(-1, Qt::AscendingOrder);
    m_attributeView->horizontalHeader()->setStretchLastSection(true);
    m_attributeView->verticalHeader()->hide();
    m_attributeView->setAlternatingRowColors(true);
    connect(m_filterField, &QLineEdit::textChanged, this, &AttributesView::setFilterText);

    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_filterField);
    bottomLayout->addWidget(m_attributeView, 1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_methodTable);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void AttributesView::setInspection(const Inspection &inspection)
{
    m_methodTable->setRowCount(int(inspection.methods.size()));
    for (int row = 0; row < int(inspection.methods.size()); ++row) {
        const MethodInfo &method = inspection.methods[size_t(row)];
        QStringList modules;
        for (const QString &path : method.modulePaths)
            modules << (path.isEmpty() ? tr("(root)") : path);
        m_methodTable->setItem(row, 0, readOnlyItem(modules.join(QLatin1String(", "))));
        m_methodTable->setItem(row, 1, readOnlyItem(method.name));
        m_methodTable->setItem(row, 2, readOnlyItem(method.schema));
    }
    m_methodTable->resizeColumnToContents(0);
    m_methodTable->resizeColumnToContents(1);
    m_methodTable->setColumnWidth(0, std::min(m_methodTable->columnWidth(0), 220));

    m_attributeModel->setAttributes(inspection.attributes);
    m_attributeView->resizeColumnsToContents();
}

void AttributesView::clear()
{
    setInspection(Inspection());
}

void AttributesView::setFilterText(const QString &text)
{
    if (m_filterField->text() != text)
        m_filterField->setText(text);
    m_attributeProxy->setFilterFixedString(text);
}

} // namespace halfscope
