// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph/graphlayout.h"

#include "common/error.h"
#include "common/logging.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

namespace halfscope {

namespace {

constexpr double kPointsPerInch = 72.0;
constexpr int kPollIntervalMs = 100;

QByteArray inches(double points)
{
    return QByteArray::number(points / kPointsPerInch, 'f', 4);
}

QByteArray quoted(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return '"' + escaped.toUtf8() + '"';
}

void writeNode(QByteArray &dot, const VisibleNode &node, const QByteArray &indent)
{
    dot += indent + node.id.toUtf8() + " [width=" + inches(node.width)
        + ", height=" + inches(node.height) + "];\n";
}

void writeCluster(QByteArray &dot, const VisibleGraph &graph, int cluster,
                  const std::vector<std::vector<int>> &clusterNodes,
                  const std::vector<std::vector<int>> &clusterChildren, const QByteArray &indent)
{
    dot += indent + "subgraph cluster_" + QByteArray::number(cluster) + " {\n";
    dot += indent + "  label=" + quoted(graph.clusters[size_t(cluster)].label) + ";\n";
    for (const int node : clusterNodes[size_t(cluster)])
        writeNode(dot, graph.nodes[size_t(node)], indent + "  ");
    for (const int child : clusterChildren[size_t(cluster)])
        writeCluster(dot, graph, child, clusterNodes, clusterChildren, indent + "  ");
    dot += indent + "}\n";
}

/// Parses "x,y" into a point with y flipped, since dot's y axis points up.
QPointF parsePoint(const QString &text, double height)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 2)
        throw Error(QStringLiteral("Invalid point \"%1\" in the output of Graphviz dot.").arg(text));
    return QPointF(parts[0].toDouble(), height - parts[1].toDouble());
}

/// Parses "llx,lly,urx,ury" into a rectangle with y flipped.
QRectF parseBox(const QString &text, double height)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 4)
        throw Error(QStringLiteral("Invalid bounding box \"%1\" in the output of Graphviz dot.").arg(text));
    const double left = parts[0].toDouble();
    const double top = height - parts[3].toDouble();
    return QRectF(left, top, parts[2].toDouble() - left, parts[3].toDouble() - parts[1].toDouble());
}

/// Parses an edge's "pos": optional "s,x,y" and "e,x,y" arrow points, then
/// the spline's 1 + 3n points.
EdgeRoute parseEdgeRoute(const QString &text, double height)
{
    EdgeRoute route;
    bool hasArrowTip = false;
    for (const QString &token : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (token.startsWith(QLatin1String("e,"))) {
            route.arrowTip = parsePoint(token.mid(2), height);
            hasArrowTip = true;
        } else if (!token.startsWith(QLatin1String("s,"))) {
            route.points.push_back(parsePoint(token, height));
        }
    }
    if (route.points.size() < 4 || (route.points.size() - 1) % 3 != 0)
        throw Error(QStringLiteral("Invalid edge spline \"%1\" in the output of Graphviz dot.").arg(text));
    if (!hasArrowTip)
        route.arrowTip = route.points.back();
    return route;
}

QString resolveDot(const QString &executable)
{
    const QString found = executable.contains(QLatin1Char('/'))
        ? (QFileInfo(executable).isExecutable() ? executable : QString())
        : QStandardPaths::findExecutable(executable);
    if (found.isEmpty()) {
        throw Error(QStringLiteral("Graphviz dot was not found (looked for \"%1\"), so the graph "
                                   "cannot be laid out. Install the Debian package graphviz "
                                   "(sudo apt install graphviz) or put dot on the PATH.")
                        .arg(executable));
    }
    return found;
}

QByteArray runDot(const QString &program, const QByteArray &dot, const LayoutOptions &options,
                  int nodeCount)
{
    QProcess process;
    process.start(program, { QStringLiteral("-Tjson0") });
    if (!process.waitForStarted()) {
        throw Error(QStringLiteral("Cannot start Graphviz dot (%1): %2. Install the Debian "
                                   "package graphviz.")
                        .arg(program, process.errorString()));
    }
    process.write(dot);
    process.closeWriteChannel();

    QElapsedTimer timer;
    timer.start();
    while (!process.waitForFinished(kPollIntervalMs)) {
        const bool cancelled = options.cancelRequested && options.cancelRequested->load();
        if (cancelled || timer.elapsed() > options.timeoutMs) {
            process.kill();
            process.waitForFinished();
            if (cancelled)
                throw Error(QStringLiteral("Graph layout was cancelled."));
            throw Error(QStringLiteral("Graphviz dot did not finish the layout of %1 boxes within "
                                       "%2 s. Collapse modules to lay out fewer boxes.")
                            .arg(nodeCount)
                            .arg(options.timeoutMs / 1000.0));
        }
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString message = QString::fromUtf8(process.readAllStandardError()).trimmed();
        throw Error(QStringLiteral("Graphviz dot failed with exit code %1: %2")
                        .arg(process.exitCode())
                        .arg(message.isEmpty() ? process.errorString() : message));
    }
    return process.readAllStandardOutput();
}

} // namespace

