// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace halfscope {

/// A value flowing into or out of a graph node, as TorchScript typed it.
struct GraphValue
{
    /// TorchScript debug name without the leading '%', for example "input.5".
    QString name;
    /// TorchScript type as printed, for example "Tensor" or "Float(1, 64, 112, 112)".
    QString type;
    /// "float32", "float16", ...; empty when unknown. See dtypeInferred.
    QString dtype;
    /// Sizes as "[1, 64, 112, 112]"; empty when the graph does not record them.
    QString shape;
    /// True when dtype comes from the node's parameters or inputs rather than
    /// from the TorchScript type (TorchScript files rarely store dtypes).
    bool dtypeInferred = false;
};

/// A parameter, buffer or constant that was folded into a node.
struct GraphAttribute
{
    /// Argument name from the operator schema ("stride"), or the attribute
    /// path for module parameters ("conv1.weight").
    QString name;
    /// Printed value: "[2, 2]", "float32 [64, 3, 7, 7]", "None", ...
    QString value;
};

/// One operation of the inlined forward graph, or a graph input or output.
struct GraphNode
{
    enum class Role { Operator, Input, Output };

    Role role = Role::Operator;
    /// Operator kind, for example "aten::conv2d"; "prim::Param" for a graph
    /// input and "prim::Return" for a graph output.
    QString kind;
    /// Short text for the box: the operator name without its namespace, or
    /// the input or output name.
    QString label;
    /// Dotted path of the submodule whose forward created the node, for
    /// example "layer1.0.conv1"; empty for nodes of the root module's forward.
    QString modulePath;
    std::vector<GraphValue> inputs;
    std::vector<GraphValue> outputs;
    std::vector<GraphAttribute> attributes;
    /// Source text the node came from, with its file and line when known.
    QString sourceRange;

    /// Returns the dtype of the first tensor output, or of the first output
    /// with a dtype; empty when none is known.
    QString outputDtype() const;
};

/// Value flow from one node's output to another node's input.
struct GraphEdge
{
    int from = -1; ///< Index into DataflowGraph::nodes.
    int to = -1;   ///< Index into DataflowGraph::nodes.
    QString valueName;
};

/// A submodule in the hierarchy of module paths that graph nodes came from.
struct GraphModule
{
    /// Dotted path; empty for the root module.
    QString path;
    /// Last path component ("conv1"); the root module's class name for the root.
    QString name;
    /// Class name without its qualification, for example "Conv2d"; empty when unknown.
    QString typeName;
    int parent = -1;             ///< Index into DataflowGraph::modules; -1 for the root.
    std::vector<int> children;   ///< Indices into DataflowGraph::modules, in first-use order.
    std::vector<int> nodes;      ///< Nodes whose modulePath is exactly this path.
    int totalNodeCount = 0;      ///< Nodes of this module and all its descendants.
    /// Places in forward that call this module (ResNet's BasicBlock calls its
    /// relu twice). 0 for the root and for modules known only by path.
    int callCount = 0;

    /// Returns true when forward calls the module from more than one place.
    /// Such a module is never drawn as one box, because one box would join
    /// its separate calls and draw a cycle.
    bool isShared() const { return callCount > 1; }
};

/// The forward method of a TorchScript module as a dataflow graph.
///
/// Built by extractDataflowGraph() from the inlined forward graph. Constants,
/// attribute reads and list constructions are folded into node attributes, and
/// nodes whose outputs never reach the graph outputs (input checks, training
/// branches) are left out. Plain data: it may be copied across threads.
struct DataflowGraph
{
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
    /// modules[0] is the root module; every node's modulePath names one entry.
    std::vector<GraphModule> modules;
    std::vector<int> inputNodes;  ///< Indices of Role::Input nodes, in argument order.
    std::vector<int> outputNodes; ///< Indices of Role::Output nodes.

    bool isEmpty() const { return nodes.empty(); }
    /// Returns the index of the module with this dotted path, or -1.
    int moduleIndex(const QString &path) const;
    /// Returns the module paths that contain path, outermost first, without
    /// the root: "layer1.0.conv1" gives "layer1", "layer1.0", "layer1.0.conv1".
    static QStringList ancestorPaths(const QString &path);
};

} // namespace halfscope
