// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <opencv2/core/mat.hpp>

namespace halfscope {

/// Convolution filters of resampleLikePillow().
enum class ResampleFilter {
    Bilinear, ///< Triangle filter, support 1 (Pillow's BILINEAR).
    Bicubic,  ///< Cubic convolution with a = -0.5, support 2 (Pillow's BICUBIC).
};

/// Resizes an 8-bit image the way Pillow's Image.resize does, so that
/// preprocessing matches torchvision's Resize on PIL images.
///
/// When shrinking, the filter is stretched by the scale factor, which
/// antialiases the result. Like Pillow, the image is resampled horizontally,
/// rounded to 8 bits, then resampled vertically, with 22-bit fixed-point
/// weights. Accepts CV_8UC1 and CV_8UC3; returns a new image of the given size.
cv::Mat resampleLikePillow(const cv::Mat &image, int width, int height, ResampleFilter filter);

} // namespace halfscope
