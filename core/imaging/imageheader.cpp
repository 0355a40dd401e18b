// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/imageheader.h"

#include <QList>

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <vector>

namespace halfscope {

namespace {

// ---------------------------------------------------------------------------
// Reading header fields

/// Bounds-checked reads of unsigned integers from encoded bytes. A read
/// outside the data returns 0, so callers check contains() where 0 could be
/// taken for a real value.
class ByteReader
{
public:
    ByteReader(const QByteArray &bytes, bool bigEndian) : m_bytes(bytes), m_bigEndian(bigEndian) { }

    quint64 size() const { return quint64(m_bytes.size()); }

    bool contains(quint64 offset, quint64 length) const
    {
        return offset <= size() && length <= size() - offset;
    }

    quint64 read(quint64 offset, int width) const
    {
        if (!contains(offset, quint64(width)))
            return 0;
        quint64 value = 0;
        for (int i = 0; i < width; ++i) {
            const quint64 byte = quint8(m_bytes[qsizetype(offset) + i]);
            value |= byte << (8 * (m_bigEndian ? width - 1 - i : i));
        }
        return value;
    }

    quint32 u8(quint64 offset) const { return quint32(read(offset, 1)); }
    quint32 u16(quint64 offset) const { return quint32(read(offset, 2)); }
    quint32 u24(quint64 offset) const { return quint32(read(offset, 3)); }
    quint32 u32(quint64 offset) const { return quint32(read(offset, 4)); }
    quint64 u64(quint64 offset) const { return read(offset, 8); }

    QByteArray mid(quint64 offset, quint64 length) const
    {
        if (!contains(offset, length))
            return QByteArray();
        return m_bytes.mid(qsizetype(offset), qsizetype(length));
    }

private:
    const QByteArray &m_bytes;
    bool m_bigEndian;
};

/// One entry of a TIFF image file directory (IFD).
struct TiffEntry
{
    quint16 tag = 0;
    quint16 type = 0;
    quint64 count = 0;
    /// Byte offset of the first value, inside the entry when the values fit.
    quint64 valuesOffset = 0;
};

constexpr quint16 kTiffImageWidth = 256;
constexpr quint16 kTiffImageLength = 257;
constexpr quint16 kTiffBitsPerSample = 258;
constexpr quint16 kTiffStripOffsets = 273;
constexpr quint16 kTiffSamplesPerPixel = 277;
constexpr quint16 kTiffStripByteCounts = 279;
constexpr quint16 kTiffTileOffsets = 324;
constexpr quint16 kTiffTileByteCounts = 325;
constexpr quint16 kTiffExtraSamples = 338;
constexpr quint16 kExifOrientation = 0x0112;



/// Reads the structure of TIFF data: classic TIFF (version 42) and BigTIFF
/// (version 43), either byte order. EXIF blocks use the same structure.
class TiffReader
{
public:
    explicit TiffReader(const QByteArray &bytes)
        : m_reader(bytes, bytes.startsWith("MM"))
    {
        if (!bytes.startsWith("II") && !bytes.startsWith("MM"))
            return;
        const quint32 version = m_reader.u16(2);
        if (version == 42 && m_reader.contains(0, 8)) {
            m_firstIfdOffset = m_reader.u32(4);
            m_valid = true;
        } else if (version == 43 && m_reader.contains(0, 16) && m_reader.u16(4) == 8) {
            m_bigTiff = true;
            m_firstIfdOffset = m_reader.u64(8);
            m_valid = true;
        }
    }

    bool isValid() const { return m_valid; }
    quint64 firstIfdOffset() const { return m_firstIfdOffset; }
    quint64 size() const { return m_reader.size(); }

