// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>
#include <QString>

#include <cstdint>
#include <vector>

namespace halfscope {

/// Largest JSON header accepted in a safetensors file, in bytes (100 MiB).
/// Longer lengths are rejected before anything is allocated.
constexpr qint64 kMaxSafetensorsHeaderBytes = 100 * 1024 * 1024;

/// One tensor of a safetensors file.
struct SafetensorsEntry
{
    QString name;
    /// PyTorch's dtype name: float64, float32, float16, bfloat16, int64, int32,
    /// int16, int8, uint8, bool, float8_e4m3fn or float8_e5m2.
    QString dtype;
    std::vector<int64_t> shape;
    int64_t elementCount = 0;
    /// Byte offsets in the data section, which starts at SafetensorsHeader::dataOffset.
    int64_t dataBegin = 0;
    int64_t dataEnd = 0;

    int64_t byteCount() const { return dataEnd - dataBegin; }
};

/// The validated header of a safetensors file.
struct SafetensorsHeader
{
    /// Ordered by dataBegin, which is the order of the bytes in the file.
    std::vector<SafetensorsEntry> entries;
    /// The "__metadata__" object: free-form string pairs such as {"format": "pt"}.
    QMap<QString, QString> metadata;
    /// Position of the data section in the file, in bytes: 8 + the header length.
    qint64 dataOffset = 0;
    /// Length of the data section, in bytes. The entries cover it without gaps.
    qint64 dataSize = 0;

    /// Returns the entry named name, or null.
    const SafetensorsEntry *find(const QString &name) const;
};

/// Returns the header length stored in the first 8 bytes of a safetensors
/// file (a little-endian uint64) after checking it against fileSize and
/// kMaxSafetensorsHeaderBytes. source names the file in error messages.
/// Throws Error when prefix has fewer than 8 bytes or the length is invalid.
qint64 parseSafetensorsHeaderLength(QByteArrayView prefix, qint64 fileSize, const QString &source);

/// Parses and validates the JSON header of a safetensors file.
///
/// headerBytes is the header after the 8-byte length, and dataSize is the
/// number of bytes that follow it in the file. Every entry needs a known
/// dtype, a shape of non-negative integers and data_offsets [begin, end]
/// whose length is the element count times the element size. The entries
/// must cover the data section exactly, with no overlaps or gaps. Throws
/// Error naming source, the entry and the problem.
SafetensorsHeader parseSafetensorsHeader(QByteArrayView headerBytes, qint64 dataSize,
                                         const QString &source);

/// Reads and validates the header of the safetensors file at path. Reads
/// only the header, never the tensor data. Throws Error when the file is
/// missing, unreadable or invalid.
SafetensorsHeader readSafetensorsHeader(const QString &path);

/// Reads the bytes of one entry of a header returned by readSafetensorsHeader
/// for the same path: entry.byteCount() bytes, little-endian as stored.
/// Throws Error when the file can no longer be read or its size has changed.
QByteArray readSafetensorsData(const QString &path, const SafetensorsHeader &header,
                               const SafetensorsEntry &entry);

/// Reads the index of a sharded checkpoint (NAME.safetensors.index.json:
/// {"metadata": {...}, "weight_map": {"tensor name": "shard file name"}})
/// and returns tensor name -> absolute shard path.
///
/// Shard names must be plain file names in the folder of the index (no
/// '/', '\\', "." or "..") and the files must exist. Throws Error naming the
/// index file and the tensor otherwise.
QMap<QString, QString> readSafetensorsIndex(const QString &indexPath);

} // namespace halfscope
