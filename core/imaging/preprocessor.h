// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"

#include <opencv2/core/mat.hpp>
#include <torch/script.h>

namespace halfscope {

/// Turns an RGB image (CV_8UC3, from decodeImage) into a model input.
///
/// Returns a contiguous [3, H, W] float32 tensor on the CPU, with H and W the
/// preset's output size and channels in the preset's order: values are
/// (pixel / 255 * maxValue - mean) / std per channel, so they lie in 0..1 when
/// maxValue is 1, mean is 0 and std is 1. Resizing uses the preset's
/// interpolation (by default Pillow's antialiased bilinear, as torchvision).
torch::Tensor preprocessImage(const cv::Mat &rgb, const PreprocessPreset &preset);

/// Applies only the preset's resize and center crop to an RGB image
/// (CV_8UC3): the pixels that preprocessImage() scales and normalizes.
cv::Mat resizeAndCropImage(const cv::Mat &rgb, const PreprocessPreset &preset);

} // namespace halfscope
