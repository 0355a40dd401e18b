// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/tta.h"

#include <torch/script.h>

namespace halfscope {

/// Expands a batch into its TTA views.
///
/// images: [N, 3, H, W] float32. Returns [N * V, 3, H, W] with V =
/// plan.viewCount(), image-major: rows n * V ... n * V + V - 1 are the views
/// of image n in plan order. Throws Error when a rotation by a quarter turn
/// meets a non-square input, because the views must share one shape.
torch::Tensor expandViews(const torch::Tensor &images, const TtaPlan &plan);

/// Returns the softmax of every view, computed in float32: [N * V, C].
torch::Tensor viewProbabilities(const torch::Tensor &logits);

/// Merges per-view logits into per-image probabilities.
///
/// logits: [N * V, C] in any floating dtype, image-major as expandViews()
/// orders them. Returns [N, C] float32 rows that sum to 1.
torch::Tensor mergeViews(const torch::Tensor &logits, int views, MergeMode mode);

} // namespace halfscope
