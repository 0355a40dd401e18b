// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tensorinfo.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace halfscope {

/// Tensor counts and sizes of a module or a subtree.
struct TensorCounts
{
    int parameters = 0;
    int buffers = 0;
    /// All tensors: parameters + buffers, plus the graph constants of a frozen
    /// model. For checkpoints the kind of a tensor is unknown, so only this
    /// count is set.
    int tensors = 0;
    int64_t elements = 0;
    int64_t bytes = 0;

    void add(const TensorInfo &tensor, bool kindKnown);
    void add(const TensorCounts &other);
};

/// One module of a model, with its submodules.
///
/// For a checkpoint, a node is a dotted prefix of the state dict's tensor
/// names ("layer4.0"), and typeName is empty.
struct ModuleNode
{
    QString name;     ///< Attribute name in the parent module; empty for the root.
    QString path;     ///< Dotted path from the root, "layer4.0.conv1"; empty for the root.
    QString typeName; ///< TorchScript qualified type name, "__torch__.BasicBlock".
    TensorCounts own;     ///< Tensors registered on this module itself.
    TensorCounts subtree; ///< This module and all its submodules.
    /// Tensors of the subtree grouped by dtype, largest byte total first.
    std::vector<DtypeTotal> dtypes;
    std::vector<ModuleNode> children;

    /// Returns the type name without the "__torch__." prefix and the
    /// "___torch_mangle_N." parts that TorchScript adds, for display.
    QString shortTypeName() const;
    /// Returns the last part of the type name: "Conv2d", "BasicBlock".
    QString className() const;
};

/// One argument of a method schema.
struct ArgumentInfo
{
    QString name;
    QString type;         ///< TorchScript annotation: "Tensor", "Optional[int]", ...
    QString defaultValue; ///< Printed as TorchScript prints it; empty with hasDefault false.
    bool hasDefault = false;
};

/// One TorchScript method of a module type. Modules of one type share their
/// methods, so a method is listed once per type with the modules that use it.
struct MethodInfo
{
    QString typeName;        ///< Qualified name of the module type.
    QStringList modulePaths; ///< Dotted paths of the modules of that type; "" is the root.
    QString name;            ///< "forward", ...
    QString schema;          ///< "forward(__torch__.ResNet18 self, Tensor x) -> Tensor".
    std::vector<ArgumentInfo> arguments; ///< Includes "self".
    QString returnType;
    QString code;  ///< TorchScript source as PyTorch's printer writes it (Python's method.code).
    QString graph; ///< The method's graph IR as text (Python's method.graph).
};

/// A non-tensor attribute or constant of one module.
struct AttributeInfo
{
    enum class Kind { Attribute, Constant };

    QString modulePath; ///< Dotted path of the module; "" is the root.
    QString name;       ///< "training", "stride", ...
    QString type;       ///< TorchScript annotation: "bool", "List[int]", "Tuple[int, int]", ...
    QString value;      ///< The value as text; empty when hasValue is false.
    bool hasValue = false; ///< False for values of other types (objects, tensors, ...).
    Kind kind = Kind::Attribute;

    QString kindText() const;
};

/// Everything HalfScope shows about a file's contents, as plain values.
struct Inspection
{
    enum class Kind { TorchScript, Checkpoint };

    QString path;
    Kind kind = Kind::TorchScript;
    QString format; ///< "TorchScript archive", "torch.save (zip)", "safetensors", ...
    /// For checkpoints: keys from the root to the state dict that the tree
    /// and tensors come from (the largest one); empty for the root itself.
    QStringList stateDictPath;
    ModuleNode root;
    std::vector<TensorInfo> tensors;
    std::vector<MethodInfo> methods;
    std::vector<AttributeInfo> attributes;

    bool kindKnown() const { return kind == Kind::TorchScript; }
    /// Returns "torchscript" or "checkpoint", as the JSON output names it.
    QString kindText() const;
    /// Returns the method of the module at modulePath with the given name, or null.
    const MethodInfo *findMethod(const QString &modulePath, const QString &name) const;
};

/// Adds the tensors to the tree: each goes to the module whose path is the
/// longest dotted prefix of its name. With createModules, missing modules are
/// created from the name's prefixes (checkpoints); otherwise a tensor without
/// a matching module goes to the root. Then sums own and subtree counts and
/// the per-subtree dtype totals.
void addTensorsToTree(ModuleNode &root, const std::vector<TensorInfo> &tensors, bool kindKnown,
                      bool createModules);

/// Returns the module at a dotted path, or null.
const ModuleNode *findModule(const ModuleNode &root, const QString &path);

/// Returns whether a tensor's dotted name lies inside the module at
/// modulePath; every tensor lies inside the root ("").
bool isTensorInModule(const QString &tensorName, const QString &modulePath);

/// Returns the dotted path of the module that registers a tensor: the name
/// without its last part, "" for tensors of the root.
QString moduleOfTensor(const QString &tensorName);

/// Returns a one-line dtype mix such as "float16 84% · float32 16%" (by bytes).
QString describeDtypeMix(const std::vector<DtypeTotal> &dtypes);

} // namespace halfscope
