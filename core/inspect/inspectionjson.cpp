// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/inspectionjson.h"

#include <QJsonArray>

#include <cmath>

namespace halfscope {

namespace {

QJsonObject countsToJson(const TensorCounts &counts, bool kindKnown)
{
    QJsonObject object;
    if (kindKnown) {
        object.insert(QStringLiteral("parameters"), counts.parameters);
        object.insert(QStringLiteral("buffers"), counts.buffers);
    }
    object.insert(QStringLiteral("tensors"), counts.tensors);
    object.insert(QStringLiteral("elements"), qint64(counts.elements));
    object.insert(QStringLiteral("bytes"), qint64(counts.bytes));
    return object;
}

QJsonArray dtypesToJson(const std::vector<DtypeTotal> &dtypes)
{
    QJsonArray array;
    for (const DtypeTotal &total : dtypes) {
        array.append(QJsonObject { { QStringLiteral("dtype"), total.dtype },
                                   { QStringLiteral("tensors"), qint64(total.tensorCount) },
                                   { QStringLiteral("elements"), qint64(total.elementCount) },
                                   { QStringLiteral("bytes"), qint64(total.bytes) } });
    }
    return array;
}

QJsonObject moduleToJson(const ModuleNode &node, bool kindKnown)
{
    QJsonArray children;
    for (const ModuleNode &child : node.children)
        children.append(moduleToJson(child, kindKnown));
    return QJsonObject { { QStringLiteral("name"), node.name },
                         { QStringLiteral("path"), node.path },
                         { QStringLiteral("type"), node.typeName.isEmpty() ? QJsonValue() : QJsonValue(node.typeName) },
                         { QStringLiteral("own"), countsToJson(node.own, kindKnown) },
                         { QStringLiteral("total"), countsToJson(node.subtree, kindKnown) },
                         { QStringLiteral("dtypes"), dtypesToJson(node.dtypes) },
                         { QStringLiteral("children"), children } };
}

QJsonArray tensorsToJson(const std::vector<TensorInfo> &tensors, bool kindKnown)
{
    QJsonArray array;
    for (const TensorInfo &tensor : tensors) {
        QJsonArray shape;
        for (int64_t size : tensor.shape)
            shape.append(qint64(size));
        array.append(QJsonObject { { QStringLiteral("name"), tensor.name },
                                   { QStringLiteral("module"), moduleOfTensor(tensor.name) },
                                   { QStringLiteral("kind"), kindKnown ? tensor.kindText() : QStringLiteral("tensor") },
                                   { QStringLiteral("shape"), shape },
                                   { QStringLiteral("dtype"), tensor.dtype },
                                   { QStringLiteral("device"), tensor.device },
                                   { QStringLiteral("elements"), qint64(tensor.elementCount) },
                                   { QStringLiteral("bytes"), qint64(tensor.bytes) },
                                   { QStringLiteral("requires_grad"), tensor.requiresGrad } });
    }
    return array;
}

QJsonObject methodToJson(const MethodInfo &method)
{
    QJsonArray arguments;
    for (const ArgumentInfo &argument : method.arguments) {
        QJsonObject object { { QStringLiteral("name"), argument.name },
                             { QStringLiteral("type"), argument.type } };
        if (argument.hasDefault)
            object.insert(QStringLiteral("default"), argument.defaultValue);
        arguments.append(object);
    }
    return QJsonObject { { QStringLiteral("type"), method.typeName },
                         { QStringLiteral("modules"), QJsonArray::fromStringList(method.modulePaths) },
                         { QStringLiteral("name"), method.name },
                         { QStringLiteral("schema"), method.schema },
                         { QStringLiteral("arguments"), arguments },
                         { QStringLiteral("returns"), method.returnType },
                         { QStringLiteral("code"), method.code },
                         { QStringLiteral("graph"), method.graph } };
}

QJsonObject attributeToJson(const AttributeInfo &attribute)
{
    return QJsonObject { { QStringLiteral("module"), attribute.modulePath },
                         { QStringLiteral("name"), attribute.name },
                         { QStringLiteral("kind"), attribute.kindText() },
                         { QStringLiteral("type"), attribute.type },
                         { QStringLiteral("value"), attribute.hasValue ? QJsonValue(attribute.value) : QJsonValue() } };
}

QJsonValue finiteOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue();
}

} // namespace

QJsonObject inspectionToJson(const Inspection &inspection)
{
    const bool kindKnown = inspection.kindKnown();
    QJsonObject summary = countsToJson(inspection.root.subtree, kindKnown);
    summary.insert(QStringLiteral("dtypes"), dtypesToJson(inspection.root.dtypes));
    summary.insert(QStringLiteral("modules"), [&inspection] {
        int count = 0;
        std::vector<const ModuleNode *> pending { &inspection.root };
        while (!pending.empty()) {
            const ModuleNode *node = pending.back();
            pending.pop_back();
            ++count;
            for (const ModuleNode &child : node->children)
                pending.push_back(&child);
        }
        return count;
    }());

    QJsonArray methods;
    for (const MethodInfo &method : inspection.methods)
        methods.append(methodToJson(method));
    QJsonArray attributes;
    for (const AttributeInfo &attribute : inspection.attributes)
        attributes.append(attributeToJson(attribute));

    QJsonObject document { { QStringLiteral("schema"), QLatin1String(kInspectSchemaName) },
                           { QStringLiteral("version"), kInspectSchemaVersion },
                           { QStringLiteral("file"), inspection.path },
                           { QStringLiteral("kind"), inspection.kindText() },
                           { QStringLiteral("format"), inspection.format },
                           { QStringLiteral("summary"), summary },
                           { QStringLiteral("modules"), moduleToJson(inspection.root, kindKnown) },
                           { QStringLiteral("tensors"), tensorsToJson(inspection.tensors, kindKnown) },
                           { QStringLiteral("methods"), methods },
                           { QStringLiteral("attributes"), attributes } };
    if (inspection.kind == Inspection::Kind::Checkpoint)
        document.insert(QStringLiteral("state_dict"), QJsonArray::fromStringList(inspection.stateDictPath));
    return document;
}

QJsonObject statisticsToJson(const TensorStatistics &statistics)
{
    return QJsonObject { { QStringLiteral("name"), statistics.name },
                         { QStringLiteral("dtype"), statistics.dtype },
                         { QStringLiteral("elements"), qint64(statistics.elementCount) },
                         { QStringLiteral("finite"), qint64(statistics.finiteCount) },
                         { QStringLiteral("min"), finiteOrNull(statistics.min) },
                         { QStringLiteral("max"), finiteOrNull(statistics.max) },
                         { QStringLiteral("mean"), finiteOrNull(statistics.mean) },
                         { QStringLiteral("std"), finiteOrNull(statistics.std) },
                         { QStringLiteral("zeros"), qint64(statistics.zeroCount) },
                         { QStringLiteral("nan"), qint64(statistics.nanCount) },
                         { QStringLiteral("inf"), qint64(statistics.infCount) },
                         { QStringLiteral("fp16_overflow"), qint64(statistics.fp16OverflowCount) },
                         { QStringLiteral("fp16_subnormal"), qint64(statistics.fp16SubnormalCount) },
                         { QStringLiteral("fp16_underflow"), qint64(statistics.fp16UnderflowCount) } };
}

} // namespace halfscope
