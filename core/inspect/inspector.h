// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "inspect/inspection.h"
#include "model/model.h"

namespace halfscope {

/// Reads a loaded model's module tree, tensors, methods (schema, TorchScript
/// code and graph IR) and non-tensor attributes. Calls into LibTorch, so the
/// UI runs it off the GUI thread. Throws Error for a null model.
Inspection inspectModel(const Model &model);

/// Describes a checkpoint in the same structures. The tree and tensors come
/// from its largest state dict, with the dotted prefixes of the tensor names
/// as module paths. The attributes are its scalar entries (epoch,
/// hyper-parameters), and there are no methods. Runs no code from the file
/// and reads no tensor data.
Inspection inspectCheckpoint(const Checkpoint &checkpoint);

/// Opens a TorchScript model or a checkpoint, whichever the file holds, and
/// inspects it. Throws Error naming the file when it cannot be opened.
Inspection inspectFile(const QString &path);

} // namespace halfscope
