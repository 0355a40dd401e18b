// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"

#include <QByteArray>
#include <QString>

namespace halfscope {

/// 8-bit RGB pixels, rows top to bottom without padding (width * 3 bytes per
/// row), for views that must not see OpenCV types.
struct RgbPixels
{
    int width = 0;
    int height = 0;
    QByteArray data; ///< width * height * 3 bytes, R, G, B per pixel.

    bool isNull() const { return width <= 0 || height <= 0; }
};

/// Decodes an image file as a comparison does (EXIF orientation, alpha on
/// white) and shrinks it to fit in maxSide x maxSide, keeping the aspect ratio.
/// Smaller images keep their size. Throws Error naming the file when it
/// cannot be read or decoded.
RgbPixels readThumbnail(const QString &path, int maxSide);

/// Returns the pixels a model receives for this file with this preset: decoded,
/// resized and center-cropped, in RGB, before scaling and mean/std. Throws
/// Error naming the file when it cannot be read or decoded.
RgbPixels readPreprocessedPixels(const QString &path, const PreprocessPreset &preset);

} // namespace halfscope
