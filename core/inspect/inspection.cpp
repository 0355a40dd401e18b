// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/inspection.h"

#include <QRegularExpression>

#include <algorithm>

namespace halfscope {

void TensorCounts::add(const TensorInfo &tensor, bool kindKnown)
{
    if (kindKnown) {
        if (tensor.kind == TensorInfo::Kind::Parameter)
            ++parameters;
        else if (tensor.kind == TensorInfo::Kind::Buffer)
            ++buffers;
    }
    ++tensors;
    elements += tensor.elementCount;
    bytes += tensor.bytes;
}

void TensorCounts::add(const TensorCounts &other)
{
    parameters += other.parameters;
    buffers += other.buffers;
    tensors += other.tensors;
    elements += other.elements;
    bytes += other.bytes;
}

QString ModuleNode::shortTypeName() const
{
    static const QRegularExpression mangle(QStringLiteral("___torch_mangle_\\d+\\."));
    QString text = typeName;
    text.remove(mangle);
    if (text.startsWith(QLatin1String("__torch__.")))
        text.remove(0, int(qstrlen("__torch__.")));
    return text;
}

QString ModuleNode::className() const
{
    return typeName.section(QLatin1Char('.'), -1);
}

QString AttributeInfo::kindText() const
{
    return kind == Kind::Constant ? QStringLiteral("constant") : QStringLiteral("attribute");
}

QString Inspection::kindText() const
{
    return kind == Kind::Checkpoint ? QStringLiteral("checkpoint") : QStringLiteral("torchscript");
}

const MethodInfo *Inspection::findMethod(const QString &modulePath, const QString &name) const
{
    for (const MethodInfo &method : methods) {
        if (method.name == name && method.modulePaths.contains(modulePath))
            return &method;
    }
    return nullptr;
}

namespace {

ModuleNode *findChild(ModuleNode &node, const QString &name)
{
    for (ModuleNode &child : node.children) {
        if (child.name == name)
            return &child;
    }
    return nullptr;
}

/// Returns the deepest module along the tensor name's prefixes; creates the
/// missing ones when createModules is set.
ModuleNode &ownerOf(ModuleNode &root, const QString &tensorName, bool createModules)
{
    const QStringList parts = tensorName.split(QLatin1Char('.'));
    ModuleNode *node = &root;
    for (int i = 0; i + 1 < parts.size(); ++i) {
        ModuleNode *child = findChild(*node, parts[i]);
        if (!child && createModules) {
            ModuleNode created;
            created.name = parts[i];
            created.path = node->path.isEmpty() ? parts[i] : node->path + QLatin1Char('.') + parts[i];
            node->children.push_back(std::move(created));
            child = &node->children.back();
        }
        if (!child)
            break;
        node = child;
    }
    return *node;
}

void addOwnTensor(ModuleNode &node, const TensorInfo &tensor, bool kindKnown)
{
    node.own.add(tensor, kindKnown);
    auto total = std::find_if(node.dtypes.begin(), node.dtypes.end(),
                              [&tensor](const DtypeTotal &entry) { return entry.dtype == tensor.dtype; });
    if (total == node.dtypes.end()) {
        node.dtypes.push_back(DtypeTotal { tensor.dtype, 0, 0, 0 });
        total = node.dtypes.end() - 1;
    }
    total->tensorCount += 1;
    total->elementCount += tensor.elementCount;
    total->bytes += tensor.bytes;
}

void mergeDtypes(std::vector<DtypeTotal> &into, const std::vector<DtypeTotal> &from)
{
    for (const DtypeTotal &entry : from) {
        auto total = std::find_if(into.begin(), into.end(),
                                  [&entry](const DtypeTotal &other) { return other.dtype == entry.dtype; });
        if (total == into.end()) {
            into.push_back(entry);
            continue;
        }
        total->tensorCount += entry.tensorCount;
        total->elementCount += entry.elementCount;
        total->bytes += entry.bytes;
    }
}

/// Sums subtree counts bottom-up; on entry node.dtypes holds only its own tensors.
void sumSubtree(ModuleNode &node)
{
    node.subtree = node.own;
    for (ModuleNode &child : node.children) {
        sumSubtree(child);
        node.subtree.add(child.subtree);
        mergeDtypes(node.dtypes, child.dtypes);
    }
    std::stable_sort(node.dtypes.begin(), node.dtypes.end(),
                     [](const DtypeTotal &a, const DtypeTotal &b) { return a.bytes > b.bytes; });
}

} // namespace

void addTensorsToTree(ModuleNode &root, const std::vector<TensorInfo> &tensors, bool kindKnown,
                      bool createModules)
{
    for (const TensorInfo &tensor : tensors)
        addOwnTensor(ownerOf(root, tensor.name, createModules), tensor, kindKnown);
    sumSubtree(root);
}

const ModuleNode *findModule(const ModuleNode &root, const QString &path)
{
    if (path.isEmpty())
        return &root;
    const ModuleNode *node = &root;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        auto child = std::find_if(node->children.begin(), node->children.end(),
                                  [&part](const ModuleNode &candidate) { return candidate.name == part; });
        if (child == node->children.end())
            return nullptr;
        node = &*child;
    }
    return node;
}

bool isTensorInModule(const QString &tensorName, const QString &modulePath)
{
    if (modulePath.isEmpty())
        return true;
    return tensorName.size() > modulePath.size() && tensorName.startsWith(modulePath)
        && tensorName.at(modulePath.size()) == QLatin1Char('.');
}

QString moduleOfTensor(const QString &tensorName)
{
    const int dot = tensorName.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : tensorName.left(dot);
}

QString describeDtypeMix(const std::vector<DtypeTotal> &dtypes)
{
    int64_t total = 0;
    for (const DtypeTotal &entry : dtypes)
        total += entry.bytes;
    if (dtypes.empty())
        return QString();
    if (dtypes.size() == 1)
        return dtypes.front().dtype;

    QStringList parts;
    for (const DtypeTotal &entry : dtypes) {
        const double percent = total > 0 ? 100.0 * double(entry.bytes) / double(total) : 0.0;
        // Small shares still matter (fp32 left in an fp16 model), so they
        // never round to 0% or let another share round to 100%.
        QString share = QStringLiteral("%1%").arg(qRound(percent));
        if (percent > 0.0 && percent < 1.0)
            share = QStringLiteral("<1%");
        else if (percent > 99.0 && percent < 100.0)
            share = QStringLiteral(">99%");
        parts << entry.dtype + QLatin1Char(' ') + share;
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace halfscope
