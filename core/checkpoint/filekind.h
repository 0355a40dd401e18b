// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace halfscope {

/// Kind of content in a weights file, judged from its first records.
enum class WeightsFileKind {
    TorchScript, ///< A torch.jit.save archive: open with Model::load.
    Checkpoint,  ///< Anything else: Checkpoint::open reads it or explains why not.
};

/// Looks at the file's first bytes (and a zip's record names) to choose the
/// reader. Reads no tensor data and validates nothing beyond that.
WeightsFileKind detectWeightsFileKind(const QString &path);

} // namespace halfscope
