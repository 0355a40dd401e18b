// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"
#include "graph/graphextractor.h"
#include "graph/graphlayout.h"
#include "graph/visiblegraph.h"
#include "model/model.h"
#include "model/modeldata.h"
#include "testsupport.h"

#include <QDir>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace halfscope;

namespace {

QString fixture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_ARCHITECTURE_FIXTURES "/") + name;
}

QSet<QString> submodulePaths(const Model &model)
{
    QSet<QString> paths;
    for (const auto &entry : model.data()->module.named_modules())
        paths.insert(QString::fromStdString(entry.name));
    return paths;
}

QSet<QString> allModulePaths(const DataflowGraph &graph)
{
    QSet<QString> paths;
    for (const GraphModule &module : graph.modules)
        paths.insert(module.path);
    return paths;
}

int countKind(const DataflowGraph &graph, const QStringList &kinds)
{
    int count = 0;
    for (const GraphNode &node : graph.nodes)
        count += kinds.contains(node.kind) ? 1 : 0;
    return count;
}

const GraphNode *nodeWithAttribute(const DataflowGraph &graph, const QString &attributePrefix)
{
    for (const GraphNode &node : graph.nodes) {
        for (const GraphAttribute &attribute : node.attributes) {
            if (attribute.value.startsWith(attributePrefix))
                return &node;
        }
    }
    return nullptr;
}

QStringList visibleTitles(const VisibleGraph &visible)
{
    QStringList titles;
    for (const VisibleNode &node : visible.nodes)
        titles << node.title;
    return titles;
}

double distanceToRect(const QPointF &point, const QRectF &rect)
{
    const double dx = std::max({ rect.left() - point.x(), 0.0, point.x() - rect.right() });
    const double dy = std::max({ rect.top() - point.y(), 0.0, point.y() - rect.bottom() });
    return std::hypot(dx, dy);
}

/// Checks that every graph edge is drawn between the boxes of its ends, or
/// lies inside one collapsed box.
/// Returns true when the boxes and edges have no directed cycle (Kahn's algorithm).
bool isAcyclic(const VisibleGraph &visible)
{
    std::vector<int> incoming(visible.nodes.size(), 0);
    std::vector<std::vector<int>> outgoing(visible.nodes.size());
    for (const VisibleEdge &edge : visible.edges) {
        outgoing[size_t(edge.from)].push_back(edge.to);
        ++incoming[size_t(edge.to)];
    }
    std::vector<int> ready;
    for (size_t i = 0; i < incoming.size(); ++i) {
        if (incoming[i] == 0)
            ready.push_back(int(i));
    }
    size_t visited = 0;
    while (!ready.empty()) {
        const int box = ready.back();
        ready.pop_back();
        ++visited;
        for (int next : outgoing[size_t(box)]) {
            if (--incoming[size_t(next)] == 0)
                ready.push_back(next);
        }
    }
    return visited == visible.nodes.size();
}

void verifyEdgesConnected(const DataflowGraph &graph, const VisibleGraph &visible)
{
    QSet<QPair<int, int>> drawn;
    for (const VisibleEdge &edge : visible.edges) {
        QVERIFY(edge.from >= 0 && size_t(edge.from) < visible.nodes.size());
        QVERIFY(edge.to >= 0 && size_t(edge.to) < visible.nodes.size());
        QVERIFY(edge.from != edge.to);
        drawn.insert({ edge.from, edge.to });
    }
    for (const GraphEdge &edge : graph.edges) {
        const int from = visible.boxOfNode(edge.from);
        const int to = visible.boxOfNode(edge.to);
        QVERIFY(from >= 0);
        QVERIFY(to >= 0);
        if (from != to)
            QVERIFY2(drawn.contains({ from, to }), qPrintable(edge.valueName));
    }
}

} // namespace

class GraphTest : public QObject
{
    Q_OBJECT

private:
    Model m_scripted;
    Model m_traced;
    Model m_mixed;
    Model m_demo;
    DataflowGraph m_scriptedGraph;

    const Model &modelNamed(const QByteArray &name) const
    {
        if (name == "scripted")
            return m_scripted;
        if (name == "traced")
            return m_traced;
        if (name == "mixed")
            return m_mixed;
        return m_demo;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_scripted = Model::load(fixture(QStringLiteral("resnet18_scripted.pt")));
        m_traced = Model::load(fixture(QStringLiteral("resnet18_traced.pt")));
        m_mixed = Model::load(fixture(QStringLiteral("resnet18_mixed.pt")));
        m_demo = Model::load(test::demoModel());
        m_scriptedGraph = extractDataflowGraph(m_scripted);
    }

