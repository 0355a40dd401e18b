// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "graph/visiblegraph.h"

#include <QByteArray>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <atomic>
#include <vector>

namespace halfscope {

/// Settings of layoutGraph(): the Graphviz executable and its limits.
struct LayoutOptions
{
    /// Program name looked up on PATH, or a path to the dot executable.
    QString dotExecutable = QStringLiteral("dot");
    /// Time dot may take before it is stopped, in milliseconds.
    int timeoutMs = 120000;
    /// When set and true, the layout stops early and throws Error.
    const std::atomic_bool *cancelRequested = nullptr;
};

/// An edge as a chain of cubic Bézier segments, in points.
struct EdgeRoute
{
    /// Start point followed by three points per segment (two control points
    /// and the segment's end), as Graphviz writes splines.
    std::vector<QPointF> points;
    /// Tip of the arrowhead, a little past the last spline point; equal to
    /// the last point when dot drew no arrowhead.
    QPointF arrowTip;
};

/// Positions for a VisibleGraph, in points (1/72 inch), y growing downwards.
struct GraphLayout
{
    QRectF bounds;
    std::vector<QRectF> nodes;    ///< Indexed like VisibleGraph::nodes.
    std::vector<EdgeRoute> edges; ///< Indexed like VisibleGraph::edges.
    std::vector<QRectF> clusters; ///< Indexed like VisibleGraph::clusters.
    double seconds = 0;           ///< Wall-clock time that dot took.

    bool isEmpty() const { return nodes.empty(); }
};

/// Writes graph as DOT text: fixed-size boxes in inches, one cluster per
/// expanded module frame, edges with ids "e<index>".
QByteArray toDot(const VisibleGraph &graph);

/// Reads the output of `dot -Tjson0` for a graph written by toDot(). Throws
/// Error when the text is not that JSON or misses a node or edge.
GraphLayout parseDotJson(const QByteArray &json, const VisibleGraph &graph);

/// Lays out graph with Graphviz dot, run as a separate process (Graphviz is
/// not linked). Blocks until dot finishes: call it off the GUI thread. Throws
/// Error when dot is missing, fails, times out or is cancelled.
GraphLayout layoutGraph(const VisibleGraph &graph, const LayoutOptions &options = {});

} // namespace halfscope
