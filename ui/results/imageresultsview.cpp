// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/imageresultsview.h"

#include "results/imagedetailspanel.h"
#include "results/resultsproxymodel.h"
#include "results/thumbnailcache.h"
#include "results/thumbnaildelegate.h"
#include "resultstablemodel.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace halfscope {

namespace {

constexpr int kThumbnailSide = 128;

} // namespace

ImageResultsView::ImageResultsView(QWidget *parent)
    : QWidget(parent)
    , m_thumbnails(new ThumbnailCache(kThumbnailSide, this))
    , m_model(new ResultsTableModel(this))
    , m_proxy(new ResultsProxyModel(this))
{
    m_model->setThumbnailCache(m_thumbnails);
    m_proxy->setResultsModel(m_model);

    m_grid = new QListView;
    m_grid->setObjectName(QStringLiteral("resultsGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setMovement(QListView::Static);
    m_grid->setUniformItemSizes(true);
    m_grid->setLayoutMode(QListView::Batched);
    m_grid->setSpacing(4);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setItemDelegate(new ThumbnailDelegate(kThumbnailSide, m_grid));
    m_grid->setModel(m_proxy);

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this] {
        // A click on a column header sorts by that column.
        if (m_proxy->sortMode() != ResultsProxyModel::SortMode::ByColumn && m_table->isVisible())
            m_sortCombo->setCurrentIndex(int(ResultsProxyModel::SortMode::ByColumn));
    });

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_grid);
    m_stack->addWidget(m_table);
    m_emptyLabel = new QLabel;
    m_emptyLabel->setObjectName(QStringLiteral("resultsEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setMargin(12);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_pages = new QStackedWidget;
    m_pages->addWidget(m_stack);
    m_pages->addWidget(m_emptyLabel);

    m_details = new ImageDetailsPanel(m_thumbnails->pool());
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_pages);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 420, 280 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createToolbar());
    layout->addWidget(splitter, 1);

    for (QAbstractItemView *view : { static_cast<QAbstractItemView *>(m_grid),
                                     static_cast<QAbstractItemView *>(m_table) }) {
        connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &ImageResultsView::onCurrentChanged);
    }
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ImageResultsView::updateCountLabel);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ImageResultsView::updateCountLabel);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ImageResultsView::updateCountLabel);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ImageResultsView::updateCountLabel);
    updateCountLabel();
}

QWidget *ImageResultsView::createToolbar()
{
    auto *bar = new QWidget;
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);

    m_gridButton = new QToolButton;
    m_gridButton->setText(tr("Grid"));
    m_gridButton->setCheckable(true);
    m_gridButton->setChecked(true);
    m_tableButton = new QToolButton;
    m_tableButton->setText(tr("Table"));
    m_tableButton->setCheckable(true);
    auto *group = new QButtonGroup(bar);
    group->addButton(m_gridButton);
    group->addButton(m_tableButton);
    connect(m_gridButton, &QToolButton::toggled, this,
            [this](bool grid) { setViewLayout(grid ? Layout::Grid : Layout::Table); });

    m_sortCombo = new QComboBox;
    m_sortCombo->setObjectName(QStringLiteral("resultsSort"));
    m_sortCombo->addItems(ResultsProxyModel::sortModeNames());
    m_sortCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_sortCombo->setMinimumContentsLength(12);
    connect(m_sortCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_proxy->setSortMode(ResultsProxyModel::SortMode(index));
    });

    m_filterCombo = new QComboBox;
    m_filterCombo->setObjectName(QStringLiteral("resultsFilter"));
    m_filterCombo->addItems(ResultsProxyModel::filterModeNames());
    m_filterCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_filterCombo->setMinimumContentsLength(10);
    connect(m_filterCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_proxy->setFilterMode(ResultsProxyModel::FilterMode(index));
        updateCountLabel();
    });

    m_textFilter = new QLineEdit;
    m_textFilter->setObjectName(QStringLiteral("resultsTextFilter"));
    m_textFilter->setPlaceholderText(tr("Filter by file name"));
    m_textFilter->setClearButtonEnabled(true);
    m_textFilter->setMinimumWidth(120);
    connect(m_textFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setTextFilter(text);
        updateCountLabel();
    });

    m_countLabel = new QLabel;
    layout->addWidget(m_gridButton);
    layout->addWidget(m_tableButton);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Sort:")));
    layout->addWidget(m_sortCombo);
    layout->addWidget(new QLabel(tr("Show:")));
    layout->addWidget(m_filterCombo);
    layout->addWidget(m_textFilter, 1);
    layout->addWidget(m_countLabel);
    return bar;
}