    /// Reads the directory at offset into entries and nextOffset. Returns
    /// false when the directory does not lie entirely inside the data.
    bool readIfd(quint64 offset, std::vector<TiffEntry> &entries, quint64 &nextOffset) const
    {
        const int countSize = m_bigTiff ? 8 : 2;
        const quint64 entrySize = m_bigTiff ? 20 : 12;
        const int offsetSize = m_bigTiff ? 8 : 4;
        if (!m_reader.contains(offset, quint64(countSize)))
            return false;
        const quint64 count = m_reader.read(offset, countSize);
        // A directory has one entry per tag, and TIFF tags are 16-bit.
        if (count > 0xffff)
            return false;
        const quint64 first = offset + quint64(countSize);
        if (!m_reader.contains(first, count * entrySize + quint64(offsetSize)))
            return false;

        entries.clear();
        entries.reserve(count);
        for (quint64 i = 0; i < count; ++i) {
            const quint64 at = first + i * entrySize;
            TiffEntry entry;
            entry.tag = quint16(m_reader.u16(at));
            entry.type = quint16(m_reader.u16(at + 2));
            entry.count = m_reader.read(at + 4, offsetSize);
            const quint64 field = at + 4 + quint64(offsetSize);
            const quint64 width = valueWidth(entry.type);
            const bool inside = width != 0 && entry.count <= quint64(offsetSize) / width;
            entry.valuesOffset = inside ? field : m_reader.read(field, offsetSize);
            entries.push_back(entry);
        }
        nextOffset = m_reader.read(first + count * entrySize, offsetSize);
        return true;
    }

    /// Returns the integer value at index in entry, or nothing when the entry
    /// is not of an integer type or the value lies outside the data.
    std::optional<quint64> value(const TiffEntry &entry, quint64 index) const
    {
        const quint64 width = valueWidth(entry.type);
        if (!isIntegerType(entry.type) || index >= entry.count || entry.valuesOffset > m_reader.size())
            return std::nullopt;
        const quint64 offset = entry.valuesOffset + index * width;
        if (index > m_reader.size() || !m_reader.contains(offset, width))
            return std::nullopt;
        return m_reader.read(offset, int(width));
    }

private:
    /// Returns the size in bytes of one value of a TIFF field type, 0 for
    /// an unknown type.
    static quint64 valueWidth(quint16 type)
    {
        switch (type) {
        case 1: case 2: case 6: case 7: // BYTE, ASCII, SBYTE, UNDEFINED
            return 1;
        case 3: case 8: // SHORT, SSHORT
            return 2;
        case 4: case 9: case 11: case 13: // LONG, SLONG, FLOAT, IFD
            return 4;
        case 5: case 10: case 12: case 16: case 17: case 18: // RATIONAL ... IFD8
            return 8;
        default:
            return 0;
        }
    }

    static bool isIntegerType(quint16 type)
    {
        return type == 1 || type == 3 || type == 4 || type == 13 || type == 16 || type == 18;
    }

