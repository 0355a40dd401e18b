// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/model.h"

#include <QString>

namespace halfscope {

/// Saves a model as a TorchScript archive that torch.jit.load reads, with
/// its class names and preprocessing as extra files.
///
/// The file is written atomically, then read back and compared with the
/// model: the same parameters and buffers, dtypes and values. Throws Error
/// naming the file when writing or the check fails, and refuses to
/// overwrite the file the model was loaded from.
void saveModel(const Model &model, const QString &path);

} // namespace halfscope
