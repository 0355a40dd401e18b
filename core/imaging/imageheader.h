// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace halfscope {

/// Container formats whose headers HalfScope reads before decoding.
enum class ImageFormat { Unknown, Png, Jpeg, Tiff, WebP, Bmp, Pnm };

/// TIFF ExtraSamples values: alpha premultiplied into the colour
/// (associated) or stored separately (unassociated).
constexpr int kTiffAssociatedAlpha = 1;
constexpr int kTiffUnassociatedAlpha = 2;

/// Pages of a multi-page TIFF counted at most; more are reported as "at least".
constexpr int kMaxCountedTiffPages = 10000;

/// Facts from the header of an encoded image. A zero width, height, channel
/// count or depth means that the header does not give it.
struct EncodedImageInfo
{
    ImageFormat format = ImageFormat::Unknown;
    quint64 width = 0;
    quint64 height = 0;
    int channels = 0;
    int depthBits = 0;
    /// True when the header declares an alpha channel or a transparent colour.
    bool hasAlpha = false;
    int pageCount = 1;
    /// True when counting stopped at kMaxCountedTiffPages.
    bool pageCountIsLowerBound = false;
    /// ExtraSamples value of the first TIFF page, -1 when absent.
    int tiffExtraSamples = -1;
    /// TIFF-structured EXIF block (JPEG APP1, PNG eXIf or WebP EXIF).
    QByteArray exif;
    /// End of the sentence "the PNG data ..." that describes the damage, or
    /// empty when the header shows none.
    QString defect;
};

/// Returns "PNG", "JPEG", "TIFF", "WebP", "BMP", "PNM" or "image".
QString imageFormatName(ImageFormat format);

/// Reads the size, channels, depth, page count, EXIF block and signs of
/// truncation from an encoded image's headers, without decoding pixels.
/// Every read is bounds-checked; unknown formats give a default info.
EncodedImageInfo inspectImageHeader(const QByteArray &encoded);

/// Returns the EXIF orientation (1 to 8) stored in a TIFF-structured EXIF
/// block, or nothing when the block has none or is malformed.
std::optional<int> exifOrientation(const QByteArray &exif);

} // namespace halfscope
