// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "graph/dataflowgraph.h"
#include "graph/graphlayout.h"
#include "graph/visiblegraph.h"
#include "model/model.h"

#include <QFutureWatcher>
#include <QHash>
#include <QSet>
#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <memory>

class QGraphicsItem;
class QGraphicsScene;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTextBrowser;
class QToolButton;

namespace halfscope {

class GraphClusterItem;
class GraphNodeItem;
class GraphView;

/// The model's forward graph as boxes and arrows, laid out by Graphviz dot.
///
/// Modules start collapsed below the top level; double-clicking a module
/// box expands it, and the frame of an expanded module collapses it again
/// (double-click its header, or use the context menu). Extraction and
/// layout run on a private worker thread; the view stays usable meanwhile
/// and shows a busy bar. Layouts are cached per set of expanded modules.
class GraphWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphWidget)

public:
    explicit GraphWidget(QWidget *parent = nullptr);
    /// Stops a running dot process and waits for the worker thread.
    ~GraphWidget() override;

    /// Extracts the forward graph of model in the background and shows it;
    /// a null model clears the view. Keeps the expanded modules that the new
    /// graph also has, so a converted copy opens in the same state.
    void setModel(const Model &model);
    /// Shows graph with only the top-level modules' boxes visible.
    void setGraph(const DataflowGraph &graph);
    const DataflowGraph &graph() const { return m_graph; }

    /// Sets the options for running dot, for example another executable.
    void setLayoutOptions(const LayoutOptions &options);

    bool isBusy() const;
    /// Returns the last failure message, or an empty string.
    QString lastError() const { return m_lastError; }

    QSet<QString> expandedModules() const { return m_expanded; }
    void expandModule(const QString &path);
    void collapseModule(const QString &path);
    void setExpandedModules(const QSet<QString> &paths);

    /// Returns the boxes and edges currently drawn (after the last layout).
    const VisibleGraph &visibleGraph() const { return m_visible; }
    const GraphLayout &currentLayout() const { return m_layout; }
    /// Returns the text shown in the details panel.
    QString detailsText() const;

    /// Highlights the boxes whose operator, label, module path or output
    /// dtype contains text (case-insensitive) and centres the first one at a
    /// readable scale. Returns the number of highlighted boxes.
    int search(const QString &text);
    /// Centres the next search match at a readable scale and shows its details.
    void showNextMatch();
    /// Returns the position of the shown match in the search results
    /// (0-based), or -1 when no match is shown.
    int currentMatch() const { return m_currentMatch; }
    /// Returns the visible box indices that the last search highlighted.
    const std::vector<int> &matches() const { return m_matches; }
    /// Returns the scene rectangle of a box (index into visibleGraph().nodes),
    /// or an empty rectangle when there is no such box.
    QRectF boxSceneRect(int box) const;
    /// Returns the view that draws the graph.
    GraphView *view() const { return m_view; }
    /// Shows the details of a box (index into visibleGraph().nodes).
    void selectBox(int box);

    /// Writes the drawn graph as SVG or PNG, atomically. Throws Error naming
    /// the file when it cannot be written or the graph is empty.
    void exportSvg(const QString &path) const;
    void exportPng(const QString &path) const;

public Q_SLOTS:
    /// Selects and centres a module: its box when collapsed, its frame when
    /// expanded. Expands the enclosing modules first when they are collapsed.
    void highlightModule(const QString &dottedPath);
    void zoomIn();
    void zoomOut();
    /// Shows the whole graph, or on a graph too large to read that way the
    /// selected box (else the graph's inputs) at a readable scale.
    void fitToView();

Q_SIGNALS:
    /// Emitted when a new layout is drawn.
    void layoutFinished();
    void busyChanged(bool busy);
    /// Emitted when extraction or layout fails; message is a user sentence.
    void failed(const QString &message);

private:
    struct LayoutResult
    {
        QString key;
        VisibleGraph visible;
        GraphLayout layout;
        int generation = 0;
    };

    void createToolBar();
    void startLayout();
    void onGraphExtracted();
    void onLayoutFinished();
    void showLayout(const VisibleGraph &visible, const GraphLayout &layout);
    void measureBoxes(VisibleGraph &visible) const;
    QString boxDtype(const VisibleNode &box) const;
    int clusterDepth(int cluster) const;
    void onItemClicked(QGraphicsItem *item);
    void onItemDoubleClicked(QGraphicsItem *item);
    void onContextMenu(QGraphicsItem *item, const QPoint &globalPosition);
    void applyPendingHighlight();
    void clearHighlights();
    QRectF inputsSceneRect() const;
    void showDetails(int box);
    void showClusterDetails(int cluster);
    void chooseSvgFile();
    void choosePngFile();
    void updateBusyState();
    void reportFailure(const QString &message);

    GraphView *m_view = nullptr;
    QGraphicsScene *m_scene = nullptr;
    QTextBrowser *m_details = nullptr;
    QLineEdit *m_searchField = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_busyBar = nullptr;

    DataflowGraph m_graph;
    QSet<QString> m_expanded;
    VisibleGraph m_visible;
    GraphLayout m_layout;
    QHash<QString, LayoutResult> m_layoutCache;
    std::vector<GraphNodeItem *> m_nodeItems;
    std::vector<GraphClusterItem *> m_clusterItems;
    std::vector<int> m_matches;
    int m_currentMatch = -1;
    QString m_matchText;
    int m_selectedBox = -1;
    QString m_pendingHighlight;
    int m_generation = 0;
    bool m_busy = false;
    /// Set when a job starts and cleared when its result has been handled;
    /// QFutureWatcher::isRunning() turns false before that.
    bool m_extracting = false;
    bool m_layingOut = false;
    QString m_lastError;
    LayoutOptions m_options;

    QThreadPool m_pool;
    std::shared_ptr<std::atomic_bool> m_cancelRequested;
    QFutureWatcher<std::pair<DataflowGraph, Failure>> m_extractWatcher;
    QFutureWatcher<std::pair<LayoutResult, Failure>> m_layoutWatcher;
};

} // namespace halfscope