QByteArray toDot(const VisibleGraph &graph)
{
    std::vector<std::vector<int>> clusterNodes(graph.clusters.size());
    std::vector<std::vector<int>> clusterChildren(graph.clusters.size());
    QByteArray dot = "digraph dataflow {\n"
                     "  graph [rankdir=TB, nodesep=0.25, ranksep=0.35, fontname=\"Helvetica\", "
                     "fontsize=12, labeljust=l];\n"
                     "  node [shape=box, fixedsize=true, label=\"\"];\n"
                     "  edge [arrowsize=0.6];\n";
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const int cluster = graph.nodes[i].cluster;
        if (cluster < 0)
            writeNode(dot, graph.nodes[i], "  ");
        else
            clusterNodes[size_t(cluster)].push_back(int(i));
    }
    for (size_t i = 0; i < graph.clusters.size(); ++i) {
        if (graph.clusters[i].parent >= 0)
            clusterChildren[size_t(graph.clusters[i].parent)].push_back(int(i));
    }
    for (size_t i = 0; i < graph.clusters.size(); ++i) {
        if (graph.clusters[i].parent < 0)
            writeCluster(dot, graph, int(i), clusterNodes, clusterChildren, "  ");
    }
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const VisibleEdge &edge = graph.edges[i];
        dot += "  " + graph.nodes[size_t(edge.from)].id.toUtf8() + " -> "
            + graph.nodes[size_t(edge.to)].id.toUtf8() + " [id=e" + QByteArray::number(qulonglong(i))
            + "];\n";
    }
    dot += "}\n";
    return dot;
}

GraphLayout parseDotJson(const QByteArray &json, const VisibleGraph &graph)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        throw Error(QStringLiteral("Cannot read the output of Graphviz dot as JSON: %1.")
                        .arg(parseError.errorString()));
    }
    const QJsonObject root = document.object();
    const QStringList bounds = root.value(QLatin1String("bb")).toString().split(QLatin1Char(','));
    if (bounds.size() != 4)
        throw Error(QStringLiteral("The output of Graphviz dot has no bounding box."));
    const double height = bounds[3].toDouble();

    GraphLayout layout;
    layout.bounds = parseBox(root.value(QLatin1String("bb")).toString(), height);
    layout.nodes.resize(graph.nodes.size());
    layout.clusters.resize(graph.clusters.size());
    layout.edges.resize(graph.edges.size());

    QHash<QString, int> nodeIndices;
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        nodeIndices.insert(graph.nodes[i].id, int(i));
    std::vector<bool> placed(graph.nodes.size(), false);
    for (const QJsonValue &value : root.value(QLatin1String("objects")).toArray()) {
        const QJsonObject object = value.toObject();
        const QString name = object.value(QLatin1String("name")).toString();
        if (name.startsWith(QLatin1String("cluster_"))) {
            const int cluster = name.mid(8).toInt();
            if (cluster >= 0 && size_t(cluster) < layout.clusters.size())
                layout.clusters[size_t(cluster)] = parseBox(object.value(QLatin1String("bb")).toString(), height);
            continue;
        }
        const auto found = nodeIndices.constFind(name);
        if (found == nodeIndices.constEnd())
            continue;
        const QPointF center = parsePoint(object.value(QLatin1String("pos")).toString(), height);
        const double width = object.value(QLatin1String("width")).toString().toDouble() * kPointsPerInch;
        const double boxHeight = object.value(QLatin1String("height")).toString().toDouble() * kPointsPerInch;
        layout.nodes[size_t(found.value())]
            = QRectF(center.x() - width / 2, center.y() - boxHeight / 2, width, boxHeight);
        placed[size_t(found.value())] = true;
    }
    for (size_t i = 0; i < placed.size(); ++i) {
        if (!placed[i])
            throw Error(QStringLiteral("Graphviz dot returned no position for %1.").arg(graph.nodes[i].id));
    }

    std::vector<bool> routed(graph.edges.size(), false);
    for (const QJsonValue &value : root.value(QLatin1String("edges")).toArray()) {
        const QJsonObject object = value.toObject();
        const int edge = object.value(QLatin1String("id")).toString().mid(1).toInt();
        if (edge < 0 || size_t(edge) >= graph.edges.size())
            continue;
        layout.edges[size_t(edge)] = parseEdgeRoute(object.value(QLatin1String("pos")).toString(), height);
        routed[size_t(edge)] = true;
    }
    for (size_t i = 0; i < routed.size(); ++i) {
        if (!routed[i])
            throw Error(QStringLiteral("Graphviz dot returned no route for edge e%1.").arg(i));
    }
    return layout;
}

GraphLayout layoutGraph(const VisibleGraph &graph, const LayoutOptions &options)
{
    const QString program = resolveDot(options.dotExecutable);
    QElapsedTimer timer;
    timer.start();
    const QByteArray json = runDot(program, toDot(graph), options, int(graph.nodes.size()));
    GraphLayout layout = parseDotJson(json, graph);
    layout.seconds = timer.nsecsElapsed() / 1e9;
    qCInfo(lcModel) << "laid out" << graph.nodes.size() << "boxes and" << graph.edges.size()
                    << "edges in" << layout.seconds << "s";
    return layout;
}

} // namespace halfscope
