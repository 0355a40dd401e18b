// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/resample.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace halfscope {

namespace {

// Pillow keeps 8 bits for the pixel, 2 for the sign and the overflow margin,
// and the remaining 22 for the fraction of each weight.
constexpr int kPrecisionBits = 32 - 8 - 2;

double bilinearWeight(double x)
{
    x = std::abs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

double bicubicWeight(double x)
{
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0)
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

/// Weights of the input pixels [first, first + count) for one output pixel.
struct Taps
{
    int first = 0;
    int count = 0;
};

/// Fixed-point weights for resampling one axis from inSize to outSize pixels.
struct AxisWeights
{
    int tapsPerPixel = 0;
    std::vector<Taps> taps;        ///< One per output pixel.
    std::vector<int32_t> weights;  ///< tapsPerPixel per output pixel.
};

AxisWeights computeWeights(int inSize, int outSize, ResampleFilter filter)
{
    const double support0 = filter == ResampleFilter::Bilinear ? 1.0 : 2.0;
    const double scale = double(inSize) / double(outSize);
    const double filterScale = std::max(scale, 1.0);
    const double support = support0 * filterScale;
    const double inverseFilterScale = 1.0 / filterScale;

    AxisWeights axis;
    axis.tapsPerPixel = int(std::ceil(support)) * 2 + 1;
    axis.taps.resize(size_t(outSize));
    axis.weights.assign(size_t(outSize) * size_t(axis.tapsPerPixel), 0);

    std::vector<double> raw(size_t(axis.tapsPerPixel));
    for (int out = 0; out < outSize; ++out) {
        const double center = (out + 0.5) * scale;
        const int first = std::max(int(center - support + 0.5), 0);
        const int count = std::min(int(center + support + 0.5), inSize) - first;
        double total = 0.0;
        for (int tap = 0; tap < count; ++tap) {
            const double x = (tap + first - center + 0.5) * inverseFilterScale;
            raw[size_t(tap)] = filter == ResampleFilter::Bilinear ? bilinearWeight(x)
                                                                  : bicubicWeight(x);
            total += raw[size_t(tap)];
        }
        int32_t *weights = axis.weights.data() + size_t(out) * size_t(axis.tapsPerPixel);
        for (int tap = 0; tap < count; ++tap) {
            const double scaled = (total != 0.0 ? raw[size_t(tap)] / total : 0.0)
                * double(1 << kPrecisionBits);
            weights[tap] = int32_t(scaled < 0.0 ? std::trunc(scaled - 0.5)
                                                : std::trunc(scaled + 0.5));
        }
        axis.taps[size_t(out)] = { first, count };
    }
    return axis;
}

uint8_t roundToByte(int64_t sum)
{
    return uint8_t(std::clamp<int64_t>(sum >> kPrecisionBits, 0, 255));
}

cv::Mat resampleRows(const cv::Mat &image, int width, ResampleFilter filter)
{
    const AxisWeights axis = computeWeights(image.cols, width, filter);
    const int channels = image.channels();
    cv::Mat result(image.rows, width, image.type());
    for (int y = 0; y < image.rows; ++y) {
        const uint8_t *in = image.ptr<uint8_t>(y);
        uint8_t *out = result.ptr<uint8_t>(y);
        for (int x = 0; x < width; ++x) {
            const Taps taps = axis.taps[size_t(x)];
            const int32_t *weights = axis.weights.data() + size_t(x) * size_t(axis.tapsPerPixel);
            for (int c = 0; c < channels; ++c) {
                int64_t sum = int64_t(1) << (kPrecisionBits - 1);
                for (int tap = 0; tap < taps.count; ++tap)
                    sum += int64_t(in[(taps.first + tap) * channels + c]) * weights[tap];
                out[x * channels + c] = roundToByte(sum);
            }
        }
    }
    return result;
}

cv::Mat resampleColumns(const cv::Mat &image, int height, ResampleFilter filter)
{
    const AxisWeights axis = computeWeights(image.rows, height, filter);
    const int rowValues = image.cols * image.channels();
    cv::Mat result(height, image.cols, image.type());
    std::vector<int64_t> sums(static_cast<size_t>(rowValues));
    for (int y = 0; y < height; ++y) {
        const Taps taps = axis.taps[size_t(y)];
        const int32_t *weights = axis.weights.data() + size_t(y) * size_t(axis.tapsPerPixel);
        std::fill(sums.begin(), sums.end(), int64_t(1) << (kPrecisionBits - 1));
        for (int tap = 0; tap < taps.count; ++tap) {
            const uint8_t *in = image.ptr<uint8_t>(taps.first + tap);
            const int64_t weight = weights[tap];
            for (int i = 0; i < rowValues; ++i)
                sums[size_t(i)] += int64_t(in[i]) * weight;
        }
        uint8_t *out = result.ptr<uint8_t>(y);
        for (int i = 0; i < rowValues; ++i)
            out[i] = roundToByte(sums[size_t(i)]);
    }
    return result;
}

} // namespace

cv::Mat resampleLikePillow(const cv::Mat &image, int width, int height, ResampleFilter filter)
{
    if (image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3)
        || width <= 0 || height <= 0) {
        throw Error(QStringLiteral("Internal error: resampling expects an 8-bit image with one "
                                   "or three channels and a positive size, got type %1 and "
                                   "%2x%3.")
                        .arg(image.type())
                        .arg(width)
                        .arg(height));
    }
    cv::Mat result = image;
    if (width != image.cols)
        result = resampleRows(result, width, filter);
    if (height != image.rows)
        result = resampleColumns(result, height, filter);
    return result.data == image.data ? image.clone() : result;
}

} // namespace halfscope
