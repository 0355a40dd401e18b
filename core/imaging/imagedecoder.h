// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <opencv2/core/mat.hpp>

namespace halfscope {

/// Largest image file HalfScope reads, in bytes (256 MiB).
constexpr qint64 kMaxImageFileBytes = 256LL * 1024 * 1024;
/// Largest image HalfScope decodes, in pixels.
///
/// For PNG, JPEG, TIFF, WebP, BMP and PNM/PAM/PFM the width and height come
/// from the file's header and the check runs before any pixel is decoded,
/// so a small file that claims a huge size (a decompression bomb) allocates
/// nothing. Other formats are checked after decoding, with OpenCV's own
/// limit applying before it: the environment variable
/// OPENCV_IO_MAX_IMAGE_PIXELS (2^30 by default), which OpenCV 4.6 reads once
/// when its library loads.
constexpr qint64 kMaxImagePixels = 100LL * 1000 * 1000;

/// Settings of decodeImageData() and readImageFile().
struct DecodeOptions
{
    /// Colour that transparent pixels are composited on, in RGB order with
    /// 0..255 per channel.
    cv::Scalar background = cv::Scalar(255, 255, 255);
};

/// Decoded image with what the conversion to 8-bit RGB changed or dropped.
struct DecodedImage
{
    /// Pixels as 8-bit RGB (CV_8UC3), upright.
    cv::Mat rgb;
    /// Parts of the file that were not used, one sentence each, for example
    /// "multi-page TIFF: only the first of 3 pages is used".
    QStringList warnings;
    /// Bits per sample in the file: 1 to 16 for integer samples, 32 or 64 for
    /// floating point. Palette images report 8, the depth of their palette.
    int originalDepthBits = 8;
    /// Channels in the file: 1 (gray), 2 (gray and alpha), 3 (colour),
    /// 4 (colour and alpha, or CMYK). Palette images report 3, or 4 when the
    /// palette has transparency.
    int originalChannels = 3;
};

/// Decodes an encoded image (PNG, JPEG, TIFF, BMP, WebP, PNM) into 8-bit RGB.
///
/// - The EXIF orientation of JPEG, PNG (eXIf chunk) and WebP files is
///   applied, so the result is upright. OpenCV applies the Orientation tag of
///   TIFF files itself.
/// - Grayscale and palette images are expanded to three channels.
/// - Alpha is composited on options.background as
///   alpha * colour + (1 - alpha) * background, with alpha in 0..1. TIFF
///   files with associated (premultiplied) alpha are composited as
///   colour + (1 - alpha) * background.
/// - 16-bit samples are scaled by 255 / 65535 and rounded, so 65535 becomes
///   255. Floating-point samples are taken as 0..1 and clipped (no tone
///   mapping).
/// - CMYK JPEGs are converted to RGB by OpenCV (libjpeg).
/// - Multi-page TIFF files give their first page and a warning.
///
/// source names the file in error messages. Throws Error when the data is
/// empty, truncated or damaged, larger than kMaxImagePixels, or not an image
/// OpenCV can decode.
DecodedImage decodeImageData(const QByteArray &encoded, const QString &source,
                             const DecodeOptions &options = {});

/// Reads a file and decodes it with decodeImageData(). Paths with non-ASCII
/// characters work on every platform because the bytes are read through
/// QFile. Throws Error when the file cannot be read or is larger than
/// kMaxImageFileBytes.
DecodedImage readImageFile(const QString &path, const DecodeOptions &options = {});

/// Returns decodeImageData(encoded, source).rgb and logs its warnings.
cv::Mat decodeImage(const QByteArray &encoded, const QString &source);

/// Returns readImageFile(path).rgb and logs its warnings.
cv::Mat decodeImageFile(const QString &path);

} // namespace halfscope
