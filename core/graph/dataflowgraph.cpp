// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph/dataflowgraph.h"

namespace halfscope {

QString GraphNode::outputDtype() const
{
    for (const GraphValue &output : outputs) {
        if (!output.dtype.isEmpty())
            return output.dtype;
    }
    return QString();
}

int DataflowGraph::moduleIndex(const QString &path) const
{
    for (size_t i = 0; i < modules.size(); ++i) {
        if (modules[i].path == path)
            return int(i);
    }
    return -1;
}

QStringList DataflowGraph::ancestorPaths(const QString &path)
{
    QStringList paths;
    if (path.isEmpty())
        return paths;
    const QStringList parts = path.split(QLatin1Char('.'));
    for (int i = 1; i <= parts.size(); ++i)
        paths << parts.mid(0, i).join(QLatin1Char('.'));
    return paths;
}

} // namespace halfscope
