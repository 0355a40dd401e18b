// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph/graphextractor.h"

#include "common/error.h"
#include "common/logging.h"
#include "model/modeldata.h"

#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/script.h>

#include <QHash>
#include <QSet>

#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace halfscope {

namespace {

using torch::jit::Block;
using torch::jit::Node;
using torch::jit::Value;

constexpr int kMaxValueTextLength = 80;
constexpr int kMaxSourceTextLength = 400;

QString shortened(const std::string &text, int maxLength)
{
    QString result = QString::fromStdString(text).simplified();
    if (result.size() > maxLength)
        result = result.left(maxLength - 1) + QChar(0x2026);
    return result;
}

QString shapeText(c10::IntArrayRef sizes)
{
    QStringList parts;
    for (const int64_t size : sizes)
        parts << QString::number(size);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

bool isFloatingDtype(const QString &dtype)
{
    return dtype.startsWith(QLatin1String("float")) || dtype == QLatin1String("bfloat16");
}

/// Label for a graph input: the debug name without the ".N" suffix that
/// TorchScript appends to keep names unique ("x.1" gives "x").
QString inputLabel(const Value *value)
{
    const QString name = QString::fromStdString(value->debugName());
    const int dot = name.lastIndexOf(QLatin1Char('.'));
    bool numeric = false;
    if (dot > 0)
        name.mid(dot + 1).toInt(&numeric);
    return numeric ? name.left(dot) : name;
}

/// The module path and the class of each module on a node's inlined call
/// stack, outermost first.
struct ModuleFrames
{
    QStringList names;
    QStringList typeNames;
    /// Call site of each module: the call's source text position, which
    /// distinguishes two calls of one module.
    QStringList callSites;
};

ModuleFrames moduleFramesOf(const Node *node)
{
    ModuleFrames frames;
    const auto callstack = node->callstack();
    if (!callstack)
        return frames;
    for (const auto &entry : (*callstack)->vec()) {
        const auto &info = std::get<2>(entry);
        if (!info)
            continue; // A free function call (torch.nn.functional), not a module.
        const std::string instance = info->instance_name();
        // The inliner names a method call on the calling module itself "SELF".
        if (instance == "SELF" || instance == "INSTANCE_NAME_UNKNOWN")
            continue;
        frames.names << QString::fromStdString(instance);
        const torch::jit::SourceRange &callSite = std::get<1>(entry);
        frames.callSites << QStringLiteral("%1:%2:%3")
                                .arg(quintptr(callSite.source().get()))
                                .arg(callSite.start())
                                .arg(callSite.end());
        const auto classType = info->class_type();
        frames.typeNames << (classType && classType->name()
                                 ? QString::fromStdString(classType->name()->name())
                                 : QString());
    }
    return frames;
}

QString sourceRangeText(const Node *node)
{
    const torch::jit::SourceRange &range = node->sourceRange();
    if (!range.source())
        return QString();
    QString text = shortened(range.str(), kMaxSourceTextLength);
    if (const auto location = range.file_line_col()) {
        const auto &[file, line, column] = *location;
        text = QStringLiteral("%1:%2:%3: %4")
                   .arg(QString::fromStdString(file))
                   .arg(line)
                   .arg(column)
                   .arg(text);
    }
    return text;
}

class GraphExtractor
{
public:
    GraphExtractor(const torch::jit::Module &module, std::shared_ptr<torch::jit::Graph> graph)
        : m_module(module)
        , m_graph(std::move(graph))
    {
    }

    DataflowGraph extract()
    {
        markLiveNodes();
        addInputNodes();
        for (Node *node : m_graph->nodes()) {
            if (m_liveNodes.count(node) && !isFoldable(node) && !isPassThrough(node))
                addOperatorNode(node);
        }
        addOutputNodes();
        buildModuleTree();
        return std::move(m_result);
    }

private:
    bool isTopLevel(const Value *value) const
    {
        return value->node()->owningBlock() == m_graph->block();
    }

    /// Collects values defined outside node that the nested blocks of node
    /// read, so that prim::If and prim::Loop keep their captured inputs.
    void collectCapturedValues(const Block *block, std::vector<const Value *> &values) const
    {
        for (const Node *inner : block->nodes()) {
            for (const Value *input : inner->inputs()) {
                if (isTopLevel(input))
                    values.push_back(input);
            }
            for (const Block *nested : inner->blocks())
                collectCapturedValues(nested, values);
        }
        for (const Value *output : block->outputs()) {
            if (isTopLevel(output))
                values.push_back(output);
        }
    }

    std::vector<const Value *> capturedValues(const Node *node) const
    {
        std::vector<const Value *> values;
        for (const Block *block : node->blocks())
            collectCapturedValues(block, values);
        return values;
    }

    /// Marks the top-level nodes whose outputs reach the graph outputs. The
    /// rest (input checks that raise, training-only branches, unused reads)
    /// does not change the result and is left out.
    void markLiveNodes()
    {
        std::unordered_set<const Value *> liveValues(m_graph->outputs().begin(),
                                                     m_graph->outputs().end());
        std::vector<Node *> nodes(m_graph->nodes().begin(), m_graph->nodes().end());
        for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
            Node *node = *it;
            bool live = false;
            for (const Value *output : node->outputs())
                live = live || liveValues.count(output) > 0;
            if (!live)
                continue;
            m_liveNodes.insert(node);
            for (const Value *input : node->inputs())
                liveValues.insert(input);
            for (const Value *captured : capturedValues(node))
                liveValues.insert(captured);
        }
    }

    bool isFoldable(const Node *node) const
    {
        const auto kind = node->kind();
        if (kind == c10::prim::Constant || kind == c10::prim::GetAttr)
            return true;
        if (kind == c10::prim::ListConstruct || kind == c10::prim::TupleConstruct) {
            for (const Value *input : node->inputs()) {
                if (!isFoldable(input->node()))
                    return false;
            }
            return true;
        }
        return false;
    }

    /// List and tuple constructions of computed values are drawn as edges
    /// from their elements straight to the consumer.
    static bool isPassThrough(const Node *node)
    {
        return node->kind() == c10::prim::ListConstruct || node->kind() == c10::prim::TupleConstruct;
    }

    /// Returns the values whose producers draw edges for value: the value
    /// itself, or the elements of a list or tuple built from computed values.
    std::vector<const Value *> edgeSources(const Value *value) const
    {
        const Node *producer = value->node();
        if (!isPassThrough(producer) || isFoldable(producer))
            return { value };
        std::vector<const Value *> sources;
        for (const Value *input : producer->inputs()) {
            if (isFoldable(input->node()))
                continue;
            const auto inner = edgeSources(input);
            sources.insert(sources.end(), inner.begin(), inner.end());
        }
        return sources;
    }

    /// Returns the dotted attribute path that a chain of prim::GetAttr reads
    /// from the module ("layer1.0.conv1.weight"), or nothing when the chain
    /// does not start at the module itself.
    std::optional<std::string> attributePath(const Value *value) const
    {
        if (value == m_self)
            return std::string();
        const Node *node = value->node();
        if (node->kind() != c10::prim::GetAttr)
            return std::nullopt;
        const auto parent = attributePath(node->input(0));
        if (!parent)
            return std::nullopt;
        const std::string &name = node->s(c10::attr::name);
        return parent->empty() ? name : *parent + "." + name;
    }

    std::optional<c10::IValue> attributeValue(const std::string &path) const
    {
        c10::IValue current = m_module._ivalue();
        for (const QString &part : QString::fromStdString(path).split(QLatin1Char('.'))) {
            if (!current.isObject())
                return std::nullopt;
            const auto object = current.toObject();
            const auto slot = object->type()->findAttributeSlot(part.toStdString());
            if (!slot)
                return std::nullopt;
            current = object->getSlot(*slot);
        }
        return current;
    }

    static QString describe(const c10::IValue &value)
    {
        if (value.isTensor()) {
            const at::Tensor &tensor = value.toTensor();
            return dtypeName(tensor.scalar_type()) + QLatin1Char(' ') + shapeText(tensor.sizes());
        }
        if (value.isNone())
            return QStringLiteral("None");
        if (value.isObject())
            return QString::fromStdString(value.type()->str());
        std::ostringstream stream;
        stream << value;
        return shortened(stream.str(), kMaxValueTextLength);
    }

    /// Returns the text of a folded value: a constant, a module attribute or
    /// a list of those.
    QString foldedText(const Value *value) const
    {
        const Node *node = value->node();
        if (node->kind() == c10::prim::GetAttr) {
            const auto path = attributePath(value);
            if (!path)
                return QString::fromStdString(node->s(c10::attr::name));
            const auto attribute = attributeValue(*path);
            const QString name = QString::fromStdString(*path);
            return attribute ? name + QStringLiteral(": ") + describe(*attribute) : name;
        }
        if (isPassThrough(node)) {
            QStringList parts;
            for (const Value *input : node->inputs())
                parts << foldedText(input);
            return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
        }
        if (const auto constant = torch::jit::toIValue(value))
            return describe(*constant);
        return QString::fromStdString(value->debugName());
    }

    /// Returns the dtype of a module tensor that a folded value reads, if any.
    QString foldedTensorDtype(const Value *value) const
    {
        const auto path = attributePath(value);
        if (!path)
            return QString();
        const auto attribute = attributeValue(*path);
        return attribute && attribute->isTensor() ? dtypeName(attribute->toTensor().scalar_type())
                                                  : QString();
    }

    GraphValue describeValue(const Value *value) const
    {
        GraphValue result;
        result.name = QString::fromStdString(value->debugName());
        result.type = QString::fromStdString(value->type()->str());
        if (const auto tensorType = value->type()->cast<c10::TensorType>()) {
            if (const auto scalarType = tensorType->scalarType())
                result.dtype = dtypeName(*scalarType);
            if (const auto sizes = tensorType->sizes().concrete_sizes())
                result.shape = shapeText(*sizes);
        }
        const auto inferred = m_inferredDtypes.find(value);
        if (result.dtype.isEmpty() && inferred != m_inferredDtypes.end()) {
            result.dtype = inferred->second;
            result.dtypeInferred = true;
        }
        return result;
    }

    static QString argumentName(const Node *node, size_t index)
    {
        const c10::FunctionSchema *schema = node->maybeSchema();
        if (schema && index < schema->arguments().size())
            return QString::fromStdString(schema->arguments()[index].name());
        return QStringLiteral("input %1").arg(index);
    }

    void addEdgesTo(int target, const Value *value)
    {
        for (const Value *source : edgeSources(value)) {
            const auto producer = m_producers.find(source);
            if (producer == m_producers.end())
                continue;
            m_result.edges.push_back({ producer->second, target,
                                       QString::fromStdString(source->debugName()) });
        }
    }

    /// Guesses tensor output dtypes that the TorchScript types leave out:
    /// the dtype of a floating-point parameter the node reads, else the dtype
    /// of its first tensor input with a known dtype.
    QString inferredDtype(const QString &parameterDtype, const GraphNode &node) const
    {
        if (!parameterDtype.isEmpty())
            return parameterDtype;
        for (const GraphValue &input : node.inputs) {
            if (isFloatingDtype(input.dtype))
                return input.dtype;
        }
        return QString();
    }

    void addOperatorNode(Node *node)
    {
        const int index = int(m_result.nodes.size());
        GraphNode result;
        result.kind = QString::fromStdString(node->kind().toQualString());
        result.label = QString::fromStdString(node->kind().toUnqualString());
        result.sourceRange = sourceRangeText(node);
        const ModuleFrames frames = moduleFramesOf(node);
        result.modulePath = frames.names.join(QLatin1Char('.'));
        for (int depth = 0; depth < frames.names.size(); ++depth) {
            const QString path = frames.names.mid(0, depth + 1).join(QLatin1Char('.'));
            if (!frames.typeNames[depth].isEmpty())
                m_moduleTypes.insert(path, frames.typeNames[depth]);
            m_moduleCallSites[path].insert(frames.callSites[depth]);
        }

        QString parameterDtype;
        for (size_t i = 0; i < node->inputs().size(); ++i) {
            const Value *input = node->inputs()[i];
            if (isFoldable(input->node())) {
                result.attributes.push_back({ argumentName(node, i), foldedText(input) });
                const QString dtype = foldedTensorDtype(input);
                if (parameterDtype.isEmpty() && isFloatingDtype(dtype))
                    parameterDtype = dtype;
                continue;
            }
            result.inputs.push_back(describeValue(input));
            addEdgesTo(index, input);
        }
        for (const Value *captured : capturedValues(node)) {
            if (isFoldable(captured->node()))
                continue;
            result.inputs.push_back(describeValue(captured));
            addEdgesTo(index, captured);
        }

        const QString guessedDtype = inferredDtype(parameterDtype, result);
        for (const Value *output : node->outputs()) {
            if (output->type()->cast<c10::TensorType>() && !guessedDtype.isEmpty())
                m_inferredDtypes.emplace(output, guessedDtype);
            result.outputs.push_back(describeValue(output));
            m_producers.emplace(output, index);
        }
        m_result.nodes.push_back(std::move(result));
    }

    void addInputNodes()
    {
        const auto inputs = m_graph->inputs();
        for (size_t i = 0; i < inputs.size(); ++i) {
            const Value *input = inputs[i];
            if (i == 0 && input->type()->cast<c10::ClassType>()) {
                m_self = input; // The module itself; read only through prim::GetAttr.
                continue;
            }
            GraphNode node;
            node.role = GraphNode::Role::Input;
            node.kind = QStringLiteral("prim::Param");
            node.label = inputLabel(input);
            node.outputs.push_back(describeValue(input));
            m_producers.emplace(input, int(m_result.nodes.size()));
            m_result.inputNodes.push_back(int(m_result.nodes.size()));
            m_result.nodes.push_back(std::move(node));
        }
    }

    void addOutputNodes()
    {
        const auto outputs = m_graph->outputs();
        for (size_t i = 0; i < outputs.size(); ++i) {
            const Value *output = outputs[i];
            const int index = int(m_result.nodes.size());
            GraphNode node;
            node.role = GraphNode::Role::Output;
            node.kind = QStringLiteral("prim::Return");
            node.label = outputs.size() == 1 ? QStringLiteral("output")
                                             : QStringLiteral("output %1").arg(i);
            if (isFoldable(output->node()))
                node.attributes.push_back({ QStringLiteral("value"), foldedText(output) });
            else
                node.inputs.push_back(describeValue(output));
            m_result.nodes.push_back(std::move(node));
            m_result.outputNodes.push_back(index);
            addEdgesTo(index, output);
        }
    }

    int ensureModule(const QString &path)
    {
        const auto found = m_moduleIndices.constFind(path);
        if (found != m_moduleIndices.constEnd())
            return found.value();

        const int dot = path.lastIndexOf(QLatin1Char('.'));
        const int parent = ensureModule(dot < 0 ? QString() : path.left(dot));
        GraphModule module;
        module.path = path;
        module.name = path.mid(dot + 1);
        module.typeName = m_moduleTypes.value(path);
        module.callCount = int(m_moduleCallSites.value(path).size());
        module.parent = parent;
        const int index = int(m_result.modules.size());
        m_result.modules.push_back(std::move(module));
        m_result.modules[size_t(parent)].children.push_back(index);
        m_moduleIndices.insert(path, index);
        return index;
    }

    void buildModuleTree()
    {
        GraphModule root;
        const auto rootType = m_module.type();
        root.typeName = rootType->name() ? QString::fromStdString(rootType->name()->name()) : QString();
        root.name = root.typeName;
        m_result.modules.push_back(std::move(root));
        m_moduleIndices.insert(QString(), 0);

        for (size_t i = 0; i < m_result.nodes.size(); ++i) {
            int module = ensureModule(m_result.nodes[i].modulePath);
            m_result.modules[size_t(module)].nodes.push_back(int(i));
            for (; module >= 0; module = m_result.modules[size_t(module)].parent)
                ++m_result.modules[size_t(module)].totalNodeCount;
        }
    }

    const torch::jit::Module &m_module;
    std::shared_ptr<torch::jit::Graph> m_graph;
    const Value *m_self = nullptr;
    DataflowGraph m_result;
    std::unordered_set<const Node *> m_liveNodes;
    std::unordered_map<const Value *, int> m_producers;
    std::unordered_map<const Value *, QString> m_inferredDtypes;
    QHash<QString, QString> m_moduleTypes;
    QHash<QString, QSet<QString>> m_moduleCallSites;
    QHash<QString, int> m_moduleIndices;
};

} // namespace

DataflowGraph extractDataflowGraph(const Model &model)
{
    if (model.isNull())
        throw Error(QStringLiteral("No model is loaded, so there is no graph to show."));
    const torch::jit::Module &module = model.data()->module;
    const auto forward = module.find_method("forward");
    if (!forward) {
        throw Error(QStringLiteral("%1 has no forward method, so it has no graph to show.")
                        .arg(model.fileName()));
    }

    try {
        auto graph = forward->graph()->copy();
        torch::jit::Inline(*graph);
        DataflowGraph result = GraphExtractor(module, std::move(graph)).extract();
        qCInfo(lcModel) << "graph of" << model.path() << "has" << result.nodes.size() << "nodes,"
                        << result.edges.size() << "edges and" << result.modules.size() << "modules";
        return result;
    } catch (const c10::Error &error) {
        qCWarning(lcModel) << "graph extraction failed for" << model.path() << ":"
                           << error.what_without_backtrace();
        throw Error(QStringLiteral("Cannot read the forward graph of %1: %2.")
                        .arg(model.fileName(), firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    }
}

} // namespace halfscope
