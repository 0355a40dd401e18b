// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "graph/dataflowgraph.h"

#include <QSet>
#include <QString>

#include <vector>

namespace halfscope {

/// A box of the visible graph: one graph node, or a collapsed module that
/// stands for all of its nodes.
struct VisibleNode
{
    /// Node id in the DOT text: "n<node>" for a graph node, "m<module>" for
    /// a collapsed module.
    QString id;
    int node = -1;    ///< Index into DataflowGraph::nodes; -1 for a collapsed module.
    int module = -1;  ///< Index into DataflowGraph::modules for a collapsed module; else -1.
    int cluster = -1; ///< Innermost expanded module frame around the box; -1 for none.
    /// Box size in points (1/72 inch). buildVisibleGraph() estimates it from
    /// the label length; a view replaces it with measured text sizes.
    double width = 0;
    double height = 0;
    QString title;    ///< First line: operator or module name.
    QString subtitle; ///< Second line: module path and type, or node count.
};

/// Value flow between two boxes; parallel edges are merged into one.
struct VisibleEdge
{
    int from = -1; ///< Index into VisibleGraph::nodes.
    int to = -1;   ///< Index into VisibleGraph::nodes.
    QString valueName;
    int valueCount = 1; ///< Graph edges merged into this one.
};

/// Frame around the boxes of an expanded module.
struct VisibleCluster
{
    int module = -1; ///< Index into DataflowGraph::modules.
    int parent = -1; ///< Enclosing cluster; -1 when the frame sits at the top level.
    QString label;   ///< Module path and type, drawn in the frame's header.
};

/// The part of a DataflowGraph that is shown for one set of expanded
/// modules: nodes of collapsed modules fold into one box per module, and
/// edges that cross a collapsed module's boundary attach to its box.
struct VisibleGraph
{
    std::vector<VisibleNode> nodes;
    std::vector<VisibleEdge> edges;
    std::vector<VisibleCluster> clusters;

    /// Returns the index of the box that shows graph node graphNode.
    int boxOfNode(int graphNode) const;
    /// Returns the index of the box of a collapsed module, or -1.
    int boxOfModule(int module) const;
    /// Returns the index of the frame of an expanded module, or -1.
    int clusterOfModule(int module) const;

    /// Box index per graph node, indexed like DataflowGraph::nodes.
    std::vector<int> nodeBoxes;
};

/// Returns the boxes, edges and frames shown when exactly the modules in
/// expandedPaths are expanded (the root module is always expanded). A module
/// inside a collapsed one stays hidden even if its path is in the set.
VisibleGraph buildVisibleGraph(const DataflowGraph &graph, const QSet<QString> &expandedPaths);

/// Returns a text key for a set of expanded paths, for layout caches.
QString expansionKey(const QSet<QString> &expandedPaths);

} // namespace halfscope
