// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/model.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace halfscope {

/// Settings of exportModel().
struct ExportOptions
{
    /// Freeze a clone in eval mode (torch::jit::freeze): parameters become
    /// constants of the graph, and BatchNorm after a convolution is folded
    /// into it.
    bool freeze = false;
    /// Also run torch::jit::optimize_for_inference, which freezes first.
    bool optimizeForInference = false;
    /// Cast float32 tensor constants that freezing created back to the
    /// model's precision, when the model had no float32 tensors of its own.
    bool recastFrozenConstants = true;
    /// Allow writing over the file the model was opened from. Callers set
    /// it only after the user confirmed; the CLI never sets it.
    bool overwriteOpenedFile = false;
    /// Preprocessing stored in the archive; empty: the model's embedded one, if any.
    std::optional<PreprocessPreset> preset;
    /// Class names stored in the archive; empty: the model's own, if any.
    QStringList classNames;
};

/// Result of exportModel(): the written file and the checks made on it.
struct ExportReport
{
    QString path;
    qint64 bytes = 0;               ///< Size of the written archive.
    bool frozen = false;
    bool optimized = false;
    QString precision;              ///< "float16", ...: precision of the exported parameters.
    /// Floating-point dtypes of the reloaded module's parameters, buffers and
    /// (when frozen) tensor constants, with counts, for example "float16 x 52".
    QStringList tensorDtypes;
    QString outputDtype;            ///< Dtype of the reloaded model's output on the sample input.
    /// Largest |difference| between the reloaded model and the in-memory
    /// exported module on the sample input; 0 when they agree exactly.
    double reloadDifference = 0.0;
    /// Largest |difference| between the exported (possibly frozen) module
    /// and the unfrozen converted model on the sample input, in float32.
    double freezeDifference = 0.0;
    /// Float32 tensor constants that freezing created in a model whose own
    /// tensors had the lower precision (0 when not frozen).
    int float32ConstantsAfterFreeze = 0;
    int recastConstants = 0;        ///< Of those, how many were cast back.
    QStringList warnings;           ///< Sentences for the user; the export still succeeded.
};

/// Writes the converted model as a TorchScript archive at path, optionally
/// frozen and optimized for inference, with three extra files: the
/// preprocessing (halfscope.preprocess.json), the class names
/// (halfscope.labels.txt) and the conversion settings
/// (halfscope.conversion.json: format "halfscope.conversion", version 1,
/// precision, source_model, frozen, optimized_for_inference,
/// recast_constants). Model::load() reads all three back.
///
/// The archive is built in memory, reloaded, and checked before it is
/// written atomically: parameter and output dtypes must match the exported
/// module, and the reloaded output on a sample input (uniform random values
/// of the preprocessing's size, fixed seed) must equal the exported
/// module's. Throws Error naming the file when a check or the write fails,
/// and when path is the file the model was opened from and
/// options.overwriteOpenedFile is false. The model itself is not changed.
ExportReport exportModel(const Model &model, const QString &path, const ExportOptions &options = {});

} // namespace halfscope
