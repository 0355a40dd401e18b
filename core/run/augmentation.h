// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/tta.h"

#include <torch/script.h>

namespace halfscope {

/// Expands a batch into its TTA views.
///
/// images: [N, 3, H, W]. Returns [N * V, 3, H, W] with V = viewCount(mode),
/// image-major: rows n * V ... n * V + V - 1 are the views of image n, the
/// identity first.
torch::Tensor expandViews(const torch::Tensor &images, TtaMode mode);

/// Merges per-view logits into per-image probabilities.
///
/// logits: [N * V, C] in any floating dtype, image-major as expandViews()
/// orders them. Returns [N, C] float32: the softmax of each view, computed in
/// float32, averaged over the V views.
torch::Tensor mergeViewProbabilities(const torch::Tensor &logits, int views);

} // namespace halfscope
