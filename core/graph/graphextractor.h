// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "graph/dataflowgraph.h"
#include "model/model.h"

namespace halfscope {

/// Builds the dataflow graph of a model's forward method.
///
/// Works on an inlined copy of the forward graph; the model is only read.
/// Each node's module path comes from the inlined call stack that
/// torch::jit::Inline records, so scripted and traced models both work.
/// Runs LibTorch code: call it off the GUI thread. Throws Error naming the
/// file when the model has no forward method.
DataflowGraph extractDataflowGraph(const Model &model);

} // namespace halfscope