    ByteReader m_reader;
    bool m_valid = false;
    bool m_bigTiff = false;
    quint64 m_firstIfdOffset = 0;
};

const TiffEntry *findEntry(const std::vector<TiffEntry> &entries, quint16 tag)
{
    const auto found = std::find_if(entries.begin(), entries.end(),
                                    [tag](const TiffEntry &entry) { return entry.tag == tag; });
    return found == entries.end() ? nullptr : &*found;
}

/// Returns the EXIF orientation (1..8) stored in a TIFF-structured EXIF
/// block, 1 when the block has no orientation tag, or nothing when the
/// block or the tag is unreadable.
std::optional<int> readExifOrientation(const QByteArray &exif)
{
    const TiffReader tiff(exif);
    std::vector<TiffEntry> entries;
    quint64 nextOffset = 0;
    if (!tiff.isValid() || !tiff.readIfd(tiff.firstIfdOffset(), entries, nextOffset))
        return std::nullopt;
    const TiffEntry *entry = findEntry(entries, kExifOrientation);
    if (!entry)
        return 1;
    const std::optional<quint64> orientation = tiff.value(*entry, 0);
    if (!orientation || *orientation < 1 || *orientation > 8)
        return std::nullopt;
    return int(*orientation);
}

// ---------------------------------------------------------------------------
// Inspecting the encoded data before decoding

QString formatName(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Png:
        return QStringLiteral("PNG");
    case ImageFormat::Jpeg:
        return QStringLiteral("JPEG");
    case ImageFormat::Tiff:
        return QStringLiteral("TIFF");
    case ImageFormat::WebP:
        return QStringLiteral("WebP");
    case ImageFormat::Bmp:
        return QStringLiteral("BMP");
    case ImageFormat::Pnm:
        return QStringLiteral("PNM");
    case ImageFormat::Unknown:
        break;
    }
    return QStringLiteral("image");
}

ImageFormat detectFormat(const QByteArray &encoded)
{
    if (encoded.startsWith("\x89PNG\r\n\x1a\n"))
        return ImageFormat::Png;
    if (encoded.startsWith("\xff\xd8\xff"))
        return ImageFormat::Jpeg;
    if (encoded.startsWith(QByteArray("II*\0", 4)) || encoded.startsWith(QByteArray("MM\0*", 4))
        || encoded.startsWith(QByteArray("II+\0", 4)) || encoded.startsWith(QByteArray("MM\0+", 4)))
        return ImageFormat::Tiff;
    if (encoded.startsWith("RIFF") && encoded.mid(8, 4) == "WEBP")
        return ImageFormat::WebP;
    if (encoded.startsWith("BM"))
        return ImageFormat::Bmp;
    if (encoded.size() >= 3 && encoded[0] == 'P' && QByteArray("1234567Ff").contains(encoded[1])
        && QByteArray(" \t\r\n").contains(encoded[2]))
        return ImageFormat::Pnm;
    return ImageFormat::Unknown;
}

void inspectPng(const QByteArray &encoded, EncodedImageInfo &info)
{
    const ByteReader reader(encoded, true);
    bool hasTransparency = false;
    int colourType = -1;
    int bitDepth = 0;
    bool sawEnd = false;

    quint64 position = 8;
    while (reader.contains(position, 8)) {
        const quint64 length = reader.u32(position);
        const QByteArray type = reader.mid(position + 4, 4);
        const quint64 data = position + 8;
        if (!reader.contains(data, length + 4))
            break;
        if (type == "IHDR" && length >= 13) {
            info.width = reader.u32(data);
            info.height = reader.u32(data + 4);
            bitDepth = int(reader.u8(data + 8));
            colourType = int(reader.u8(data + 9));
        } else if (type == "tRNS") {
            hasTransparency = true;
        } else if (type == "eXIf" && info.exif.isEmpty()) {
            info.exif = reader.mid(data, length);
        } else if (type == "IEND") {
            sawEnd = true;
            break;
        }
        position = data + length + 4;
    }

    info.hasAlpha = hasTransparency || colourType == 4 || colourType == 6;
    const int extraAlpha = hasTransparency ? 1 : 0;
    switch (colourType) {
    case 0: // gray
        info.channels = 1 + extraAlpha;
        break;
    case 2: // RGB
        info.channels = 3 + extraAlpha;
        break;
    case 3: // palette of RGB entries
        info.channels = 3 + extraAlpha;
        bitDepth = 8;
        break;
    case 4: // gray and alpha
        info.channels = 2;
        break;
    case 6: // RGB and alpha
        info.channels = 4;
        break;
    default:
        break;
    }
    info.depthBits = bitDepth;
    if (!sawEnd)
        info.defect = QStringLiteral("is truncated (its IEND chunk is missing), so part of the picture is lost");
}

/// Returns true for the JPEG start-of-frame markers SOF0..SOF15, which are
/// C0..CF without DHT (C4), JPG (C8) and DAC (CC).
bool isStartOfFrame(quint32 marker)
{
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

/// Returns true for JPEG data whose end-of-image marker (FF D9) is missing.
/// libjpeg decodes such a file anyway, filling the lost rows with grey, and
/// only prints a warning, so the check happens here. Trailing bytes after
/// the marker (some cameras append data) are allowed within the last 4 KiB.
bool isTruncatedJpeg(const QByteArray &encoded)
{
    const qsizetype searchFrom = std::max<qsizetype>(2, encoded.size() - 4096);
    return encoded.lastIndexOf("\xff\xd9") < searchFrom;
}

void inspectJpeg(const QByteArray &encoded, EncodedImageInfo &info)
{
    const ByteReader reader(encoded, true);
    quint64 position = 2;
    while (reader.contains(position, 4) && reader.u8(position) == 0xff) {
        const quint32 marker = reader.u8(position + 1);
        if (marker == 0xff) { // fill byte before a marker
            ++position;
            continue;
        }
        if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
            position += 2; // markers without a segment
            continue;
        }
        if (marker == 0xd9 || marker == 0xda) // end of image, start of scan
            break;

        const quint64 length = reader.u16(position + 2);
        const quint64 segment = position + 4;
        if (length < 2 || !reader.contains(segment, length - 2))
            break;
        const quint64 segmentLength = length - 2;
        if (marker == 0xe1 && info.exif.isEmpty() && segmentLength >= 6
            && reader.mid(segment, 6) == QByteArray("Exif\0\0", 6))
            info.exif = reader.mid(segment + 6, segmentLength - 6);
        if (isStartOfFrame(marker) && segmentLength >= 6 && info.width == 0) {
            info.depthBits = int(reader.u8(segment));
            info.height = reader.u16(segment + 1); // 0 when a DNL marker gives it later
            info.width = reader.u16(segment + 3);
            info.channels = int(reader.u8(segment + 5));
        }
        position = segment + segmentLength;
    }

    if (isTruncatedJpeg(encoded)) {
        info.defect = QStringLiteral("is truncated (its end-of-image marker is missing), so part of "
                                     "the picture is lost");
    }
}

/// Checks that the strips or tiles of a TIFF page lie inside the data.
/// Returns the end of the first one that does not, or 0 when all fit.
quint64 tiffPixelDataOverrun(const TiffReader &tiff, const std::vector<TiffEntry> &entries)
{
    const TiffEntry *offsets = findEntry(entries, kTiffStripOffsets);
    const TiffEntry *byteCounts = findEntry(entries, kTiffStripByteCounts);
    if (!offsets) {
        offsets = findEntry(entries, kTiffTileOffsets);
        byteCounts = findEntry(entries, kTiffTileByteCounts);
    }
    // Without byte counts (some writers omit them for uncompressed data) the
    // extent is unknown, and libtiff reports what it cannot read.
    if (!offsets || !byteCounts)
        return 0;

    const quint64 count = std::min(offsets->count, byteCounts->count);
    for (quint64 i = 0; i < count; ++i) {
        const std::optional<quint64> offset = tiff.value(*offsets, i);
        const std::optional<quint64> byteCount = tiff.value(*byteCounts, i);
        // An unreadable table means the directory points past the data.
        if (!offset || !byteCount)
            return tiff.size() + 1;
        if (*offset > tiff.size() || *byteCount > tiff.size() - *offset)
            return *offset + std::min(*byteCount, std::numeric_limits<quint64>::max() - *offset);
    }
    return 0;
}

void inspectTiffFirstPage(const TiffReader &tiff, const std::vector<TiffEntry> &entries,
                          EncodedImageInfo &info)
{
    const auto firstValue = [&](quint16 tag, quint64 fallback) {
        const TiffEntry *entry = findEntry(entries, tag);
        const std::optional<quint64> value = entry ? tiff.value(*entry, 0) : std::nullopt;
        return value.value_or(fallback);
    };
    info.width = firstValue(kTiffImageWidth, 0);
    info.height = firstValue(kTiffImageLength, 0);
    info.depthBits = int(std::min<quint64>(firstValue(kTiffBitsPerSample, 1), 64));
    info.channels = int(std::min<quint64>(firstValue(kTiffSamplesPerPixel, 1), 64));
    if (const TiffEntry *extra = findEntry(entries, kTiffExtraSamples)) {
        if (const std::optional<quint64> value = tiff.value(*extra, 0))
            info.tiffExtraSamples = int(std::min<quint64>(*value, 255));
    }
    info.hasAlpha = info.tiffExtraSamples == kTiffAssociatedAlpha
        || info.tiffExtraSamples == kTiffUnassociatedAlpha;

    if (const quint64 end = tiffPixelDataOverrun(tiff, entries)) {
        info.defect = QStringLiteral("is truncated (the pixel data of page 1 ends at byte %1, but "
                                     "the file has %2 bytes), so part of the picture is lost")
                          .arg(end)
                          .arg(tiff.size());
    }
}

void inspectTiff(const QByteArray &encoded, EncodedImageInfo &info)
{
    const TiffReader tiff(encoded);
    if (!tiff.isValid())
        return; // too short for a header, which OpenCV reports
    std::set<quint64> visited;
    std::vector<TiffEntry> entries;
    quint64 offset = tiff.firstIfdOffset();
    int pages = 0;
    while (offset != 0) {
        if (pages == kMaxCountedTiffPages) {
            info.pageCountIsLowerBound = true;
            break;
        }
        if (!visited.insert(offset).second) {
            info.defect = QStringLiteral("is damaged (the directory of page %1 points back to an "
                                         "earlier page)")
                              .arg(pages);
            return;
        }
        quint64 nextOffset = 0;
        if (!tiff.readIfd(offset, entries, nextOffset)) {
            info.defect = QStringLiteral("is truncated (the directory of page %1 starts at byte %2 "
                                         "and does not fit in the %3 bytes of the file)")
                              .arg(pages + 1)
                              .arg(offset)
                              .arg(tiff.size());
            return;
        }
        ++pages;
        if (pages == 1) {
            inspectTiffFirstPage(tiff, entries, info);
            if (!info.defect.isEmpty())
                return;
        }
        offset = nextOffset;
    }
    info.pageCount = std::max(pages, 1);
}

void inspectWebp(const QByteArray &encoded, EncodedImageInfo &info)
{
    const ByteReader reader(encoded, false);
    const quint64 riffEnd = 8 + quint64(reader.u32(4));
    if (riffEnd > reader.size()) {
        info.defect = QStringLiteral("is truncated (its RIFF header gives %1 bytes, but the file has "
                                     "%2), so part of the picture is lost")
                          .arg(riffEnd)
                          .arg(reader.size());
    }

    bool hasAlpha = false;
    quint64 position = 12;
    while (position + 8 <= riffEnd && reader.contains(position, 8)) {
        const QByteArray fourcc = reader.mid(position, 4);
        const quint64 chunkSize = reader.u32(position + 4);
        const quint64 data = position + 8;
        if (!reader.contains(data, chunkSize))
            break;
        if (fourcc == "VP8X" && chunkSize >= 10) {
            hasAlpha = hasAlpha || (reader.u8(data) & 0x10) != 0;
            info.width = 1 + quint64(reader.u24(data + 4));
            info.height = 1 + quint64(reader.u24(data + 7));
        } else if (fourcc == "VP8 " && chunkSize >= 10 && info.width == 0
                   && reader.mid(data + 3, 3) == "\x9d\x01\x2a") {
            info.width = reader.u16(data + 6) & 0x3fff;
            info.height = reader.u16(data + 8) & 0x3fff;
        } else if (fourcc == "VP8L" && chunkSize >= 5 && reader.u8(data) == 0x2f) {
            const quint32 bits = reader.u32(data + 1);
            if (info.width == 0) {
                info.width = (bits & 0x3fff) + 1;
                info.height = ((bits >> 14) & 0x3fff) + 1;
            }
            hasAlpha = hasAlpha || ((bits >> 28) & 1) != 0;
        } else if (fourcc == "ALPH") {
            hasAlpha = true;
        } else if (fourcc == "EXIF" && info.exif.isEmpty()) {
            info.exif = reader.mid(data, chunkSize);
            // Some writers keep the "Exif\0\0" prefix of the JPEG segment.
            if (info.exif.startsWith(QByteArray("Exif\0\0", 6)))
                info.exif.remove(0, 6);
        }
        position = data + chunkSize + (chunkSize & 1);
    }
    info.hasAlpha = hasAlpha;
    info.channels = hasAlpha ? 4 : 3;
    info.depthBits = 8;
}

void inspectBmp(const QByteArray &encoded, EncodedImageInfo &info)
{
    const ByteReader reader(encoded, false);
    const quint32 headerSize = reader.u32(14);
    if (headerSize == 12 && reader.contains(18, 4)) { // OS/2 BITMAPCOREHEADER
        info.width = reader.u16(18);
        info.height = reader.u16(20);
    } else if (headerSize >= 16 && reader.contains(18, 8)) {
        // Width and height are signed, and a negative height means top-down rows.
        info.width = quint64(std::abs(qint64(qint32(reader.u32(18)))));
        info.height = quint64(std::abs(qint64(qint32(reader.u32(22)))));
    }
}

/// Reads the width and height of PBM, PGM, PPM and PFM ("P1".."P6", "PF",
/// "Pf") and PAM ("P7" with WIDTH and HEIGHT lines) headers.
void inspectPnm(const QByteArray &encoded, EncodedImageInfo &info)
{
    // Headers are a few dozen bytes, but comments can make them longer.
    const QByteArray header = encoded.left(4096);
    QList<QByteArray> tokens;
    qsizetype position = 2;
    while (position < header.size() && tokens.size() < 64) {
        const char character = header[position];
        if (character == '#') {
            const qsizetype lineEnd = header.indexOf('\n', position);
            position = lineEnd < 0 ? header.size() : lineEnd + 1;
        } else if (QByteArray(" \t\r\n").contains(character)) {
            ++position;
        } else {
            const qsizetype start = position;
            while (position < header.size() && !QByteArray(" \t\r\n#").contains(header[position]))
                ++position;
            tokens << header.mid(start, position - start);
            if (tokens.last() == "ENDHDR")
                break;
        }
    }

    bool widthOk = false;
    bool heightOk = false;
    qint64 width = 0;
    qint64 height = 0;
    if (encoded[1] == '7') {
        for (qsizetype i = 0; i + 1 < tokens.size(); ++i) {
            if (tokens[i] == "WIDTH")
                width = tokens[i + 1].toLongLong(&widthOk);
            else if (tokens[i] == "HEIGHT")
                height = tokens[i + 1].toLongLong(&heightOk);
        }
    } else if (tokens.size() >= 2) {
        width = tokens[0].toLongLong(&widthOk);
        height = tokens[1].toLongLong(&heightOk);
    }
    if (widthOk && heightOk && width > 0 && height > 0) {
        info.width = quint64(width);
        info.height = quint64(height);
    }
}

EncodedImageInfo inspectEncodedImage(const QByteArray &encoded)
{
    EncodedImageInfo info;
    info.format = detectFormat(encoded);
    switch (info.format) {
    case ImageFormat::Png:
        inspectPng(encoded, info);
        break;
    case ImageFormat::Jpeg:
        inspectJpeg(encoded, info);
        break;
    case ImageFormat::Tiff:
        inspectTiff(encoded, info);
        break;
    case ImageFormat::WebP:
        inspectWebp(encoded, info);
        break;
    case ImageFormat::Bmp:
        inspectBmp(encoded, info);
        break;
    case ImageFormat::Pnm:
        inspectPnm(encoded, info);
        break;
    case ImageFormat::Unknown:
        break;
    }
    return info;
}


} // namespace

QString imageFormatName(ImageFormat format)
{
    return formatName(format);
}

EncodedImageInfo inspectImageHeader(const QByteArray &encoded)
{
    return inspectEncodedImage(encoded);
}

std::optional<int> exifOrientation(const QByteArray &exif)
{
    return readExifOrientation(exif);
}

} // namespace halfscope