void ImageResultsView::setResult(ComparisonResult result)
{
    m_running = false;
    m_details->clear();
    m_model->setResult(std::move(result));
    m_table->resizeColumnsToContents();
    m_proxy->setSortMode(ResultsProxyModel::SortMode(m_sortCombo->currentIndex()));
    updateCountLabel();
}

void ImageResultsView::clear()
{
    setResult(ComparisonResult());
}

void ImageResultsView::showRunning()
{
    clear();
    m_running = true;
    updateEmptyState();
}

void ImageResultsView::setViewLayout(Layout layout)
{
    m_stack->setCurrentWidget(layout == Layout::Grid ? static_cast<QWidget *>(m_grid) : m_table);
    m_gridButton->setChecked(layout == Layout::Grid);
    m_tableButton->setChecked(layout == Layout::Table);
}

ImageResultsView::Layout ImageResultsView::viewLayout() const
{
    return m_stack->currentWidget() == m_grid ? Layout::Grid : Layout::Table;
}

void ImageResultsView::selectRow(int proxyRow)
{
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    QAbstractItemView *view = viewLayout() == Layout::Grid ? static_cast<QAbstractItemView *>(m_grid)
                                                       : m_table;
    view->setCurrentIndex(index);
}

void ImageResultsView::onCurrentChanged(const QModelIndex &current)
{
    const QModelIndex source = m_proxy->mapToSource(current);
    m_details->showImage(m_model->result(), source.isValid() ? source.row() : -1);
}

void ImageResultsView::updateCountLabel()
{
    const int total = m_model->rowCount();
    const int visibleCount = m_proxy->rowCount();
    m_countLabel->setText(visibleCount == total ? tr("%n image(s)", nullptr, total)
                                  : tr("%1 of %n image(s)", nullptr, total).arg(visibleCount));
    updateEmptyState();
}

void ImageResultsView::updateEmptyState()
{
    if (m_proxy->rowCount() > 0) {
        m_pages->setCurrentWidget(m_stack);
        return;
    }

    QString text;
    const QString filterText = m_textFilter->text().trimmed();
    const auto mode = ResultsProxyModel::FilterMode(m_filterCombo->currentIndex());
    const QString modeName = m_filterCombo->currentText();
    if (m_model->rowCount() == 0 && m_running) {
        text = tr("Comparing… the images appear here when the run ends or is cancelled.");
    } else if (m_model->rowCount() == 0) {
        text = tr("No results yet. Drop images or folders on the Images list, then press Run Comparison.");
    } else if (!filterText.isEmpty() && mode != ResultsProxyModel::FilterMode::All) {
        text = tr("No image among \"%1\" matches the filter \"%2\".").arg(modeName, filterText);
    } else if (!filterText.isEmpty()) {
        text = tr("No image matches the filter \"%1\".").arg(filterText);
    } else {
        text = tr("No image is in \"%1\". Choose \"%2\" to see every image.")
                   .arg(modeName, ResultsProxyModel::filterModeNames().constFirst());
    }
    m_emptyLabel->setText(text);
    m_pages->setCurrentWidget(m_emptyLabel);
}

} // namespace halfscope
