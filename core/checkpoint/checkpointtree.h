// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"

#include <QString>

#include <vector>

namespace halfscope {

/// One row of a checkpoint's structure, for tree views and text output.
struct CheckpointTreeNode
{
    QString key;       ///< Dictionary key, list index or attribute name.
    QString type;      ///< "dict", "OrderedDict", "Tensor", "argparse.Namespace", ...
    QString value;     ///< Scalar or string value, or a tensor's "float16 [64, 3, 7, 7]".
    QString dtype;     ///< Tensors only.
    int64_t bytes = 0; ///< Tensors: their bytes; containers: the sum of their tensors.
    int tensorCount = 0; ///< Tensors in this subtree.
    bool placeholder = false; ///< An object of a class HalfScope does not rebuild.
    std::vector<CheckpointTreeNode> children;
};

/// Maximum children listed per container; the rest are summarized in one row.
constexpr int kMaxTreeChildren = 1000;

/// Builds the display tree of a checkpoint's root. A cycle, or nesting
/// deeper than 64 levels, ends in a row that reports it.
CheckpointTreeNode buildCheckpointTree(const Checkpoint &checkpoint);

/// Sums tensor bytes per dtype over the tree, largest first. Views that share
/// a storage count once each, as a state_dict's size would.
struct CheckpointDtypeTotal
{
    QString dtype;
    int tensorCount = 0;
    int64_t bytes = 0;
};
std::vector<CheckpointDtypeTotal> summarizeCheckpointDtypes(const CheckpointTreeNode &root);

} // namespace halfscope
