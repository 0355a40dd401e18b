// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/picklevalue.h"

#include <QStringList>

namespace halfscope {

int64_t TensorRef::elementCount() const
{
    int64_t count = 1;
    for (int64_t size : sizes)
        count *= size;
    return count;
}

int64_t TensorRef::byteCount() const
{
    return storage ? elementCount() * elementSize(storage->dtype) : 0;
}

QString TensorRef::shapeText() const
{
    QStringList parts;
    for (int64_t size : sizes)
        parts << QString::number(size);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

int elementSize(const QString &dtype)
{
    static const std::pair<const char *, int> sizes[] = {
        { "float64", 8 },   { "float32", 4 }, { "float16", 2 },       { "bfloat16", 2 },
        { "int64", 8 },     { "int32", 4 },   { "int16", 2 },         { "int8", 1 },
        { "uint8", 1 },     { "bool", 1 },    { "complex64", 8 },     { "complex128", 16 },
        { "uint16", 2 },    { "uint32", 4 },  { "uint64", 8 },        { "float8_e4m3fn", 1 },
        { "float8_e5m2", 1 }, { "qint8", 1 }, { "quint8", 1 },        { "qint32", 4 },
    };
    for (const auto &entry : sizes) {
        if (dtype == QLatin1String(entry.first))
            return entry.second;
    }
    return 0;
}

PickleValue::~PickleValue()
{
    std::vector<PickleValuePtr> pending;
    auto detachChildren = [&pending](PickleValue &value) {
        for (PickleValuePtr &item : value.items)
            pending.push_back(std::move(item));
        value.items.clear();
        for (auto &entry : value.entries) {
            pending.push_back(std::move(entry.first));
            pending.push_back(std::move(entry.second));
        }
        value.entries.clear();
        if (value.state)
            pending.push_back(std::move(value.state));
    };
    detachChildren(*this);
    while (!pending.empty()) {
        PickleValuePtr value = std::move(pending.back());
        pending.pop_back();
        // Only the last owner dismantles; the value then dies with no children.
        if (value && value.use_count() == 1)
            detachChildren(*value);
    }
}

PickleValuePtr PickleValue::make(Kind kind)
{
    auto value = std::make_shared<PickleValue>();
    value->kind = kind;
    return value;
}

PickleValuePtr PickleValue::makeInt(int64_t value)
{
    PickleValuePtr result = make(Kind::Int);
    result->intValue = value;
    return result;
}

PickleValuePtr PickleValue::makeString(const QString &value)
{
    PickleValuePtr result = make(Kind::String);
    result->text = value;
    return result;
}

PickleValuePtr PickleValue::find(const QString &key) const
{
    for (const auto &entry : entries) {
        if (entry.first && entry.first->kind == Kind::String && entry.first->text == key)
            return entry.second;
    }
    return nullptr;
}

QString PickleValue::keyText() const
{
    if (kind == Kind::String)
        return text;
    if (kind == Kind::Int)
        return QString::number(intValue);
    return QLatin1Char('<') + typeName() + QLatin1Char('>');
}

QString PickleValue::typeName() const
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("None");
    case Kind::Bool:
        return QStringLiteral("bool");
    case Kind::Int:
        return QStringLiteral("int");
    case Kind::Float:
        return QStringLiteral("float");
    case Kind::String:
        return QStringLiteral("str");
    case Kind::Bytes:
        return QStringLiteral("bytes");
    case Kind::List:
        return annotation.isEmpty() ? QStringLiteral("list") : annotation;
    case Kind::Tuple:
        return annotation.isEmpty() ? QStringLiteral("tuple") : annotation;
    case Kind::Set:
        return QStringLiteral("set");
    case Kind::Dict:
        return annotation.isEmpty() ? QStringLiteral("dict") : annotation;
    case Kind::Tensor:
        return tensor && tensor->isParameter ? QStringLiteral("Parameter") : QStringLiteral("Tensor");
    case Kind::Storage:
        return QStringLiteral("Storage");
    case Kind::Dtype:
        return QStringLiteral("torch.dtype");
    case Kind::Device:
        return QStringLiteral("torch.device");
    case Kind::Global:
        return QStringLiteral("global ") + text;
    case Kind::Object:
        return text;
    }
    return QString();
}

} // namespace halfscope
