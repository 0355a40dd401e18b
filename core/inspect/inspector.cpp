// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/inspector.h"

#include "checkpoint/checkpointtree.h"
#include "checkpoint/filekind.h"
#include "common/error.h"
#include "common/logging.h"
#include "model/modeldata.h"

#include <torch/csrc/jit/serialization/python_print.h>

#include <QFileInfo>
#include <QLocale>

#include <map>
#include <sstream>

namespace halfscope {

namespace {

/// Maximum list, tuple or dict items printed in an attribute value.
constexpr size_t kMaxPrintedItems = 64;

QString typeNameOf(const torch::jit::Module &module)
{
    const auto &name = module.type()->name();
    return name ? QString::fromStdString(name->qualifiedName()) : QString();
}

QString joinPath(const QString &parent, const QString &name)
{
    return parent.isEmpty() ? name : parent + QLatin1Char('.') + name;
}

ModuleNode buildModuleNode(const torch::jit::Module &module, const QString &name, const QString &path)
{
    ModuleNode node;
    node.name = name;
    node.path = path;
    node.typeName = typeNameOf(module);
    for (const auto &child : module.named_children()) {
        const QString childName = QString::fromStdString(child.name);
        node.children.push_back(buildModuleNode(child.value, childName, joinPath(path, childName)));
    }
    return node;
}

QString printed(const c10::IValue &value)
{
    std::ostringstream stream;
    stream << value;
    return QString::fromStdString(stream.str());
}

bool formatValue(const c10::IValue &value, QString &text);

bool formatItems(c10::ArrayRef<c10::IValue> items, QString &text)
{
    QStringList parts;
    for (size_t i = 0; i < items.size() && i < kMaxPrintedItems; ++i) {
        QString part;
        if (!formatValue(items[i], part))
            return false;
        parts << part;
    }
    if (items.size() > kMaxPrintedItems)
        parts << QStringLiteral("… (%1 items)").arg(items.size());
    text = parts.join(QLatin1String(", "));
    return true;
}

/// Formats ints, floats, bools, strings, None and lists, tuples and dicts of
/// them as Python prints them. Returns false for any other type.
bool formatValue(const c10::IValue &value, QString &text)
{
    if (value.isNone()) {
        text = QStringLiteral("None");
    } else if (value.isBool()) {
        text = value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    } else if (value.isInt()) {
        text = QString::number(value.toInt());
    } else if (value.isDouble()) {
        // The shortest text that reads back as the same double, as Python's repr.
        text = QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
        if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')) && !text.contains(QLatin1Char('n')))
            text += QStringLiteral(".0");
    } else if (value.isString() || value.isDevice()) {
        text = printed(value);
    } else if (value.isList()) {
        const c10::List<c10::IValue> list = value.toList();
        const std::vector<c10::IValue> items(list.begin(), list.end());
        QString inner;
        if (!formatItems(items, inner))
            return false;
        text = QLatin1Char('[') + inner + QLatin1Char(']');
    } else if (value.isTuple()) {
        const auto &elements = value.toTupleRef().elements();
        QString inner;
        if (!formatItems(elements, inner))
            return false;
        text = QLatin1Char('(') + inner + (elements.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
    } else if (value.isGenericDict()) {
        QStringList parts;
        for (const auto &entry : value.toGenericDict()) {
            QString key;
            QString item;
            if (!formatValue(entry.key(), key) || !formatValue(entry.value(), item))
                return false;
            parts << key + QStringLiteral(": ") + item;
        }
        text = QLatin1Char('{') + parts.join(QLatin1String(", ")) + QLatin1Char('}');
    } else {
        return false;
    }
    return true;
}

AttributeInfo describeValue(const QString &modulePath, const std::string &name, const c10::TypePtr &type,
                            const c10::IValue &value, AttributeInfo::Kind kind)
{
    AttributeInfo attribute;
    attribute.modulePath = modulePath;
    attribute.name = QString::fromStdString(name);
    attribute.type = QString::fromStdString(type ? type->annotation_str() : value.type()->annotation_str());
    attribute.hasValue = formatValue(value, attribute.value);
    if (!attribute.hasValue)
        attribute.value.clear();
    attribute.kind = kind;
    return attribute;
}

/// Lists the attributes of one module that are neither parameters, buffers
/// nor submodules, then its class constants (Conv2d's stride, padding, ...).
void collectAttributes(const torch::jit::Module &module, const QString &path,
                       std::vector<AttributeInfo> &attributes)
{
    const c10::ClassTypePtr type = module.type();
    for (size_t slot = 0; slot < type->numAttributes(); ++slot) {
        const c10::TypePtr attributeType = type->getAttribute(slot);
        if (type->is_parameter(slot) || type->is_buffer(slot))
            continue;
        const auto classType = attributeType->cast<c10::ClassType>();
        if (classType && classType->is_module())
            continue;
        attributes.push_back(describeValue(path, type->getAttributeName(slot), attributeType,
                                           module._ivalue()->getSlot(slot),
                                           AttributeInfo::Kind::Attribute));
    }
    for (size_t slot = 0; slot < type->numConstants(); ++slot) {
        const std::string &name = type->getConstantName(slot);
        const c10::IValue value = type->getConstant(name);
        attributes.push_back(describeValue(path, name, value.type(), value, AttributeInfo::Kind::Constant));
    }
}

QString returnTypeOf(const c10::FunctionSchema &schema)
{
    QStringList types;
    for (const c10::Argument &result : schema.returns())
        types << QString::fromStdString(result.type()->annotation_str());
    if (types.size() == 1)
        return types.first();
    return QLatin1Char('(') + types.join(QLatin1String(", ")) + QLatin1Char(')');
}

QString codeOf(const torch::jit::Method &method)
{
    std::vector<c10::IValue> constants;
    torch::jit::PrintDepsTable dependencies;
    torch::jit::PythonPrint printer(constants, dependencies);
    printer.printMethod(method.function());
    return QString::fromStdString(printer.str());
}

MethodInfo describeMethod(const torch::jit::Method &method, const QString &typeName, const QString &path)
{
    MethodInfo info;
    info.typeName = typeName;
    info.modulePaths << path;
    info.name = QString::fromStdString(method.name());

    const c10::FunctionSchema &schema = method.function().getSchema();
    std::ostringstream schemaText;
    schemaText << schema;
    info.schema = QString::fromStdString(schemaText.str());
    for (const c10::Argument &argument : schema.arguments()) {
        ArgumentInfo argumentInfo;
        argumentInfo.name = QString::fromStdString(argument.name());
        argumentInfo.type = QString::fromStdString(argument.type()->annotation_str());
        if (argument.default_value()) {
            argumentInfo.hasDefault = true;
            argumentInfo.defaultValue = printed(*argument.default_value());
        }
        info.arguments.push_back(std::move(argumentInfo));
    }
    info.returnType = returnTypeOf(schema);

    try {
        info.code = codeOf(method);
        info.graph = QString::fromStdString(method.graph()->toString());
    } catch (const c10::Error &error) {
        // Only graph functions have code; a builtin method keeps its schema.
        qCWarning(lcModel) << "no code for method" << info.name << "of" << typeName << ":"
                           << error.what_without_backtrace();
    }
    return info;
}

/// Walks all modules: methods once per type (with every module path of that
/// type), attributes per module.
void collectMethodsAndAttributes(const torch::jit::Module &module, const QString &path,
                                 std::map<QString, size_t> &methodIndex, Inspection &inspection)
{
    const QString typeName = typeNameOf(module);
    for (const torch::jit::Method &method : module.get_methods()) {
        const QString key = typeName + QLatin1Char('\n') + QString::fromStdString(method.name());
        const auto found = methodIndex.find(key);
        if (found != methodIndex.end()) {
            inspection.methods[found->second].modulePaths << path;
            continue;
        }
        methodIndex.emplace(key, inspection.methods.size());
        inspection.methods.push_back(describeMethod(method, typeName, path));
    }
    collectAttributes(module, path, inspection.attributes);

    for (const auto &child : module.named_children())
        collectMethodsAndAttributes(child.value, joinPath(path, QString::fromStdString(child.name)),
                                    methodIndex, inspection);
}

TensorInfo describeCheckpointTensor(const NamedTensor &named)
{
    TensorInfo info;
    info.name = named.name;
    info.kind = named.tensor->isParameter ? TensorInfo::Kind::Parameter : TensorInfo::Kind::Buffer;
    info.shape = named.tensor->sizes;
    info.dtype = named.tensor->storage ? named.tensor->storage->dtype : QString();
    info.device = named.tensor->storage ? named.tensor->storage->location : QString();
    info.elementCount = named.tensor->elementCount();
    info.bytes = named.tensor->byteCount();
    info.requiresGrad = named.tensor->requiresGrad;
    return info;
}

/// Lists the scalar and string entries of a checkpoint tree (epoch, learning
/// rate, hyper-parameters) as attributes of the container that holds them;
/// modulePath is that container's key path joined with "/".
void collectCheckpointValues(const CheckpointTreeNode &node, const QString &path,
                             std::vector<AttributeInfo> &attributes)
{
    for (const CheckpointTreeNode &child : node.children) {
        if (child.children.empty() && child.dtype.isEmpty() && !child.value.isEmpty()) {
            AttributeInfo attribute;
            attribute.modulePath = path;
            attribute.name = child.key;
            attribute.type = child.type;
            attribute.value = child.value;
            attribute.hasValue = !child.placeholder;
            attributes.push_back(std::move(attribute));
        }
        if (!child.children.empty())
            collectCheckpointValues(child, path.isEmpty() ? child.key : path + QLatin1Char('/') + child.key,
                                    attributes);
    }
}

} // namespace

Inspection inspectModel(const Model &model)
{
    if (model.isNull())
        throw Error(QStringLiteral("No model to inspect. Open a TorchScript model first."));
    const torch::jit::Module &module = model.data()->module;

    Inspection inspection;
    inspection.path = model.path();
    inspection.kind = Inspection::Kind::TorchScript;
    inspection.format = QStringLiteral("TorchScript archive");
    inspection.tensors = model.tensors();
    try {
        inspection.root = buildModuleNode(module, QString(), QString());
        addTensorsToTree(inspection.root, inspection.tensors, /*kindKnown=*/true, /*createModules=*/false);
        std::map<QString, size_t> methodIndex;
        collectMethodsAndAttributes(module, QString(), methodIndex, inspection);
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Cannot inspect the model %1: %2.")
                        .arg(model.path(), firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    }
    return inspection;
}

Inspection inspectCheckpoint(const Checkpoint &checkpoint)
{
    Inspection inspection;
    inspection.path = checkpoint.path();
    inspection.kind = Inspection::Kind::Checkpoint;
    inspection.format = checkpoint.formatName();

    const std::vector<StateDictCandidate> candidates = checkpoint.stateDicts();
    if (!candidates.empty()) {
        inspection.stateDictPath = candidates.front().keyPath;
        for (const NamedTensor &named : checkpoint.tensorsAt(inspection.stateDictPath))
            inspection.tensors.push_back(describeCheckpointTensor(named));
    }
    addTensorsToTree(inspection.root, inspection.tensors, /*kindKnown=*/false, /*createModules=*/true);
    collectCheckpointValues(buildCheckpointTree(checkpoint), QString(), inspection.attributes);
    return inspection;
}

Inspection inspectFile(const QString &path)
{
    if (QFileInfo(path).isFile() && detectWeightsFileKind(path) == WeightsFileKind::Checkpoint)
        return inspectCheckpoint(Checkpoint::open(path));
    return inspectModel(Model::load(path));
}

} // namespace halfscope