    void resnetOperators_data()
    {
        QTest::addColumn<QByteArray>("model");
        QTest::addColumn<QStringList>("convolutionKinds");
        QTest::newRow("scripted") << QByteArray("scripted") << QStringList { QStringLiteral("aten::conv2d") };
        QTest::newRow("traced") << QByteArray("traced") << QStringList { QStringLiteral("aten::_convolution") };
    }

    void resnetOperators()
    {
        QFETCH(QByteArray, model);
        QFETCH(QStringList, convolutionKinds);
        const DataflowGraph graph = extractDataflowGraph(modelNamed(model));

        // ResNet-18: conv1, two convolutions per block in 8 blocks, 3 downsample convolutions.
        QCOMPARE(countKind(graph, convolutionKinds), 20);
        QCOMPARE(countKind(graph, { QStringLiteral("aten::batch_norm") }), 20);
        QCOMPARE(countKind(graph, { QStringLiteral("aten::linear") }), 1);
        QCOMPARE(countKind(graph, { QStringLiteral("aten::add"), QStringLiteral("aten::add_") }), 8);
        QCOMPARE(countKind(graph, { QStringLiteral("prim::Constant"), QStringLiteral("prim::GetAttr"),
                                    QStringLiteral("prim::ListConstruct"), QStringLiteral("prim::If") }),
                 0);
        QCOMPARE(int(graph.inputNodes.size()), 1);
        QCOMPARE(int(graph.outputNodes.size()), 1);
        QCOMPARE(graph.nodes[size_t(graph.inputNodes[0])].label, QStringLiteral("x"));
    }

    void resnetEdges_data() { resnetOperators_data(); }

    void resnetEdges()
    {
        QFETCH(QByteArray, model);
        const DataflowGraph graph = extractDataflowGraph(modelNamed(model));

        std::vector<int> incoming(graph.nodes.size(), 0);
        std::vector<int> outgoing(graph.nodes.size(), 0);
        for (const GraphEdge &edge : graph.edges) {
            QVERIFY(edge.from >= 0 && size_t(edge.from) < graph.nodes.size());
            QVERIFY(edge.to >= 0 && size_t(edge.to) < graph.nodes.size());
            ++outgoing[size_t(edge.from)];
            ++incoming[size_t(edge.to)];
        }
        for (size_t i = 0; i < graph.nodes.size(); ++i) {
            const GraphNode &node = graph.nodes[i];
            if (node.role != GraphNode::Role::Input)
                QVERIFY2(incoming[i] > 0, qPrintable(node.kind + QLatin1Char(' ') + node.modulePath));
            if (node.role != GraphNode::Role::Output)
                QVERIFY2(outgoing[i] > 0, qPrintable(node.kind + QLatin1Char(' ') + node.modulePath));
        }
        // A residual add reads the block's second batch norm and its identity path.
        for (const GraphNode &node : graph.nodes) {
            if (node.kind == QLatin1String("aten::add"))
                QCOMPARE(int(node.inputs.size()), 2);
        }
    }

    void modulePathsAreSubmodules_data()
    {
        QTest::addColumn<QByteArray>("model");
        QTest::newRow("scripted") << QByteArray("scripted");
        QTest::newRow("traced") << QByteArray("traced");
        QTest::newRow("mixed") << QByteArray("mixed");
        QTest::newRow("demo") << QByteArray("demo");
    }

    void modulePathsAreSubmodules()
    {
        QFETCH(QByteArray, model);
        const DataflowGraph graph = extractDataflowGraph(modelNamed(model));
        const QSet<QString> submodules = submodulePaths(modelNamed(model));

        QVERIFY(graph.nodes.size() > 3);
        for (const GraphNode &node : graph.nodes)
            QVERIFY2(submodules.contains(node.modulePath), qPrintable(node.modulePath));
        for (const GraphModule &module : graph.modules)
            QVERIFY2(submodules.contains(module.path), qPrintable(module.path));
        QCOMPARE(graph.modules[0].totalNodeCount, int(graph.nodes.size()));
    }

    void convolutionModulePath_data() { resnetOperators_data(); }

