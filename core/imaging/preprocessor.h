// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"

#include <opencv2/core/mat.hpp>
#include <torch/script.h>

namespace halfscope {

/// Turns an RGB image (CV_8UC3, from decodeImage) into a model input.
///
/// Returns a contiguous [3, H, W] float32 tensor on the CPU, with H and W the
/// preset's output size: values are (pixel / 255 - mean) / std per channel, so
/// they lie in 0..1 when mean is 0 and std is 1. Downscaling uses area
/// interpolation (close to antialiased bilinear); upscaling uses bilinear.
torch::Tensor preprocessImage(const cv::Mat &rgb, const PreprocessPreset &preset);

} // namespace halfscope
