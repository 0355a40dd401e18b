// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/imagedecoder.h"
#include "imaging/imageheader.h"

#include "common/error.h"
#include "common/logging.h"

#include <QFile>
#include <QList>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace halfscope {

namespace {

void checkPixelCount(quint64 width, quint64 height, const QString &source)
{
    const quint64 limit = quint64(kMaxImagePixels);
    // Testing each side first keeps the product from overflowing.
    if (width <= limit && height <= limit && width * height <= limit)
        return;
    throw Error(QStringLiteral("Cannot use %1: %2x%3 pixels is more than the limit of %4 "
                               "million pixels. Downscale the image first.")
                    .arg(source)
                    .arg(width)
                    .arg(height)
                    .arg(kMaxImagePixels / 1000000));
}

// ---------------------------------------------------------------------------
// Converting decoded pixels to 8-bit RGB

/// Composites pixels with alpha (gray and alpha, or BGR and alpha, as OpenCV
/// decodes them) on background, writing 8-bit RGB. fullScale is the sample
/// value of full intensity: 255, 65535, or 1 for floating point.
template<typename Sample>
void compositeOnBackground(const cv::Mat &source, double fullScale, bool premultiplied,
                           const cv::Scalar &background, cv::Mat &rgb)
{
    const int channels = source.channels();
    const double toUnit = 1.0 / fullScale;
    const double toByte = 255.0 / fullScale;
    const double backgroundRgb[3] = { background[0], background[1], background[2] };

    rgb.create(source.rows, source.cols, CV_8UC3);
    for (int y = 0; y < source.rows; ++y) {
        const Sample *in = source.ptr<Sample>(y);
        uchar *out = rgb.ptr<uchar>(y);
        for (int x = 0; x < source.cols; ++x, in += channels, out += 3) {
            const double alpha = std::clamp(double(in[channels - 1]) * toUnit, 0.0, 1.0);
            const double colour[3] = { double(in[channels == 2 ? 0 : 2]) * toByte,
                                       double(in[channels == 2 ? 0 : 1]) * toByte,
                                       double(in[0]) * toByte };
            for (int c = 0; c < 3; ++c) {
                const double covered = premultiplied ? colour[c] : alpha * colour[c];
                out[c] = cv::saturate_cast<uchar>(covered + (1.0 - alpha) * backgroundRgb[c]);
            }
        }
    }
}

/// Converts a matrix from cv::imdecode(IMREAD_UNCHANGED) to 8-bit RGB.
cv::Mat convertToRgb8(const cv::Mat &decoded, bool premultiplied, const cv::Scalar &background,
                      const QString &source)
{
    double fullScale = 0;
    switch (decoded.depth()) {
    case CV_8U:
        fullScale = 255.0;
        break;
    case CV_16U:
        fullScale = 65535.0;
        break;
    case CV_32F:
    case CV_64F:
        fullScale = 1.0;
        break;
    default:
        throw Error(QStringLiteral("Cannot use %1: its samples are signed or 32-bit integers, which "
                                   "HalfScope does not convert. Save it as an 8- or 16-bit PNG or "
                                   "TIFF.")
                        .arg(source));
    }

    const int channels = decoded.channels();
    cv::Mat rgb;
    if (channels == 1 || channels == 3) {
        cv::Mat eightBit = decoded;
        // convertTo rounds to the nearest value and saturates, so 16-bit
        // 65535 becomes 255 and 32896 becomes 128.
        if (decoded.depth() != CV_8U)
            decoded.convertTo(eightBit, CV_8U, 255.0 / fullScale);
        cv::cvtColor(eightBit, rgb, channels == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
        return rgb;
    }
    if (channels != 2 && channels != 4) {
        throw Error(QStringLiteral("Cannot use %1: it has %2 channels, and HalfScope reads 1 to 4. "
                                   "Save it as a PNG or TIFF with gray or RGB samples.")
                        .arg(source)
                        .arg(channels));
    }

    switch (decoded.depth()) {
    case CV_8U:
        compositeOnBackground<uchar>(decoded, fullScale, premultiplied, background, rgb);
        break;
    case CV_16U:
        compositeOnBackground<ushort>(decoded, fullScale, premultiplied, background, rgb);
        break;
    case CV_32F:
        compositeOnBackground<float>(decoded, fullScale, premultiplied, background, rgb);
        break;
    default:
        compositeOnBackground<double>(decoded, fullScale, premultiplied, background, rgb);
        break;
    }
    return rgb;
}

/// Returns true when OpenCV returns the TIFF's colour already multiplied by
/// alpha. That is the case for associated alpha, and for unassociated alpha
/// in 8-bit files: OpenCV 4.6 reads those through libtiff's RGBA interface
/// (TIFFReadRGBAStrip and TIFFReadRGBATile), which premultiplies them.
/// OpenCV reads 16-bit samples as stored.
bool decodesPremultiplied(const EncodedImageInfo &info, const cv::Mat &decoded)
{
    if (info.format != ImageFormat::Tiff)
        return false;
    if (info.tiffExtraSamples == kTiffAssociatedAlpha)
        return true;
    return info.tiffExtraSamples == kTiffUnassociatedAlpha && decoded.depth() == CV_8U;
}

/// Turns an image stored with EXIF orientation 1..8 upright (the same
/// transforms as OpenCV's ApplyExifOrientation).
void applyExifOrientation(cv::Mat &image, int orientation)
{
    switch (orientation) {
    case 2: // mirrored horizontally
        cv::flip(image, image, 1);
        break;
    case 3: // rotated by 180 degrees
        cv::flip(image, image, -1);
        break;
    case 4: // mirrored vertically
        cv::flip(image, image, 0);
        break;
    case 5: // mirrored along the main diagonal
        cv::transpose(image, image);
        break;
    case 6: // needs a 90 degree clockwise rotation
        cv::rotate(image, image, cv::ROTATE_90_CLOCKWISE);
        break;
    case 7: // mirrored along the anti-diagonal
        cv::transpose(image, image);
        cv::flip(image, image, -1);
        break;
    case 8: // needs a 90 degree counterclockwise rotation
        cv::rotate(image, image, cv::ROTATE_90_COUNTERCLOCKWISE);
        break;
    default:
        break;
    }
}

int depthBitsOf(const cv::Mat &image)
{
    return int(image.elemSize1()) * 8;
}

void logWarnings(const DecodedImage &image, const QString &source)
{
    for (const QString &warning : image.warnings)
        qCWarning(lcImaging).noquote() << source << ":" << warning;
}

} // namespace

DecodedImage decodeImageData(const QByteArray &encoded, const QString &source,
                             const DecodeOptions &options)
{
    if (encoded.isEmpty())
        throw Error(QStringLiteral("Cannot decode %1: the file is empty.").arg(source));

    const EncodedImageInfo info = inspectImageHeader(encoded);
    checkPixelCount(info.width, info.height, source);
    if (!info.defect.isEmpty()) {
        throw Error(QStringLiteral("Cannot use %1: the %2 data %3. Copy the file again from its source.")
                        .arg(source, imageFormatName(info.format), info.defect));
    }

    const cv::Mat buffer(1, int(encoded.size()), CV_8UC1, const_cast<char *>(encoded.constData()));
    cv::Mat decoded;
    try {
        // IMREAD_UNCHANGED keeps alpha and 16-bit samples. With it OpenCV 4.6
        // ignores EXIF orientation, which is applied below instead.
        decoded = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception &error) {
        throw Error(QStringLiteral("Cannot decode %1: %2.").arg(source, firstLineOf(error.what())),
                    QString::fromUtf8(error.what()));
    }
    if (decoded.empty()) {
        throw Error(QStringLiteral("Cannot decode %1: it is not an image OpenCV can read "
                                   "(PNG, JPEG, TIFF, BMP, WebP, PNM), or it is damaged.")
                        .arg(source));
    }
    checkPixelCount(quint64(decoded.cols), quint64(decoded.rows), source);

    DecodedImage image;
    image.originalDepthBits = info.depthBits > 0 ? info.depthBits : depthBitsOf(decoded);
    image.originalChannels = info.channels > 0 ? info.channels : decoded.channels();
    image.rgb = convertToRgb8(decoded, decodesPremultiplied(info, decoded), options.background, source);
    // OpenCV 4.6 returns one channel, without alpha, for gray TIFF pages
    // with alpha and for gray PNGs with a transparent colour (tRNS).
    if (info.hasAlpha && (decoded.channels() == 1 || decoded.channels() == 3)) {
        image.warnings << QStringLiteral("transparency dropped: OpenCV does not read it from this %1 "
                                         "file, so transparent pixels show their stored colour")
                              .arg(imageFormatName(info.format));
    }

    if (!info.exif.isEmpty()) {
        const std::optional<int> orientation = exifOrientation(info.exif);
        if (orientation)
            applyExifOrientation(image.rgb, *orientation);
        else
            image.warnings << QStringLiteral("unreadable EXIF orientation: the image is used as stored");
    }
    if (info.pageCountIsLowerBound) {
        image.warnings << QStringLiteral("multi-page TIFF: only the first of more than %1 pages is used")
                              .arg(kMaxCountedTiffPages);
    } else if (info.pageCount > 1) {
        image.warnings << QStringLiteral("multi-page TIFF: only the first of %1 pages is used")
                              .arg(info.pageCount);
    }
    return image;
}

DecodedImage readImageFile(const QString &path, const DecodeOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot read the image %1: %2.").arg(path, file.errorString()));
    }
    if (file.size() > kMaxImageFileBytes) {
        throw Error(QStringLiteral("Cannot use %1: the file is %2 MiB, more than the limit of "
                                   "%3 MiB for one image.")
                        .arg(path)
                        .arg(file.size() / (1024 * 1024))
                        .arg(kMaxImageFileBytes / (1024 * 1024)));
    }
    const QByteArray encoded = file.readAll();
    if (encoded.size() != file.size()) {
        throw Error(QStringLiteral("Cannot read the image %1: %2.").arg(path, file.errorString()));
    }
    qCDebug(lcImaging) << "decoding" << path << encoded.size() << "bytes";
    return decodeImageData(encoded, path, options);
}

cv::Mat decodeImage(const QByteArray &encoded, const QString &source)
{
    const DecodedImage image = decodeImageData(encoded, source);
    logWarnings(image, source);
    return image.rgb;
}

cv::Mat decodeImageFile(const QString &path)
{
    const DecodedImage image = readImageFile(path);
    logWarnings(image, path);
    return image.rgb;
}

} // namespace halfscope