    void convolutionModulePath()
    {
        QFETCH(QByteArray, model);
        const DataflowGraph graph = extractDataflowGraph(modelNamed(model));

        const GraphNode *conv = nodeWithAttribute(graph, QStringLiteral("layer1.0.conv1.weight"));
        QVERIFY(conv);
        QCOMPARE(conv->modulePath, QStringLiteral("layer1.0.conv1"));
        const GraphNode *downsample = nodeWithAttribute(graph, QStringLiteral("layer2.0.downsample.0.weight"));
        QVERIFY(downsample);
        QCOMPARE(downsample->modulePath, QStringLiteral("layer2.0.downsample.0"));
        const GraphNode *fc = nodeWithAttribute(graph, QStringLiteral("fc.weight: float32 [1000, 512]"));
        QVERIFY(fc);
        QCOMPARE(fc->kind, QStringLiteral("aten::linear"));
        QCOMPARE(fc->modulePath, QStringLiteral("fc"));
        QVERIFY(!conv->sourceRange.isEmpty());
    }

    void moduleTypes()
    {
        const DataflowGraph &graph = m_scriptedGraph;
        QCOMPARE(graph.modules[0].typeName, QStringLiteral("ResNet18"));
        QCOMPARE(graph.modules[size_t(graph.moduleIndex(QStringLiteral("layer1")))].typeName,
                 QStringLiteral("Sequential"));
        QCOMPARE(graph.modules[size_t(graph.moduleIndex(QStringLiteral("layer1.0")))].typeName,
                 QStringLiteral("BasicBlock"));
        QCOMPARE(graph.modules[size_t(graph.moduleIndex(QStringLiteral("conv1")))].typeName,
                 QStringLiteral("Conv2d"));
    }

    void defaultViewShowsTopLevel_data() { resnetOperators_data(); }

    void defaultViewShowsTopLevel()
    {
        QFETCH(QByteArray, model);
        const DataflowGraph graph = extractDataflowGraph(modelNamed(model));
        const VisibleGraph visible = buildVisibleGraph(graph, {});

        const QStringList expected { QStringLiteral("x"),       QStringLiteral("conv1"),
                                     QStringLiteral("bn1"),     QStringLiteral("relu"),
                                     QStringLiteral("maxpool"), QStringLiteral("layer1"),
                                     QStringLiteral("layer2"),  QStringLiteral("layer3"),
                                     QStringLiteral("layer4"),  QStringLiteral("avgpool"),
                                     QStringLiteral("flatten"), QStringLiteral("fc"),
                                     QStringLiteral("output") };
        QCOMPARE(visibleTitles(visible), expected);
        QVERIFY(visible.clusters.empty());
        // A chain: each box feeds the next one.
        QCOMPARE(int(visible.edges.size()), expected.size() - 1);
        verifyEdgesConnected(graph, visible);
        const int layer1 = visible.boxOfModule(graph.moduleIndex(QStringLiteral("layer1")));
        QVERIFY(layer1 >= 0);
        QCOMPARE(visible.nodes[size_t(layer1)].subtitle, QStringLiteral("Sequential \u00b7 %1 nodes")
                                                                 .arg(graph.modules[size_t(graph.moduleIndex(QStringLiteral("layer1")))].totalNodeCount));
    }

    void collapseAndExpand()
    {
        const DataflowGraph &graph = m_scriptedGraph;
        QSet<QString> everything;
        for (const GraphModule &module : graph.modules)
            everything.insert(module.path);

        const VisibleGraph expanded = buildVisibleGraph(graph, everything);
        QCOMPARE(expanded.nodes.size(), graph.nodes.size());
        // Every module but the root and the shared relu of each of the eight
        // blocks gets a frame.
        size_t sharedModules = 0;
        for (const GraphModule &module : graph.modules)
            sharedModules += module.isShared() ? 1 : 0;
        QCOMPARE(sharedModules, size_t(8));
        QCOMPARE(expanded.clusters.size(), graph.modules.size() - 1 - sharedModules);
        verifyEdgesConnected(graph, expanded);

        QSet<QString> withoutLayer1 = everything;
        withoutLayer1.remove(QStringLiteral("layer1"));
        const VisibleGraph collapsed = buildVisibleGraph(graph, withoutLayer1);
        const int layer1Nodes = graph.modules[size_t(graph.moduleIndex(QStringLiteral("layer1")))].totalNodeCount;
        QCOMPARE(collapsed.nodes.size(), graph.nodes.size() - size_t(layer1Nodes) + 1);
        QVERIFY(collapsed.edges.size() < expanded.edges.size());
        verifyEdgesConnected(graph, collapsed);
        const int box = collapsed.boxOfModule(graph.moduleIndex(QStringLiteral("layer1")));
        QVERIFY(box >= 0);
        int boxIn = 0;
        int boxOut = 0;
        for (const VisibleEdge &edge : collapsed.edges) {
            boxIn += edge.to == box ? 1 : 0;
            boxOut += edge.from == box ? 1 : 0;
        }
        QCOMPARE(boxIn, 1);  // from maxpool
        QCOMPARE(boxOut, 2); // to layer2.0.conv1 and to layer2.0.downsample.0
        // Children of a collapsed module stay hidden even when listed as expanded.
        QCOMPARE(collapsed.clusterOfModule(graph.moduleIndex(QStringLiteral("layer1.0"))), -1);

        const VisibleGraph restored = buildVisibleGraph(graph, everything);
        QCOMPARE(restored.nodes.size(), expanded.nodes.size());
        QCOMPARE(restored.edges.size(), expanded.edges.size());
        QCOMPARE(visibleTitles(restored), visibleTitles(expanded));
    }

