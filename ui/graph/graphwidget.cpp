// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph/graphwidget.h"

#include "common/logging.h"
#include "graph/graphextractor.h"
#include "graph/graphitems.h"
#include "report/atomicfile.h"

#include <QBuffer>
#include <QFileDialog>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>

namespace halfscope {

namespace {

constexpr double kBoxPadding = 10.0;
constexpr double kModuleBoxExtra = 8.0;
constexpr double kSubtitleScale = 0.85;
constexpr int kMaxCachedLayouts = 16;
constexpr double kPngScale = 2.0;
constexpr double kPngMaxSide = 16000.0;
constexpr double kPngMaxPixels = 1e8;

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString valueRows(const std::vector<GraphValue> &values)
{
    QString rows;
    for (const GraphValue &value : values) {
        QString dtype = value.dtype;
        if (value.dtypeInferred)
            dtype += QObject::tr(" (inferred)");
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                    .arg(escaped(value.name), escaped(value.type), escaped(dtype), escaped(value.shape));
    }
    return rows;
}

QString valueTable(const QString &heading, const std::vector<GraphValue> &values)
{
    if (values.empty())
        return QString();
    return QStringLiteral("<h4>%1</h4><table border=\"0\" cellspacing=\"4\">"
                          "<tr><th align=\"left\">name</th><th align=\"left\">type</th>"
                          "<th align=\"left\">dtype</th><th align=\"left\">shape</th></tr>%2</table>")
        .arg(heading, valueRows(values));
}

bool containsText(const GraphNode &node, const QString &text)
{
    return node.label.contains(text, Qt::CaseInsensitive) || node.kind.contains(text, Qt::CaseInsensitive)
        || node.modulePath.contains(text, Qt::CaseInsensitive)
        || node.outputDtype().contains(text, Qt::CaseInsensitive);
}

std::pair<DataflowGraph, Failure> extractInWorker(const Model &model)
{
    try {
        return { extractDataflowGraph(model), Failure() };
    } catch (const Error &error) {
        return { DataflowGraph(), Failure { error.message(), error.detail() } };
    } catch (const std::exception &error) {
        return { DataflowGraph(), Failure { QObject::tr("Cannot read the forward graph of %1: %2.")
                                                .arg(model.fileName(), firstLineOf(error.what())),
                                            QString() } };
    }
}

} // namespace

GraphWidget::GraphWidget(QWidget *parent)
    : QWidget(parent)
    , m_cancelRequested(std::make_shared<std::atomic_bool>(false))
{
    m_pool.setMaxThreadCount(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    createToolBar();

    m_scene = new QGraphicsScene(this);
    m_view = new GraphView;
    m_view->setObjectName(QStringLiteral("graphView"));
    m_view->setScene(m_scene);
    m_details = new QTextBrowser;
    m_details->setObjectName(QStringLiteral("graphDetails"));
    m_details->setPlaceholderText(tr("Click a box to see its operator, inputs and outputs."));
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    // QGraphicsView's size hint follows its scene, which is empty here, so
    // without initial sizes the view would get a narrow strip.
    splitter->setSizes({ 750, 250 });
    layout->addWidget(splitter, 1);

    connect(m_view, &GraphView::fitRequested, this, &GraphWidget::fitToView);
    connect(m_view, &GraphView::itemClicked, this, &GraphWidget::onItemClicked);
    connect(m_view, &GraphView::itemDoubleClicked, this, &GraphWidget::onItemDoubleClicked);
    connect(m_view, &GraphView::itemContextMenuRequested, this, &GraphWidget::onContextMenu);
    connect(&m_extractWatcher, &QFutureWatcherBase::finished, this, &GraphWidget::onGraphExtracted);
    connect(&m_layoutWatcher, &QFutureWatcherBase::finished, this, &GraphWidget::onLayoutFinished);
}

GraphWidget::~GraphWidget()
{
    m_cancelRequested->store(true);
    m_pool.waitForDone();
}

void GraphWidget::createToolBar()
{
    auto *bar = new QHBoxLayout;
    m_searchField = new QLineEdit;
    m_searchField->setObjectName(QStringLiteral("graphSearch"));
    m_searchField->setPlaceholderText(tr("Find by name, operator or dtype"));
    m_searchField->setClearButtonEnabled(true);
    m_searchField->setMinimumWidth(160);
    connect(m_searchField, &QLineEdit::returnPressed, this, [this] {
        if (m_matches.empty() || m_currentMatch < 0)
            search(m_searchField->text());
        else
            showNextMatch();
    });
    connect(m_searchField, &QLineEdit::textChanged, this, [this] {
        m_matches.clear();
        m_currentMatch = -1;
    });
    bar->addWidget(m_searchField, 1);

    auto addButton = [this, bar](const QString &text, const QString &tip, auto slot) {
        auto *button = new QToolButton;
        button->setText(text);
        button->setToolTip(tip);
        connect(button, &QToolButton::clicked, this, slot);
        bar->addWidget(button);
        return button;
    };
    addButton(QStringLiteral("+"), tr("Zoom in (+ or the mouse wheel)"), &GraphWidget::zoomIn);
    addButton(QStringLiteral("\u2212"), tr("Zoom out (-)"), &GraphWidget::zoomOut);
    addButton(tr("Fit"), tr("Show the whole graph (0)"), &GraphWidget::fitToView);
    addButton(tr("Collapse All"), tr("Show only the top-level modules"),
              [this] { setExpandedModules({}); });
    addButton(tr("SVG\u2026"), tr("Export the graph as SVG"), &GraphWidget::chooseSvgFile);
    addButton(tr("PNG\u2026"), tr("Export the graph as PNG"), &GraphWidget::choosePngFile);

    static_cast<QVBoxLayout *>(layout())->addLayout(bar);

    auto *statusRow = new QHBoxLayout;
    m_busyBar = new QProgressBar;
    m_busyBar->setRange(0, 0);
    m_busyBar->setMaximumWidth(80);
    m_busyBar->setVisible(false);
    statusRow->addWidget(m_busyBar);
    m_statusLabel = new QLabel(tr("No model loaded."));
    m_statusLabel->setObjectName(QStringLiteral("graphStatus"));
    statusRow->addWidget(m_statusLabel, 1);
    static_cast<QVBoxLayout *>(layout())->addLayout(statusRow);
}

bool GraphWidget::isBusy() const
{
    return m_extracting || m_layingOut;
}

void GraphWidget::updateBusyState()
{
    const bool busy = isBusy();
    m_busyBar->setVisible(busy);
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void GraphWidget::reportFailure(const QString &message)
{
    m_lastError = message;
    m_statusLabel->setText(tr("Failed."));
    m_statusLabel->setToolTip(message);
    m_details->setPlainText(message);
    Q_EMIT failed(message);
}

void GraphWidget::setModel(const Model &model)
{
    ++m_generation;
    if (model.isNull()) {
        setGraph(DataflowGraph());
        return;
    }
    m_statusLabel->setText(tr("Reading the graph of %1\u2026").arg(model.fileName()));
    m_extracting = true;
    m_extractWatcher.setFuture(QtConcurrent::run(&m_pool, extractInWorker, model));
    updateBusyState();
}

void GraphWidget::onGraphExtracted()
{
    m_extracting = false;
    const auto [graph, failure] = m_extractWatcher.result();
    if (!failure.isNull()) {
        qCWarning(lcUi) << "graph extraction failed:" << failure.message << failure.detail;
        reportFailure(failure.message);
        updateBusyState();
        return;
    }

    // Keep the expanded modules that the new graph also has.
    QSet<QString> kept;
    for (const QString &path : std::as_const(m_expanded)) {
        if (graph.moduleIndex(path) >= 0)
            kept.insert(path);
    }
    setGraph(graph);
    if (!kept.isEmpty())
        setExpandedModules(kept);
    updateBusyState();
}

void GraphWidget::setGraph(const DataflowGraph &graph)
{
    // A search of the previous graph would highlight unrelated boxes in this one.
    m_searchField->clear();
    m_graph = graph;
    m_expanded.clear();
    m_layoutCache.clear();
    m_matches.clear();
    m_currentMatch = -1;
    m_lastError.clear();
    m_details->clear();
    if (m_graph.isEmpty()) {
        ++m_generation;
        m_cancelRequested->store(true);
        m_scene->clear();
        m_nodeItems.clear();
        m_clusterItems.clear();
        m_visible = VisibleGraph();
        m_layout = GraphLayout();
        m_statusLabel->setText(tr("No model loaded."));
        return;
    }
    startLayout();
}

void GraphWidget::setLayoutOptions(const LayoutOptions &options)
{
    m_options = options;
    m_layoutCache.clear();
}

void GraphWidget::expandModule(const QString &path)
{
    // The details then describe the module's frame, not the box that was clicked.
    m_pendingHighlight = path;
    QSet<QString> expanded = m_expanded;
    for (const QString &ancestor : DataflowGraph::ancestorPaths(path))
        expanded.insert(ancestor);
    setExpandedModules(expanded);
}

void GraphWidget::collapseModule(const QString &path)
{
    m_pendingHighlight = path;
    QSet<QString> expanded;
    const QString prefix = path + QLatin1Char('.');
    for (const QString &other : std::as_const(m_expanded)) {
        if (other != path && !other.startsWith(prefix))
            expanded.insert(other);
    }
    setExpandedModules(expanded);
}

void GraphWidget::setExpandedModules(const QSet<QString> &paths)
{
    m_expanded = paths;
    m_expanded.remove(QString());
    if (!m_graph.isEmpty())
        startLayout();
}

void GraphWidget::startLayout()
{
    const int generation = ++m_generation;
    const QString key = expansionKey(m_expanded);
    const auto cached = m_layoutCache.constFind(key);
    if (cached != m_layoutCache.constEnd()) {
        m_cancelRequested->store(true); // A running layout is stale now.
        showLayout(cached->visible, cached->layout);
        return;
    }

    // Building the visible graph and measuring its labels is linear in the
    // node count and needs the GUI font; dot runs in the worker.
    VisibleGraph visible = buildVisibleGraph(m_graph, m_expanded);
    measureBoxes(visible);
    m_cancelRequested->store(true);
    m_cancelRequested = std::make_shared<std::atomic_bool>(false);
    LayoutOptions options = m_options;
    auto cancel = m_cancelRequested;
    m_statusLabel->setText(tr("Laying out %1 boxes\u2026").arg(visible.nodes.size()));
    m_layoutWatcher.setFuture(QtConcurrent::run(&m_pool, [visible = std::move(visible), options, cancel,
                                                           key, generation]() mutable {
        LayoutOptions runOptions = options;
        runOptions.cancelRequested = cancel.get();
        LayoutResult result;
        result.key = key;
        result.generation = generation;
        try {
            result.layout = layoutGraph(visible, runOptions);
        } catch (const Error &error) {
            return std::make_pair(std::move(result), Failure { error.message(), error.detail() });
        }
        result.visible = std::move(visible);
        return std::make_pair(std::move(result), Failure());
    }));
    m_layingOut = true;
    updateBusyState();
}

void GraphWidget::onLayoutFinished()
{
    m_layingOut = false;
    auto [result, failure] = m_layoutWatcher.result();
    if (result.generation != m_generation) {
        updateBusyState();
        return; // A newer layout or graph replaced this one.
    }
    if (!failure.isNull()) {
        qCWarning(lcUi) << "graph layout failed:" << failure.message;
        reportFailure(failure.message);
        updateBusyState();
        return;
    }
    if (m_layoutCache.size() >= kMaxCachedLayouts)
        m_layoutCache.clear();
    m_layoutCache.insert(result.key, result);
    showLayout(result.visible, result.layout);
    updateBusyState();
}

void GraphWidget::measureBoxes(VisibleGraph &visible) const
{
    QFont titleFont = m_view->font();
    QFont boldFont = titleFont;
    boldFont.setBold(true);
    QFont subtitleFont = titleFont;
    subtitleFont.setPointSizeF(titleFont.pointSizeF() * kSubtitleScale);
    const QFontMetricsF plain(titleFont);
    const QFontMetricsF bold(boldFont);
    const QFontMetricsF small(subtitleFont);

    for (VisibleNode &box : visible.nodes) {
        const bool isOperator = box.node >= 0
            && m_graph.nodes[size_t(box.node)].role == GraphNode::Role::Operator;
        const QFontMetricsF &titleMetrics = isOperator ? plain : bold;
        double width = titleMetrics.horizontalAdvance(box.title);
        double height = titleMetrics.height();
        if (!box.subtitle.isEmpty()) {
            width = std::max(width, small.horizontalAdvance(box.subtitle));
            height += titleMetrics.height();
        }
        const double extra = box.module >= 0 ? kModuleBoxExtra : 0.0;
        box.width = std::ceil(width + 2 * kBoxPadding + extra);
        box.height = std::ceil(height + kBoxPadding + extra);
    }
}

QString GraphWidget::boxDtype(const VisibleNode &box) const
{
    if (box.node >= 0) {
        const GraphNode &node = m_graph.nodes[size_t(box.node)];
        if (node.role == GraphNode::Role::Output && !node.inputs.empty())
            return node.inputs.front().dtype;
        return node.outputDtype();
    }
    // A collapsed module: the one dtype its operators produce, or "mixed".
    QSet<QString> dtypes;
    const QString prefix = m_graph.modules[size_t(box.module)].path + QLatin1Char('.');
    const QString &path = m_graph.modules[size_t(box.module)].path;
    for (const GraphNode &node : m_graph.nodes) {
        if (node.modulePath != path && !node.modulePath.startsWith(prefix))
            continue;
        const QString dtype = node.outputDtype();
        if (dtype.startsWith(QLatin1String("float")) || dtype == QLatin1String("bfloat16"))
            dtypes.insert(dtype);
    }
    if (dtypes.size() == 1)
        return *dtypes.begin();
    return dtypes.isEmpty() ? QString() : QStringLiteral("mixed");
}

int GraphWidget::clusterDepth(int cluster) const
{
    int depth = 0;
    for (int parent = m_visible.clusters[size_t(cluster)].parent; parent >= 0;
         parent = m_visible.clusters[size_t(parent)].parent) {
        ++depth;
    }
    return depth;
}

void GraphWidget::showLayout(const VisibleGraph &visible, const GraphLayout &layout)
{
    m_visible = visible;
    m_layout = layout;
    m_scene->clear();
    m_nodeItems.clear();
    m_clusterItems.clear();
    m_matches.clear();
    m_currentMatch = -1;
    m_selectedBox = -1;

    for (size_t i = 0; i < visible.clusters.size(); ++i) {
        auto *item = new GraphClusterItem(int(i), layout.clusters[i], visible.clusters[i].label,
                                          clusterDepth(int(i)));
        m_scene->addItem(item);
        m_clusterItems.push_back(item);
    }
    for (size_t i = 0; i < visible.nodes.size(); ++i) {
        const VisibleNode &box = visible.nodes[i];
        GraphNodeItem::Kind kind = GraphNodeItem::Kind::CollapsedModule;
        if (box.node >= 0) {
            kind = m_graph.nodes[size_t(box.node)].role == GraphNode::Role::Operator
                ? GraphNodeItem::Kind::Operator
                : GraphNodeItem::Kind::Terminal;
        }
        auto *item = new GraphNodeItem(int(i), kind, layout.nodes[i], box.title, box.subtitle, boxDtype(box));
        m_scene->addItem(item);
        m_nodeItems.push_back(item);
    }
    for (const EdgeRoute &route : layout.edges)
        m_scene->addItem(new GraphEdgeItem(route));
    m_scene->setSceneRect(layout.bounds.adjusted(-20, -20, 20, 20));

    m_statusLabel->setText(tr("%1 boxes, %2 edges, layout %3 s")
                               .arg(visible.nodes.size())
                               .arg(visible.edges.size())
                               .arg(layout.seconds, 0, 'f', 2));
    m_statusLabel->setToolTip(QString());
    m_view->fitAll(inputsSceneRect());
    applyPendingHighlight();
    if (!m_searchField->text().isEmpty())
        search(m_searchField->text());
    Q_EMIT layoutFinished();
}

void GraphWidget::clearHighlights()
{
    for (GraphNodeItem *item : m_nodeItems) {
        item->setMatched(false);
        item->setSelectedBox(false);
    }
    for (GraphClusterItem *item : m_clusterItems)
        item->setHighlighted(false);
    m_selectedBox = -1;
}

QRectF GraphWidget::inputsSceneRect() const
{
    QRectF inputs;
    for (size_t i = 0; i < m_visible.nodes.size() && i < m_nodeItems.size(); ++i) {
        const int node = m_visible.nodes[i].node;
        if (node >= 0 && m_graph.nodes[size_t(node)].role == GraphNode::Role::Input)
            inputs |= m_nodeItems[i]->sceneBoundingRect();
    }
    return inputs;
}

QRectF GraphWidget::boxSceneRect(int box) const
{
    if (box < 0 || size_t(box) >= m_nodeItems.size())
        return QRectF();
    return m_nodeItems[size_t(box)]->sceneBoundingRect();
}

int GraphWidget::search(const QString &text)
{
    clearHighlights();
    m_matches.clear();
    m_currentMatch = -1;
    const QString needle = text.trimmed();
    m_matchText = needle;
    if (needle.isEmpty() || m_nodeItems.empty())
        return 0;

    std::vector<bool> matched(m_visible.nodes.size(), false);
    for (size_t i = 0; i < m_graph.nodes.size(); ++i) {
        if (containsText(m_graph.nodes[i], needle)) {
            const int box = m_visible.boxOfNode(int(i));
            if (box >= 0)
                matched[size_t(box)] = true;
        }
    }
    for (size_t i = 0; i < m_visible.nodes.size(); ++i) {
        if (m_visible.nodes[i].title.contains(needle, Qt::CaseInsensitive))
            matched[i] = true;
        if (matched[i]) {
            m_matches.push_back(int(i));
            m_nodeItems[i]->setMatched(true);
        }
    }
    m_statusLabel->setText(tr("%n match(es) for \"%1\"", nullptr, int(m_matches.size())).arg(needle));
    if (!m_matches.empty())
        showNextMatch();
    return int(m_matches.size());
}

void GraphWidget::showNextMatch()
{
    if (m_matches.empty())
        return;
    m_currentMatch = (m_currentMatch + 1) % int(m_matches.size());
    const int box = m_matches[size_t(m_currentMatch)];
    selectBox(box);
    m_view->showReadable(m_nodeItems[size_t(box)]);
    m_statusLabel->setText(tr("Match %1 of %2 for \"%3\" (Enter shows the next)")
                               .arg(m_currentMatch + 1)
                               .arg(m_matches.size())
                               .arg(m_matchText));
}

void GraphWidget::selectBox(int box)
{
    if (box < 0 || size_t(box) >= m_nodeItems.size())
        return;
    for (GraphNodeItem *item : m_nodeItems)
        item->setSelectedBox(false);
    m_nodeItems[size_t(box)]->setSelectedBox(true);
    m_selectedBox = box;
    m_view->centerOn(m_nodeItems[size_t(box)]);
    showDetails(box);
}

void GraphWidget::highlightModule(const QString &dottedPath)
{
    const int module = m_graph.moduleIndex(dottedPath);
    if (module < 0 || m_graph.isEmpty())
        return;
    m_pendingHighlight = dottedPath;
    const QStringList ancestors = DataflowGraph::ancestorPaths(dottedPath);
    bool hidden = false;
    for (int i = 0; i + 1 < ancestors.size(); ++i)
        hidden = hidden || !m_expanded.contains(ancestors[i]);
    if (hidden) {
        QSet<QString> expanded = m_expanded;
        for (int i = 0; i + 1 < ancestors.size(); ++i)
            expanded.insert(ancestors[i]);
        setExpandedModules(expanded); // The highlight follows when the layout is drawn.
        return;
    }
    applyPendingHighlight();
}

void GraphWidget::applyPendingHighlight()
{
    if (m_pendingHighlight.isNull() || m_nodeItems.empty())
        return;
    const int module = m_graph.moduleIndex(m_pendingHighlight);
    int box = m_visible.boxOfModule(module);
    const int cluster = m_visible.clusterOfModule(module);
    if (box < 0 && cluster < 0 && module > 0 && m_graph.modules[size_t(module)].isShared()) {
        // A shared module has no box of its own: show the first of its nodes.
        const QString prefix = m_pendingHighlight + QLatin1Char('.');
        for (size_t i = 0; i < m_visible.nodes.size() && box < 0; ++i) {
            const int node = m_visible.nodes[i].node;
            if (node < 0)
                continue;
            const QString &path = m_graph.nodes[size_t(node)].modulePath;
            if (path == m_pendingHighlight || path.startsWith(prefix))
                box = int(i);
        }
    }
    if (box < 0 && cluster < 0 && module != 0)
        return; // Still hidden: the layout that shows it has not arrived yet.
    m_pendingHighlight.clear();
    clearHighlights();
    if (box >= 0) {
        selectBox(box);
        m_view->showReadable(m_nodeItems[size_t(box)]);
    } else if (cluster >= 0) {
        m_clusterItems[size_t(cluster)]->setHighlighted(true);
        m_view->showReadable(m_clusterItems[size_t(cluster)]);
        showClusterDetails(cluster);
    }
}

void GraphWidget::onItemClicked(QGraphicsItem *item)
{
    if (auto *node = dynamic_cast<GraphNodeItem *>(item))
        selectBox(node->visibleIndex());
    else if (auto *cluster = dynamic_cast<GraphClusterItem *>(item))
        showClusterDetails(cluster->clusterIndex());
}

void GraphWidget::onItemDoubleClicked(QGraphicsItem *item)
{
    if (auto *node = dynamic_cast<GraphNodeItem *>(item)) {
        const VisibleNode &box = m_visible.nodes[size_t(node->visibleIndex())];
        if (box.module >= 0)
            expandModule(m_graph.modules[size_t(box.module)].path);
        return;
    }
    if (auto *cluster = dynamic_cast<GraphClusterItem *>(item)) {
        const int module = m_visible.clusters[size_t(cluster->clusterIndex())].module;
        collapseModule(m_graph.modules[size_t(module)].path);
    }
}

void GraphWidget::onContextMenu(QGraphicsItem *item, const QPoint &globalPosition)
{
    QMenu menu;
    int cluster = -1;
    if (auto *node = dynamic_cast<GraphNodeItem *>(item)) {
        const VisibleNode &box = m_visible.nodes[size_t(node->visibleIndex())];
        cluster = box.cluster;
        if (box.module >= 0) {
            const QString path = m_graph.modules[size_t(box.module)].path;
            menu.addAction(tr("Expand %1").arg(path), this, [this, path] { expandModule(path); });
        }
    } else if (auto *frame = dynamic_cast<GraphClusterItem *>(item)) {
        cluster = frame->clusterIndex();
    }
    for (; cluster >= 0; cluster = m_visible.clusters[size_t(cluster)].parent) {
        const QString path = m_graph.modules[size_t(m_visible.clusters[size_t(cluster)].module)].path;
        menu.addAction(tr("Collapse %1").arg(path), this, [this, path] { collapseModule(path); });
    }
    if (!menu.isEmpty())
        menu.addSeparator();
    menu.addAction(tr("Collapse All"), this, [this] { setExpandedModules({}); });
    menu.addAction(tr("Fit to Window"), this, &GraphWidget::fitToView);
    menu.exec(globalPosition);
}

void GraphWidget::showDetails(int box)
{
    const VisibleNode &visibleNode = m_visible.nodes[size_t(box)];
    if (visibleNode.module >= 0) {
        const GraphModule &module = m_graph.modules[size_t(visibleNode.module)];
        m_details->setHtml(tr("<h3>%1</h3><p>Module type: %2<br>Nodes: %3<br>Output dtype: %4</p>"
                              "<p>Double-click the box to expand it.</p>")
                               .arg(escaped(module.path), escaped(module.typeName))
                               .arg(module.totalNodeCount)
                               .arg(escaped(boxDtype(visibleNode))));
        return;
    }
    const GraphNode &node = m_graph.nodes[size_t(visibleNode.node)];
    QString html = tr("<h3>%1</h3><p>Operator: <code>%2</code><br>Module: %3</p>")
                       .arg(escaped(node.label), escaped(node.kind),
                            node.modulePath.isEmpty() ? tr("(root)") : escaped(node.modulePath));
    html += valueTable(tr("Inputs"), node.inputs);
    html += valueTable(tr("Outputs"), node.outputs);
    if (!node.attributes.empty()) {
        html += tr("<h4>Arguments</h4><table border=\"0\" cellspacing=\"4\">");
        for (const GraphAttribute &attribute : node.attributes) {
            html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
                        .arg(escaped(attribute.name), escaped(attribute.value));
        }
        html += QStringLiteral("</table>");
    }
    if (!node.sourceRange.isEmpty())
        html += tr("<h4>Source</h4><pre>%1</pre>").arg(escaped(node.sourceRange));
    m_details->setHtml(html);
}

void GraphWidget::showClusterDetails(int cluster)
{
    const GraphModule &module = m_graph.modules[size_t(m_visible.clusters[size_t(cluster)].module)];
    m_details->setHtml(tr("<h3>%1</h3><p>Module type: %2<br>Nodes: %3</p>"
                          "<p>Double-click the frame to collapse it.</p>")
                           .arg(escaped(module.path), escaped(module.typeName))
                           .arg(module.totalNodeCount));
}

QString GraphWidget::detailsText() const
{
    return m_details->toPlainText();
}

void GraphWidget::zoomIn()
{
    m_view->zoomBy(1.25);
}

void GraphWidget::zoomOut()
{
    m_view->zoomBy(0.8);
}

void GraphWidget::fitToView()
{
    m_view->fitAll(m_selectedBox >= 0 ? boxSceneRect(m_selectedBox) : inputsSceneRect());
}

void GraphWidget::exportSvg(const QString &path) const
{
    if (m_nodeItems.empty())
        throw Error(tr("There is no graph to export to %1. Open a model first.").arg(path));
    const QRectF source = m_scene->sceneRect();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(source.size().toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
    generator.setTitle(tr("Forward graph"));
    QPainter painter(&generator);
    m_scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
    painter.end();
    writeFileAtomically(path, buffer.data());
}

void GraphWidget::exportPng(const QString &path) const
{
    if (m_nodeItems.empty())
        throw Error(tr("There is no graph to export to %1. Open a model first.").arg(path));
    const QRectF source = m_scene->sceneRect();
    const double scale = std::min({ kPngScale, kPngMaxSide / source.width(), kPngMaxSide / source.height(),
                                    std::sqrt(kPngMaxPixels / (source.width() * source.height())) });
    QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        throw Error(tr("Not enough memory for a %1 x %2 image of the graph for %3. Export SVG instead.")
                        .arg(int(source.width() * scale)).arg(int(source.height() * scale)).arg(path));
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    m_scene->render(&painter, QRectF(QPointF(0, 0), image.size()), source);
    painter.end();

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        throw Error(tr("Cannot encode the graph as PNG for %1.").arg(path));
    writeFileAtomically(path, buffer.data());
}

void GraphWidget::chooseSvgFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph as SVG"), QString(),
                                                      tr("SVG images (*.svg)"));
    if (path.isEmpty())
        return;
    try {
        exportSvg(path);
    } catch (const Error &error) {
        QMessageBox::warning(this, tr("Export Graph"), error.message());
    }
}

void GraphWidget::choosePngFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Graph as PNG"), QString(),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    try {
        exportPng(path);
    } catch (const Error &error) {
        QMessageBox::warning(this, tr("Export Graph"), error.message());
    }
}

} // namespace halfscope
