// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <opencv2/core/mat.hpp>

namespace halfscope {

/// Largest image file HalfScope reads, in bytes (256 MiB).
constexpr qint64 kMaxImageFileBytes = 256LL * 1024 * 1024;
/// Largest image HalfScope preprocesses, in pixels.
///
/// NOTE: the check runs after decoding. Before it, OpenCV applies its own
/// limit (environment variable CV_IO_MAX_IMAGE_PIXELS, 2^30 by default).
constexpr qint64 kMaxImagePixels = 100LL * 1000 * 1000;

/// Decodes an encoded image (PNG, JPEG, TIFF, BMP, WebP, PNM).
///
/// Returns an 8-bit, 3-channel image in RGB order (CV_8UC3): grayscale is
/// expanded to three channels and an alpha channel is dropped. source names
/// the file in error messages. Throws Error when the bytes are not an image
/// OpenCV can decode.
cv::Mat decodeImage(const QByteArray &encoded, const QString &source);

/// Reads and decodes an image file. Paths with non-ASCII characters work on
/// every platform because the bytes are read through QFile.
cv::Mat decodeImageFile(const QString &path);

} // namespace halfscope
