// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "model/model.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace halfscope {

/// Replaces a leading key prefix: keys starting with from start with to instead.
struct KeyPrefixMapping
{
    QString from;
    QString to;
};

/// Settings that match a checkpoint's state dict to a module's parameters and buffers.
struct WeightLoadOptions
{
    /// Key path of the state dict inside the checkpoint (see
    /// Checkpoint::stateDicts()); empty picks the largest candidate.
    QStringList stateDictPath;
    bool stateDictChosen = false; ///< True when stateDictPath was given, even if empty (the root).
    /// Applied to every checkpoint key first, in order.
    std::vector<KeyPrefixMapping> prefixMappings;
    /// Strips the wrappers' prefixes "module." (DataParallel, DDP), "model."
    /// (PyTorch Lightning) and "_orig_mod." (torch.compile) from keys that
    /// would otherwise not match.
    bool stripWrapperPrefixes = true;
};

/// The outcome of matching, like load_state_dict(strict=True)'s report.
struct WeightLoadReport
{
    struct ShapeMismatch
    {
        QString name;
        QString checkpointShape;
        QString modelShape;
    };

    QString stateDictPath;         ///< As StateDictCandidate::pathText().
    QStringList strippedPrefixes;  ///< Wrapper prefixes that were removed.
    QStringList matched;           ///< Module names that receive a tensor.
    QStringList missing;           ///< Module tensors the checkpoint lacks.
    QStringList unexpected;        ///< Checkpoint keys the module lacks (after mapping).
    std::vector<ShapeMismatch> mismatched;

    /// Returns true when every module tensor is matched and nothing is left over.
    bool isComplete() const;
    /// Returns a multi-line summary naming up to 10 keys of each kind.
    QString describe() const;
};

/// Matches the checkpoint's state dict to the architecture's parameters and
/// buffers without reading any tensor data.
WeightLoadReport planWeightLoad(const Model &architecture, const Checkpoint &checkpoint,
                                const WeightLoadOptions &options);

/// Returns a copy of architecture whose matched parameters and buffers hold
/// the checkpoint's values, converted to the architecture's dtypes.
///
/// Throws Error with the report's summary when the match is not complete,
/// unless allowPartial is true; mis-shaped tensors are never loaded. The
/// architecture itself is left unchanged. report, when given, receives the
/// match report.
Model loadWeights(const Model &architecture, const Checkpoint &checkpoint,
                  const WeightLoadOptions &options, bool allowPartial,
                  WeightLoadReport *report = nullptr);

} // namespace halfscope
