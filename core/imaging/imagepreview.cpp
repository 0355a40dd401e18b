// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/imagepreview.h"

#include "imaging/imagedecoder.h"
#include "imaging/preprocessor.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

RgbPixels toPixels(const cv::Mat &rgb)
{
    RgbPixels pixels;
    pixels.width = rgb.cols;
    pixels.height = rgb.rows;
    const int rowBytes = rgb.cols * 3;
    pixels.data.resize(qsizetype(rowBytes) * rgb.rows);
    for (int y = 0; y < rgb.rows; ++y)
        std::copy_n(rgb.ptr<char>(y), rowBytes, pixels.data.data() + qsizetype(y) * rowBytes);
    return pixels;
}

} // namespace

RgbPixels readThumbnail(const QString &path, int maxSide)
{
    const cv::Mat rgb = readImageFile(path).rgb;
    const double scale = std::min(1.0, double(std::max(maxSide, 1)) / std::max(rgb.cols, rgb.rows));
    if (scale >= 1.0)
        return toPixels(rgb);
    const cv::Size size(std::max(1, int(std::lround(rgb.cols * scale))),
                        std::max(1, int(std::lround(rgb.rows * scale))));
    cv::Mat small;
    cv::resize(rgb, small, size, 0, 0, cv::INTER_AREA);
    return toPixels(small);
}

RgbPixels readPreprocessedPixels(const QString &path, const PreprocessPreset &preset)
{
    return toPixels(resizeAndCropImage(readImageFile(path).rgb, preset));
}

} // namespace halfscope