    void expandOneLevel()
    {
        const DataflowGraph &graph = m_scriptedGraph;
        const VisibleGraph top = buildVisibleGraph(graph, {});
        const VisibleGraph layer1 = buildVisibleGraph(graph, { QStringLiteral("layer1") });

        // layer1 opens into its two blocks inside one frame.
        QCOMPARE(layer1.nodes.size(), top.nodes.size() + 1);
        QCOMPARE(int(layer1.clusters.size()), 1);
        QVERIFY(layer1.boxOfModule(graph.moduleIndex(QStringLiteral("layer1.0"))) >= 0);
        QVERIFY(layer1.boxOfModule(graph.moduleIndex(QStringLiteral("layer1.1"))) >= 0);
        QCOMPARE(layer1.boxOfModule(graph.moduleIndex(QStringLiteral("layer1"))), -1);
        verifyEdgesConnected(graph, layer1);
    }

    void sharedModuleHasNoBox_data()
    {
        QTest::addColumn<QByteArray>("model");
        QTest::newRow("scripted") << QByteArray("scripted");
        QTest::newRow("traced") << QByteArray("traced");
    }

    void sharedModuleHasNoBox()
    {
        QFETCH(QByteArray, model);
        const DataflowGraph graph = extractDataflowGraph(modelNamed(model));

        // BasicBlock calls its relu twice; its convolutions once each.
        const int relu = graph.moduleIndex(QStringLiteral("layer1.0.relu"));
        QVERIFY(relu >= 0);
        QCOMPARE(graph.modules[size_t(relu)].callCount, 2);
        QVERIFY(graph.modules[size_t(relu)].isShared());
        QCOMPARE(graph.modules[size_t(graph.moduleIndex(QStringLiteral("layer1.0.conv1")))].callCount, 1);

        const VisibleGraph block = buildVisibleGraph(
            graph, { QStringLiteral("layer1"), QStringLiteral("layer1.0") });
        QCOMPARE(block.boxOfModule(relu), -1);
        QCOMPARE(block.clusterOfModule(relu), -1);
        int reluBoxes = 0;
        for (const VisibleNode &box : block.nodes) {
            if (box.node >= 0 && graph.nodes[size_t(box.node)].modulePath == QLatin1String("layer1.0.relu"))
                ++reluBoxes;
        }
        QCOMPARE(reluBoxes, 2);
        verifyEdgesConnected(graph, block);
        QVERIFY(isAcyclic(block));
    }

    void mixedDtypes()
    {
        const DataflowGraph graph = extractDataflowGraph(m_mixed);
        const GraphNode *layer1 = nodeWithAttribute(graph, QStringLiteral("layer1.0.conv1.weight"));
        const GraphNode *layer4 = nodeWithAttribute(graph, QStringLiteral("layer4.0.conv1.weight"));
        const GraphNode *fc = nodeWithAttribute(graph, QStringLiteral("fc.weight"));
        QVERIFY(layer1 && layer4 && fc);
        QCOMPARE(layer1->outputDtype(), QStringLiteral("float32"));
        QCOMPARE(layer4->outputDtype(), QStringLiteral("float16"));
        QCOMPARE(fc->outputDtype(), QStringLiteral("float16"));
        QVERIFY(layer4->outputs[0].dtypeInferred);
    }

    void demoModelGraph()
    {
        const DataflowGraph graph = extractDataflowGraph(m_demo);
        QVERIFY(countKind(graph, { QStringLiteral("aten::conv2d"), QStringLiteral("aten::_convolution") }) > 0);
        QVERIFY(graph.modules.size() > 1);
        const VisibleGraph top = buildVisibleGraph(graph, {});
        QVERIFY(top.nodes.size() < graph.nodes.size());
        verifyEdgesConnected(graph, top);
    }

    void layoutPlacesEveryBox_data()
    {
        QTest::addColumn<bool>("expandAll");
        QTest::newRow("collapsed") << false;
        QTest::newRow("expanded") << true;
    }

