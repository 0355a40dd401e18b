// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace halfscope {

class ImageDetailsPanel;
class ResultsProxyModel;
class ResultsTableModel;
class ThumbnailCache;

/// Per-image results: a thumbnail grid or a table over one model, sort and
/// filter choices, and a details panel for the selected image.
///
/// Both views read a ResultsTableModel through one ResultsProxyModel, so
/// thousands of images cost one model, not a widget each, and only the
/// thumbnails of visible cells are decoded.
class ImageResultsView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageResultsView)

public:
    enum class Layout { Grid, Table };

    explicit ImageResultsView(QWidget *parent = nullptr);

    void setResult(ComparisonResult result);
    void clear();
    /// Clears the results and shows, in place of the grid, that a run is in
    /// progress, until the next setResult() or clear().
    void showRunning();

    void setViewLayout(Layout layout);
    Layout viewLayout() const;

    ResultsTableModel *resultsModel() const { return m_model; }
    ResultsProxyModel *proxyModel() const { return m_proxy; }
    QListView *gridView() const { return m_grid; }
    QTableView *tableView() const { return m_table; }
    ImageDetailsPanel *detailsPanel() const { return m_details; }
    ThumbnailCache *thumbnails() const { return m_thumbnails; }
    QComboBox *sortChoice() const { return m_sortCombo; }
    QComboBox *filterChoice() const { return m_filterCombo; }
    QLineEdit *textFilter() const { return m_textFilter; }
    /// Returns the label shown in place of the grid or table when no image
    /// is listed. Its text names the filter that hides every image, or
    /// explains how to get results.
    QLabel *emptyLabel() const { return m_emptyLabel; }

    /// Selects the image at this row of the sorted and filtered list.
    void selectRow(int proxyRow);

private:
    QWidget *createToolbar();
    void onCurrentChanged(const QModelIndex &current);
    void updateCountLabel();
    void updateEmptyState();

    ThumbnailCache *m_thumbnails;
    ResultsTableModel *m_model;
    ResultsProxyModel *m_proxy;
    QComboBox *m_sortCombo = nullptr;
    QComboBox *m_filterCombo = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QToolButton *m_gridButton = nullptr;
    QToolButton *m_tableButton = nullptr;
    QLabel *m_countLabel = nullptr;
    QStackedWidget *m_pages = nullptr; ///< The grid and table stack, or the empty-state label.
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    bool m_running = false; ///< A comparison is running; its results are not here yet.
    QListView *m_grid = nullptr;
    QTableView *m_table = nullptr;
    ImageDetailsPanel *m_details = nullptr;
};

} // namespace halfscope
