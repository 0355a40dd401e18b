// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/picklevalue.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace halfscope {

struct CheckpointData;

/// A dictionary of tensors inside a checkpoint that could be a model's weights.
struct StateDictCandidate
{
    QStringList keyPath;  ///< Keys from the root to the dictionary; empty for the root itself.
    int tensorCount = 0;
    int64_t bytes = 0;

    /// Returns the key path joined with "/", or "(root)".
    QString pathText() const;
};

/// A named tensor of a state dict, before its data is read.
struct NamedTensor
{
    QString name;
    std::shared_ptr<TensorRef> tensor;
};

/// A weights file opened without running any of its code: a torch.save
/// checkpoint (zip format or the legacy format of PyTorch before 1.6), or a
/// safetensors file.
///
/// Opening parses the structure only; tensor data stays in the file until
/// loadTensor() (checkpointdata.h) reads it. Like Model, a Checkpoint is a
/// cheap, immutable handle.
class Checkpoint
{
public:
    enum class Format { TorchZip, TorchLegacy, Safetensors };

    Checkpoint();

    /// Opens a checkpoint; throws Error naming the file when it cannot be
    /// read, is not a checkpoint, or describes data the file does not hold.
    static Checkpoint open(const QString &path);

    bool isNull() const;
    QString path() const;
    QString fileName() const;
    Format format() const;
    /// Returns "torch.save (zip)", "torch.save (legacy)" or "safetensors".
    QString formatName() const;
    /// Returns the unpickled root object; for safetensors a Dict of tensors.
    PickleValuePtr root() const;

    /// Returns the dictionaries whose values are all tensors, largest first:
    /// a state_dict beside metadata, an EMA copy, a pickled module's
    /// parameters. Optimizer state is included only when it is such a dict.
    std::vector<StateDictCandidate> stateDicts() const;

    /// Returns the tensors under keyPath with dotted names. For a pickled
    /// nn.Module the names come from its _parameters, _buffers and _modules,
    /// as module.state_dict() would name them. Throws Error when keyPath does
    /// not lead to a dictionary or module.
    std::vector<NamedTensor> tensorsAt(const QStringList &keyPath) const;

    const std::shared_ptr<const CheckpointData> &data() const { return m_data; }

private:
    explicit Checkpoint(std::shared_ptr<const CheckpointData> data);

    std::shared_ptr<const CheckpointData> m_data;
};

} // namespace halfscope