    void layoutPlacesEveryBox()
    {
        QFETCH(bool, expandAll);
        const DataflowGraph &graph = m_scriptedGraph;
        const QSet<QString> expanded = expandAll ? allModulePaths(graph) : QSet<QString>();
        const VisibleGraph visible = buildVisibleGraph(graph, expanded);

        const GraphLayout layout = layoutGraph(visible);
        qInfo("ResNet-18 %s: %zu boxes, %zu edges laid out in %.3f s", expandAll ? "expanded" : "collapsed",
              visible.nodes.size(), visible.edges.size(), layout.seconds);

        QCOMPARE(layout.nodes.size(), visible.nodes.size());
        for (size_t i = 0; i < layout.nodes.size(); ++i) {
            const QRectF &box = layout.nodes[i];
            QVERIFY(box.width() > 0 && box.height() > 0);
            QVERIFY(std::abs(box.width() - visible.nodes[i].width) < 1.0);
            QVERIFY(layout.bounds.adjusted(-1, -1, 1, 1).contains(box));
            for (size_t j = i + 1; j < layout.nodes.size(); ++j) {
                QVERIFY2(!box.intersects(layout.nodes[j]),
                         qPrintable(visible.nodes[i].id + QLatin1String(" overlaps ") + visible.nodes[j].id));
            }
        }
        for (size_t i = 0; i < layout.edges.size(); ++i) {
            const EdgeRoute &route = layout.edges[i];
            const VisibleEdge &edge = visible.edges[i];
            QVERIFY(route.points.size() >= 4);
            QVERIFY(distanceToRect(route.points.front(), layout.nodes[size_t(edge.from)]) < 2.0);
            QVERIFY(distanceToRect(route.arrowTip, layout.nodes[size_t(edge.to)]) < 2.0);
        }
        for (size_t i = 0; i < layout.clusters.size(); ++i) {
            QVERIFY(layout.clusters[i].isValid());
        }
        for (size_t i = 0; i < visible.nodes.size(); ++i) {
            const int cluster = visible.nodes[i].cluster;
            if (cluster >= 0)
                QVERIFY(layout.clusters[size_t(cluster)].contains(layout.nodes[i]));
        }
    }

    void layoutMissingDotExecutable()
    {
        const VisibleGraph visible = buildVisibleGraph(m_scriptedGraph, {});
        LayoutOptions options;
        options.dotExecutable = QStringLiteral("/nonexistent/bin/dot");
        try {
            layoutGraph(visible, options);
            QFAIL("layoutGraph succeeded without dot");
        } catch (const Error &error) {
            QVERIFY2(error.message().contains(QLatin1String("Install the Debian package graphviz")),
                     qPrintable(error.message()));
            QVERIFY(error.message().contains(options.dotExecutable));
        }
    }

    void layoutDotNotOnPath()
    {
        const VisibleGraph visible = buildVisibleGraph(m_scriptedGraph, {});
        const QTemporaryDir emptyDir;
        QVERIFY(emptyDir.isValid());
        const QByteArray savedPath = qgetenv("PATH");
        qputenv("PATH", QFile::encodeName(emptyDir.path()));
        QString message;
        try {
            layoutGraph(visible);
        } catch (const Error &error) {
            message = error.message();
        }
        qputenv("PATH", savedPath);
        QVERIFY2(message.contains(QLatin1String("Install the Debian package graphviz")), qPrintable(message));
    }

    void dotTextHasSizesAndClusters()
    {
        const VisibleGraph visible = buildVisibleGraph(m_scriptedGraph, { QStringLiteral("layer1") });
        const QByteArray dot = toDot(visible);
        QVERIFY(dot.startsWith("digraph"));
        QVERIFY(dot.contains("subgraph cluster_0"));
        QVERIFY(dot.contains("label=\"layer1 (Sequential)\""));
        const VisibleNode &first = visible.nodes.front();
        QVERIFY(dot.contains(first.id.toUtf8() + " [width="
                             + QByteArray::number(first.width / 72.0, 'f', 4)));
    }

    void invalidDotOutput()
    {
        const VisibleGraph visible = buildVisibleGraph(m_scriptedGraph, {});
        QVERIFY_THROWS_EXCEPTION(Error, parseDotJson("not json", visible));
        QVERIFY_THROWS_EXCEPTION(Error, parseDotJson("{\"bb\": \"0,0,10,10\", \"objects\": []}", visible));
    }
};

QTEST_GUILESS_MAIN(GraphTest)
#include "tst_graph.moc"
