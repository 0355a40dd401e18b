// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph/visiblegraph.h"

#include <QHash>

#include <algorithm>
#include <map>
#include <utility>

namespace halfscope {

namespace {

// Estimated text metrics in points, for graphs laid out without a view.
constexpr double kCharacterWidth = 6.5;
constexpr double kLineHeight = 14.0;
constexpr double kPadding = 10.0;

void estimateSize(VisibleNode &box)
{
    const int characters = int(std::max(box.title.size(), box.subtitle.size()));
    const int lines = box.subtitle.isEmpty() ? 1 : 2;
    box.width = std::max(48.0, characters * kCharacterWidth + 2 * kPadding);
    box.height = lines * kLineHeight + kPadding;
}

QString moduleLabel(const GraphModule &module)
{
    return module.typeName.isEmpty() ? module.path
                                     : QStringLiteral("%1 (%2)").arg(module.path, module.typeName);
}

class VisibleGraphBuilder
{
public:
    VisibleGraphBuilder(const DataflowGraph &graph, const QSet<QString> &expandedPaths)
        : m_graph(graph)
        , m_expanded(expandedPaths)
    {
        for (size_t i = 0; i < graph.modules.size(); ++i)
            m_moduleIndices.insert(graph.modules[i].path, int(i));
    }

    VisibleGraph build()
    {
        m_result.nodeBoxes.assign(m_graph.nodes.size(), -1);
        for (size_t i = 0; i < m_graph.nodes.size(); ++i)
            m_result.nodeBoxes[i] = boxFor(int(i));
        addEdges();
        for (VisibleNode &box : m_result.nodes)
            estimateSize(box);
        return std::move(m_result);
    }

private:
    /// Returns the box that shows a graph node, creating it and the frames
    /// around it on first use.
    int boxFor(int node)
    {
        const GraphNode &graphNode = m_graph.nodes[size_t(node)];
        int cluster = -1;
        for (const QString &path : DataflowGraph::ancestorPaths(graphNode.modulePath)) {
            const int module = m_moduleIndices.value(path, -1);
            // A module called from several places shows each call's nodes
            // where they are used, without a box or frame that joins them.
            if (module >= 0 && m_graph.modules[size_t(module)].isShared())
                break;
            if (!m_expanded.contains(path))
                return collapsedBox(module, cluster);
            cluster = clusterFor(module, cluster);
        }

        VisibleNode box;
        box.id = QStringLiteral("n%1").arg(node);
        box.node = node;
        box.cluster = cluster;
        box.title = graphNode.label;
        switch (graphNode.role) {
        case GraphNode::Role::Input:
            box.subtitle = QStringLiteral("input");
            break;
        case GraphNode::Role::Output:
            box.subtitle = QStringLiteral("output");
            break;
        case GraphNode::Role::Operator:
            box.subtitle = graphNode.modulePath;
            break;
        }
        m_result.nodes.push_back(std::move(box));
        return int(m_result.nodes.size()) - 1;
    }

    int collapsedBox(int module, int cluster)
    {
        const auto found = m_moduleBoxes.constFind(module);
        if (found != m_moduleBoxes.constEnd())
            return found.value();

        const GraphModule &graphModule = m_graph.modules[size_t(module)];
        VisibleNode box;
        box.id = QStringLiteral("m%1").arg(module);
        box.module = module;
        box.cluster = cluster;
        box.title = graphModule.path;
        const QString count = graphModule.totalNodeCount == 1
            ? QStringLiteral("1 node")
            : QStringLiteral("%1 nodes").arg(graphModule.totalNodeCount);
        box.subtitle = graphModule.typeName.isEmpty()
            ? count
            : QStringLiteral("%1 \u00b7 %2").arg(graphModule.typeName, count);
        m_result.nodes.push_back(std::move(box));
        const int index = int(m_result.nodes.size()) - 1;
        m_moduleBoxes.insert(module, index);
        return index;
    }

    int clusterFor(int module, int parent)
    {
        const auto found = m_clusters.constFind(module);
        if (found != m_clusters.constEnd())
            return found.value();

        VisibleCluster cluster;
        cluster.module = module;
        cluster.parent = parent;
        cluster.label = moduleLabel(m_graph.modules[size_t(module)]);
        m_result.clusters.push_back(std::move(cluster));
        const int index = int(m_result.clusters.size()) - 1;
        m_clusters.insert(module, index);
        return index;
    }

    void addEdges()
    {
        std::map<std::pair<int, int>, int> merged;
        for (const GraphEdge &edge : m_graph.edges) {
            const int from = m_result.nodeBoxes[size_t(edge.from)];
            const int to = m_result.nodeBoxes[size_t(edge.to)];
            if (from == to)
                continue; // Inside one collapsed module.
            const auto key = std::make_pair(from, to);
            const auto found = merged.find(key);
            if (found != merged.end()) {
                ++m_result.edges[size_t(found->second)].valueCount;
                continue;
            }
            merged.emplace(key, int(m_result.edges.size()));
            m_result.edges.push_back({ from, to, edge.valueName, 1 });
        }
    }

    const DataflowGraph &m_graph;
    const QSet<QString> &m_expanded;
    VisibleGraph m_result;
    QHash<QString, int> m_moduleIndices;
    QHash<int, int> m_moduleBoxes;
    QHash<int, int> m_clusters;
};

} // namespace

int VisibleGraph::boxOfNode(int graphNode) const
{
    return graphNode >= 0 && size_t(graphNode) < nodeBoxes.size() ? nodeBoxes[size_t(graphNode)] : -1;
}

int VisibleGraph::boxOfModule(int module) const
{
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].module == module)
            return int(i);
    }
    return -1;
}

int VisibleGraph::clusterOfModule(int module) const
{
    for (size_t i = 0; i < clusters.size(); ++i) {
        if (clusters[i].module == module)
            return int(i);
    }
    return -1;
}

VisibleGraph buildVisibleGraph(const DataflowGraph &graph, const QSet<QString> &expandedPaths)
{
    return VisibleGraphBuilder(graph, expandedPaths).build();
}

QString expansionKey(const QSet<QString> &expandedPaths)
{
    QStringList paths(expandedPaths.begin(), expandedPaths.end());
    paths.sort();
    return paths.join(QLatin1Char('\n'));
}

} // namespace halfscope
