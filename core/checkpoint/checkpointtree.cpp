// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpointtree.h"

#include <QSet>

#include <algorithm>
#include <functional>
#include <map>

namespace halfscope {

namespace {

using Kind = PickleValue::Kind;

constexpr int kMaxDepth = 64;
constexpr int kMaxStringLength = 200;

/// Returns a key for display; an empty string key shows as "".
QString keyText(const PickleValuePtr &key)
{
    const QString text = key->keyText();
    return key->kind == Kind::String && text.isEmpty() ? QStringLiteral("\"\"") : text;
}

QString scalarText(const PickleValue &value)
{
    switch (value.kind) {
    case Kind::None:
        return QStringLiteral("None");
    case Kind::Bool:
        return value.boolValue ? QStringLiteral("True") : QStringLiteral("False");
    case Kind::Int:
        return value.annotation == QLatin1String("big") ? value.text : QString::number(value.intValue);
    case Kind::Float:
        return QString::number(value.floatValue, 'g', 8);
    case Kind::String: {
        const QString shown = value.text.size() > kMaxStringLength
            ? value.text.left(kMaxStringLength) + QStringLiteral("…")
            : value.text;
        return QLatin1Char('"') + shown + QLatin1Char('"');
    }
    case Kind::Bytes:
        return QStringLiteral("%1 bytes").arg(value.bytes.size());
    case Kind::Dtype:
    case Kind::Device:
        return value.text;
    case Kind::Global:
        return value.text;
    case Kind::Tensor:
        return value.tensor->storage->dtype + QLatin1Char(' ') + value.tensor->shapeText();
    case Kind::Storage:
        return QStringLiteral("%1 x %2").arg(value.storage->elementCount).arg(value.storage->dtype);
    default:
        return QString();
    }
}

/// Returns true for an nn.Module's bookkeeping attributes that hold nothing
/// (_forward_hooks, _backward_pre_hooks, ...), which would bury its weights.
bool isEmptyPrivateAttribute(const PickleValuePtr &key, const PickleValuePtr &value)
{
    if (key->kind != Kind::String || !key->text.startsWith(QLatin1Char('_')))
        return false;
    if (key->text == QLatin1String("_parameters") || key->text == QLatin1String("_buffers")
        || key->text == QLatin1String("_modules"))
        return false;
    return value->kind == Kind::None || (value->entries.empty() && value->items.empty()
        && (value->kind == Kind::Dict || value->kind == Kind::Set || value->kind == Kind::List));
}

class TreeBuilder
{
public:
    CheckpointTreeNode build(const QString &key, const PickleValuePtr &value, int depth)
    {
        CheckpointTreeNode node;
        node.key = key;
        node.type = value->typeName();
        node.value = scalarText(*value);
        if (value->kind == Kind::Tensor) {
            node.dtype = value->tensor->storage->dtype;
            node.bytes = value->tensor->byteCount();
            node.tensorCount = 1;
            return node;
        }
        node.placeholder = value->kind == Kind::Object && !value->annotation.startsWith(QLatin1String("numpy"));
        if (depth >= kMaxDepth) {
            node.value = QStringLiteral("(nested too deeply to show)");
            return node;
        }
        if (m_ancestors.contains(value.get())) {
            node.value = QStringLiteral("(refers back to a containing value)");
            return node;
        }
        m_ancestors.insert(value.get());
        addChildren(node, value, depth);
        m_ancestors.remove(value.get());
        for (const CheckpointTreeNode &child : node.children) {
            node.bytes += child.bytes;
            node.tensorCount += child.tensorCount;
        }
        if (node.value.isEmpty() && (value->kind == Kind::Dict || value->kind == Kind::List
                                     || value->kind == Kind::Tuple || value->kind == Kind::Set)) {
            const size_t count = value->kind == Kind::Dict ? value->entries.size() : value->items.size();
            node.value = QStringLiteral("%1 items").arg(count);
        }
        if (value->kind == Kind::Tuple && value->annotation == QLatin1String("torch.Size"))
            node.value = sizeText(value);
        return node;
    }

private:
    static QString sizeText(const PickleValuePtr &value)
    {
        QStringList parts;
        for (const PickleValuePtr &item : value->items)
            parts << scalarText(*item);
        return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
    }

    void addChild(CheckpointTreeNode &node, const QString &key, const PickleValuePtr &child, int depth)
    {
        if (int(node.children.size()) == kMaxTreeChildren) {
            CheckpointTreeNode more;
            more.key = QStringLiteral("…");
            more.value = QStringLiteral("more items not listed");
            node.children.push_back(more);
        }
        if (int(node.children.size()) > kMaxTreeChildren)
            return;
        node.children.push_back(build(key, child, depth + 1));
    }

    void addChildren(CheckpointTreeNode &node, const PickleValuePtr &value, int depth)
    {
        for (const auto &entry : value->entries)
            addChild(node, keyText(entry.first), entry.second, depth);
        const bool arguments = value->kind == Kind::Object;
        for (size_t i = 0; i < value->items.size(); ++i) {
            addChild(node, arguments ? QStringLiteral("arg %1").arg(i) : QString::number(i),
                     value->items[i], depth);
        }
        if (value->state && value->kind == Kind::Object) {
            if (value->state->kind == Kind::Dict) {
                const bool module = value->state->find(QStringLiteral("_parameters")) != nullptr;
                for (const auto &entry : value->state->entries) {
                    if (module && isEmptyPrivateAttribute(entry.first, entry.second))
                        continue;
                    addChild(node, keyText(entry.first), entry.second, depth);
                }
            } else {
                addChild(node, QStringLiteral("state"), value->state, depth);
            }
        }
        if (value->state && value->kind == Kind::Dict && value->state->kind == Kind::Dict) {
            // An OrderedDict's attributes, such as a state_dict's _metadata.
            for (const auto &entry : value->state->entries)
                addChild(node, QStringLiteral("(attribute) ") + keyText(entry.first), entry.second, depth);
        }
    }

    QSet<const PickleValue *> m_ancestors;
};

} // namespace

CheckpointTreeNode buildCheckpointTree(const Checkpoint &checkpoint)
{
    if (checkpoint.isNull() || !checkpoint.root())
        return {};
    CheckpointTreeNode root = TreeBuilder().build(checkpoint.fileName(), checkpoint.root(), 0);
    return root;
}

std::vector<CheckpointDtypeTotal> summarizeCheckpointDtypes(const CheckpointTreeNode &root)
{
    std::map<QString, CheckpointDtypeTotal> totals;
    std::function<void(const CheckpointTreeNode &)> visit = [&](const CheckpointTreeNode &node) {
        if (!node.dtype.isEmpty()) {
            CheckpointDtypeTotal &total = totals[node.dtype];
            total.dtype = node.dtype;
            total.tensorCount += 1;
            total.bytes += node.bytes;
        }
        for (const CheckpointTreeNode &child : node.children)
            visit(child);
    };
    visit(root);
    std::vector<CheckpointDtypeTotal> sorted;
    for (const auto &entry : totals)
        sorted.push_back(entry.second);
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.bytes > b.bytes; });
    return sorted;
}

} // namespace halfscope
