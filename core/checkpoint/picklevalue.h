// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace halfscope {

/// A tensor storage named by a checkpoint (a pickle persistent id or a
/// safetensors entry). Only its description: the bytes stay in the file
/// until a reader loads them.
struct StorageRef
{
    QString key;              ///< Record name: "0" for archive/data/0, or a safetensors tensor name.
    QString dtype;            ///< PyTorch's name: "float32", "float16", "bfloat16", "int64", ...
    QString location;         ///< Device it was saved from: "cpu", "cuda:0", ...
    int64_t elementCount = 0; ///< Elements of dtype in the storage.
    int64_t byteOffset = 0;   ///< Where the bytes start in their record or file.
};

/// A tensor as a checkpoint describes it: a view into a storage.
struct TensorRef
{
    std::shared_ptr<StorageRef> storage; ///< Shared by every view of the same storage.
    int64_t storageOffset = 0;           ///< In elements.
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;        ///< In elements.
    bool requiresGrad = false;
    bool isParameter = false;            ///< Pickled as torch.nn.Parameter.

    int64_t elementCount() const;
    /// Returns the bytes the view covers: elementCount() times the element size.
    int64_t byteCount() const;
    QString shapeText() const;
};

/// Returns the size in bytes of one element of a PyTorch dtype name, or 0
/// for an unknown name.
int elementSize(const QString &dtype);

struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

/// One value of an unpickled checkpoint.
///
/// Classes the restricted unpickler does not know become Object
/// placeholders: text names them ("argparse.Namespace"), items keep the
/// constructor arguments and state keeps what BUILD set, so tensors inside a
/// pickled nn.Module are still reachable. Nothing is imported or executed.
struct PickleValue
{
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        List,
        Tuple,
        Set,
        Dict,    ///< dict or collections.OrderedDict, in insertion order.
        Tensor,
        Storage,
        Dtype,   ///< A torch dtype object; text contains its name ("float16").
        Device,  ///< A torch.device; text contains "cuda:0" or "cpu".
        Global,  ///< A class or function reference that was not called; text contains "module.name".
        Object,  ///< Placeholder for an instance of an unknown class.
    };

    Kind kind = Kind::None;
    bool boolValue = false;
    int64_t intValue = 0;
    double floatValue = 0.0;
    /// String value, dtype or device name, or the class name of a Global or Object.
    QString text;
    QByteArray bytes;
    /// Elements of a List, Tuple or Set; constructor arguments of an Object.
    std::vector<PickleValuePtr> items;
    /// Entries of a Dict; keyword arguments (NEWOBJ_EX) of an Object.
    std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries;
    /// State given by BUILD (an Object's __dict__, an OrderedDict's _metadata).
    PickleValuePtr state;
    std::shared_ptr<TensorRef> tensor;
    std::shared_ptr<StorageRef> storage;
    /// Set on a Tuple built by torch.Size, on an Int that overflowed int64
    /// (value in text), and on similar refinements of a Kind.
    QString annotation;

    PickleValue() = default;
    PickleValue(const PickleValue &) = default;
    PickleValue &operator=(const PickleValue &) = default;
    /// Releases nested values iteratively, so that a pickle nested hundreds
    /// of thousands of levels deep cannot overflow the stack on destruction.
    ~PickleValue();

    static PickleValuePtr make(Kind kind);
    static PickleValuePtr makeInt(int64_t value);
    static PickleValuePtr makeString(const QString &value);

    /// Returns the entry of a Dict whose key is the string key, or null.
    PickleValuePtr find(const QString &key) const;
    /// Returns this value as a dictionary key or name part: a string as it
    /// is, an integer in decimal, anything else as "<type>".
    QString keyText() const;
    /// Returns a short type name for display: "dict", "OrderedDict", "list",
    /// "Tensor", "argparse.Namespace", ...
    QString typeName() const;
};

} // namespace halfscope
