// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/preprocessor.h"

#include "common/error.h"
#include "imaging/resample.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

using Interpolation = PreprocessPreset::Interpolation;

cv::Mat resizeTo(const cv::Mat &image, int width, int height, Interpolation interpolation)
{
    if (image.cols == width && image.rows == height)
        return image;
    switch (interpolation) {
    case Interpolation::Bilinear:
        return resampleLikePillow(image, width, height, ResampleFilter::Bilinear);
    case Interpolation::Bicubic:
        return resampleLikePillow(image, width, height, ResampleFilter::Bicubic);
    case Interpolation::Area:
    case Interpolation::Nearest:
        break;
    }
    const bool shrinking = width < image.cols && height < image.rows;
    int flag = shrinking ? cv::INTER_AREA : cv::INTER_LINEAR;
    if (interpolation == Interpolation::Nearest)
        flag = cv::INTER_NEAREST_EXACT;
    cv::Mat resized;
    cv::resize(image, resized, cv::Size(width, height), 0, 0, flag);
    return resized;
}

cv::Mat resizeForPreset(const cv::Mat &image, const PreprocessPreset &preset)
{
    if (preset.resizeMode == PreprocessPreset::ResizeMode::Squash)
        return resizeTo(image, preset.width, preset.height, preset.interpolation);

    // torchvision's Resize(int) truncates the longer side: int(size * long / short).
    const int shorter = std::min(image.cols, image.rows);
    const double scale = double(preset.shorterSide) / double(shorter);
    const int width = image.cols <= image.rows ? preset.shorterSide
                                               : int(std::floor(image.cols * scale));
    const int height = image.rows < image.cols ? preset.shorterSide
                                               : int(std::floor(image.rows * scale));
    return resizeTo(image, std::max(width, 1), std::max(height, 1), preset.interpolation);
}

cv::Mat centerCrop(const cv::Mat &image, int width, int height)
{
    if (width <= 0 || height <= 0)
        return image;
    if (width > image.cols || height > image.rows) {
        // torchvision pads with zeros when the crop is larger than the image.
        cv::Mat padded;
        const int padX = std::max(0, width - image.cols);
        const int padY = std::max(0, height - image.rows);
        cv::copyMakeBorder(image, padded, padY / 2, padY - padY / 2, padX / 2, padX - padX / 2,
                           cv::BORDER_CONSTANT, cv::Scalar::all(0));
        return centerCrop(padded, width, height);
    }
    // torchvision's center_crop uses Python's round(), which rounds halves to
    // even: an odd margin of 101 pixels puts 50 above, not 51. std::nearbyint
    // does the same in the default rounding mode.
    const int top = int(std::nearbyint((image.rows - height) / 2.0));
    const int left = int(std::nearbyint((image.cols - width) / 2.0));
    return image(cv::Rect(left, top, width, height));
}

} // namespace

cv::Mat resizeAndCropImage(const cv::Mat &rgb, const PreprocessPreset &preset)
{
    return centerCrop(resizeForPreset(rgb, preset), preset.cropWidth, preset.cropHeight);
}

torch::Tensor preprocessImage(const cv::Mat &rgb, const PreprocessPreset &preset)
{
    if (rgb.empty() || rgb.type() != CV_8UC3) {
        throw Error(QStringLiteral("Internal error: preprocessing expects an 8-bit RGB image, "
                                   "got type %1.")
                        .arg(rgb.type()));
    }

    cv::Mat cropped = resizeAndCropImage(rgb, preset);
    if (preset.channelOrder == PreprocessPreset::ChannelOrder::Bgr)
        cv::cvtColor(cropped, cropped, cv::COLOR_RGB2BGR);
    cv::Mat scaled;
    cropped.convertTo(scaled, CV_32FC3, double(preset.maxValue) / 255.0);

    // [H, W, 3] interleaved -> [3, H, W] planar, then per-channel mean/std.
    torch::Tensor hwc = torch::from_blob(scaled.data, { scaled.rows, scaled.cols, 3 },
                                         { int64_t(scaled.step1()), 3, 1 }, torch::kFloat32);
    torch::Tensor chw = hwc.permute({ 2, 0, 1 }).contiguous();
    const auto mean = torch::tensor({ preset.mean[0], preset.mean[1], preset.mean[2] })
                          .view({ 3, 1, 1 });
    const auto std = torch::tensor({ preset.std[0], preset.std[1], preset.std[2] })
                         .view({ 3, 1, 1 });
    return chw.sub_(mean).div_(std);
}

} // namespace halfscope
