// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/safetensors.h"

#include "common/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringList>
#include <QVariant>
#include <QtEndian>

#include <algorithm>
#include <limits>

namespace halfscope {

namespace {

struct DtypeInfo
{
    const char *safetensorsName;
    const char *torchName;
    int elementSize; ///< In bytes.
};

constexpr DtypeInfo kDtypes[] = {
    { "F64", "float64", 8 },
    { "F32", "float32", 4 },
    { "F16", "float16", 2 },
    { "BF16", "bfloat16", 2 },
    { "I64", "int64", 8 },
    { "I32", "int32", 4 },
    { "I16", "int16", 2 },
    { "I8", "int8", 1 },
    { "U8", "uint8", 1 },
    { "BOOL", "bool", 1 },
    { "F8_E4M3", "float8_e4m3fn", 1 },
    { "F8_E5M2", "float8_e5m2", 1 },
};

const QString kMetadataKey = QStringLiteral("__metadata__");

// An index has one line of roughly 100 bytes per tensor, so this allows
// about a million tensors.
constexpr qint64 kMaxIndexBytes = 100 * 1024 * 1024;

// Tensor names and JSON values come from the file and can be arbitrarily
// long, so messages show at most this many characters of them.
constexpr qsizetype kMaxShownCharacters = 120;

const DtypeInfo *findDtype(const QString &safetensorsName)
{
    for (const DtypeInfo &info : kDtypes) {
        if (safetensorsName == QLatin1String(info.safetensorsName))
            return &info;
    }
    return nullptr;
}

QString knownDtypeList()
{
    QStringList names;
    for (const DtypeInfo &info : kDtypes)
        names << QLatin1String(info.safetensorsName);
    return names.join(QStringLiteral(", "));
}

QString shortened(const QString &text)
{
    if (text.size() <= kMaxShownCharacters)
        return text;
    return text.left(kMaxShownCharacters) + QStringLiteral("...");
}

QString jsonText(const QJsonValue &value)
{
    QString text;
    if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else if (value.isObject())
        text = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    else if (value.isString())
        text = QLatin1Char('"') + value.toString() + QLatin1Char('"');
    else if (value.isDouble())
        text = value.toVariant().toString();
    else if (value.isBool())
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    else
        text = QStringLiteral("null");
    return shortened(text);
}

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList dimensions;
    for (const int64_t dimension : shape)
        dimensions << QString::number(dimension);
    return QLatin1Char('[') + dimensions.join(QStringLiteral(", ")) + QLatin1Char(']');
}

[[noreturn]] void throwInvalidFile(const QString &source, const QString &problem)
{
    throw Error(QStringLiteral("Invalid safetensors file %1: %2. Download the file again or save "
                               "it again with safetensors.torch.save_file().")
                    .arg(source, problem));
}

[[noreturn]] void throwInvalidEntry(const QString &source, const QString &name,
                                    const QString &problem)
{
    throwInvalidFile(source, QStringLiteral("tensor \"%1\" %2").arg(shortened(name), problem));
}

[[noreturn]] void throwInvalidIndex(const QString &indexPath, const QString &problem,
                                    const QString &advice)
{
    throw Error(QStringLiteral("Invalid safetensors index %1: %2. %3").arg(indexPath, problem, advice));
}

// Returns true and sets *result when value is a JSON number with an integer
// value that fits in int64. Qt 6 stores such numbers as qint64, exactly,
// even when they are written as 1.0 or 1e3. Other numbers become double and
// are rejected here.
bool toInt64(const QJsonValue &value, int64_t *result)
{
    if (!value.isDouble() || value.toVariant().typeId() != QMetaType::LongLong)
        return false;
    *result = value.toInteger();
    return true;
}

QMap<QString, QString> parseMetadata(const QJsonValue &value, const QString &source)
{
    if (!value.isObject()) {
        throwInvalidFile(source, QStringLiteral("\"__metadata__\" is %1, but it must be a JSON "
                                                "object of strings")
                                     .arg(jsonText(value)));
    }
    QMap<QString, QString> metadata;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString()) {
            throwInvalidFile(source, QStringLiteral("\"__metadata__\" has the value %1 for key "
                                                    "\"%2\", but every value must be a string")
                                         .arg(jsonText(it.value()), shortened(it.key())));
        }
        metadata.insert(it.key(), it.value().toString());
    }
    return metadata;
}

std::vector<int64_t> parseShape(const QJsonObject &object, const QString &name,
                                const QString &source, int64_t *elementCount)
{
    const QJsonValue value = object.value(QLatin1String("shape"));
    if (!value.isArray()) {
        throwInvalidEntry(source, name, value.isUndefined()
                              ? QStringLiteral("has no \"shape\"")
                              : QStringLiteral("has \"shape\" %1, which is not a list")
                                    .arg(jsonText(value)));
    }

    const QJsonArray array = value.toArray();
    std::vector<int64_t> shape;
    shape.reserve(size_t(array.size()));
    // Dimensions of size 0 make the count 0, but the product of the others
    // must still fit in int64 because readers compute strides from it.
    int64_t nonZeroProduct = 1;
    bool hasZero = false;
    for (qsizetype i = 0; i < array.size(); ++i) {
        int64_t dimension = 0;
        if (!toInt64(array.at(i), &dimension) || dimension < 0) {
            throwInvalidEntry(source, name,
                              QStringLiteral("has dimension %1 of \"shape\" equal to %2, but "
                                             "dimensions must be non-negative integers")
                                  .arg(QString::number(i), jsonText(array.at(i))));
        }
        shape.push_back(dimension);
        if (dimension == 0) {
            hasZero = true;
            continue;
        }
        if (nonZeroProduct > std::numeric_limits<int64_t>::max() / dimension) {
            throwInvalidEntry(source, name,
                              QStringLiteral("has \"shape\" %1, whose element count does not "
                                             "fit in a 64-bit integer")
                                  .arg(jsonText(value)));
        }
        nonZeroProduct *= dimension;
    }
    *elementCount = hasZero ? 0 : nonZeroProduct;
    return shape;
}

void parseDataOffsets(const QJsonObject &object, const QString &name, qint64 dataSize,
                      const QString &source, SafetensorsEntry *entry)
{
    const QJsonValue value = object.value(QLatin1String("data_offsets"));
    if (value.isUndefined())
        throwInvalidEntry(source, name, QStringLiteral("has no \"data_offsets\""));

    const QJsonArray array = value.toArray();
    int64_t begin = 0;
    int64_t end = 0;
    if (!value.isArray() || array.size() != 2 || !toInt64(array.at(0), &begin)
        || !toInt64(array.at(1), &end) || begin < 0 || end < 0) {
        throwInvalidEntry(source, name,
                          QStringLiteral("has \"data_offsets\" %1, but it must be [begin, end] "
                                         "with two non-negative integers")
                              .arg(jsonText(value)));
    }
    if (begin > end) {
        throwInvalidEntry(source, name,
                          QStringLiteral("has \"data_offsets\" %1, whose begin is after its end")
                              .arg(jsonText(value)));
    }
    if (end > dataSize) {
        throwInvalidEntry(source, name,
                          QStringLiteral("has \"data_offsets\" %1, which end past the data "
                                         "section of %2 bytes (the file may be truncated)")
                              .arg(jsonText(value), QString::number(dataSize)));
    }
    entry->dataBegin = begin;
    entry->dataEnd = end;
}

SafetensorsEntry parseEntry(const QString &name, const QJsonValue &value, qint64 dataSize,
                            const QString &source)
{
    if (!value.isObject()) {
        throwInvalidEntry(source, name, QStringLiteral("is %1, but it must be a JSON object with "
                                                       "\"dtype\", \"shape\" and \"data_offsets\"")
                                            .arg(jsonText(value)));
    }
    const QJsonObject object = value.toObject();

    SafetensorsEntry entry;
    entry.name = name;

    const QJsonValue dtypeValue = object.value(QLatin1String("dtype"));
    if (!dtypeValue.isString()) {
        throwInvalidEntry(source, name, dtypeValue.isUndefined()
                              ? QStringLiteral("has no \"dtype\"")
                              : QStringLiteral("has \"dtype\" %1, which is not a string")
                                    .arg(jsonText(dtypeValue)));
    }
    const DtypeInfo *dtype = findDtype(dtypeValue.toString());
    if (!dtype) {
        throwInvalidEntry(source, name,
                          QStringLiteral("has dtype %1, which HalfScope does not read (known "
                                         "dtypes: %2)")
                              .arg(jsonText(dtypeValue), knownDtypeList()));
    }
    entry.dtype = QLatin1String(dtype->torchName);

    entry.shape = parseShape(object, name, source, &entry.elementCount);
    parseDataOffsets(object, name, dataSize, source, &entry);

    // elementCount * elementSize may overflow, so compare by division.
    const int64_t byteCount = entry.dataEnd - entry.dataBegin;
    if (byteCount % dtype->elementSize != 0 || byteCount / dtype->elementSize != entry.elementCount) {
        throwInvalidEntry(source, name,
                          QStringLiteral("has %1 bytes of data (data_offsets [%2, %3]), but "
                                         "dtype %4 and shape %5 need %6 elements of %7 bytes")
                              .arg(QString::number(byteCount), QString::number(entry.dataBegin),
                                   QString::number(entry.dataEnd),
                                   QLatin1String(dtype->safetensorsName), shapeText(entry.shape),
                                   QString::number(entry.elementCount),
                                   QString::number(dtype->elementSize)));
    }
    return entry;
}

// Sorts the entries by position and checks that they tile [0, dataSize):
// each one starts where the previous one ends, and the last one ends at
// dataSize. Entries of zero bytes may share a position.
void checkCoverage(std::vector<SafetensorsEntry> *entries, qint64 dataSize, const QString &source)
{
    std::sort(entries->begin(), entries->end(),
              [](const SafetensorsEntry &a, const SafetensorsEntry &b) {
                  if (a.dataBegin != b.dataBegin)
                      return a.dataBegin < b.dataBegin;
                  if (a.dataEnd != b.dataEnd)
                      return a.dataEnd < b.dataEnd;
                  return a.name < b.name;
              });

    int64_t expectedBegin = 0;
    const SafetensorsEntry *previous = nullptr;
    for (const SafetensorsEntry &entry : *entries) {
        if (entry.dataBegin < expectedBegin) {
            throwInvalidEntry(source, entry.name,
                              QStringLiteral("has data_offsets [%1, %2], which overlap tensor "
                                             "\"%3\" at [%4, %5]")
                                  .arg(QString::number(entry.dataBegin),
                                       QString::number(entry.dataEnd), shortened(previous->name),
                                       QString::number(previous->dataBegin),
                                       QString::number(previous->dataEnd)));
        }
        if (entry.dataBegin > expectedBegin) {
            const QString after = previous
                ? QStringLiteral("after tensor \"%1\"").arg(shortened(previous->name))
                : QStringLiteral("at the start of the data section");
            throwInvalidEntry(source, entry.name,
                              QStringLiteral("starts at byte %1, which leaves bytes %2 to %1 %3 "
                                             "unused, but tensors must cover the data section "
                                             "without gaps")
                                  .arg(QString::number(entry.dataBegin),
                                       QString::number(expectedBegin), after));
        }
        expectedBegin = entry.dataEnd;
        previous = &entry;
    }

    if (expectedBegin != dataSize) {
        throwInvalidFile(source, QStringLiteral("the data section has %1 bytes, but the tensors "
                                                "end at byte %2, which leaves unused bytes at its "
                                                "end")
                                     .arg(QString::number(dataSize), QString::number(expectedBegin)));
    }
}

} // namespace

const SafetensorsEntry *SafetensorsHeader::find(const QString &name) const
{
    for (const SafetensorsEntry &entry : entries) {
        if (entry.name == name)
            return &entry;
    }
    return nullptr;
}

qint64 parseSafetensorsHeaderLength(QByteArrayView prefix, qint64 fileSize, const QString &source)
{
    if (fileSize == 0)
        throwInvalidFile(source, QStringLiteral("the file is empty"));
    if (fileSize < 8 || prefix.size() < 8) {
        throwInvalidFile(source, QStringLiteral("the file has %1 bytes, fewer than the 8 bytes "
                                                "that store the header length")
                                     .arg(QString::number(std::min<qint64>(fileSize, prefix.size()))));
    }

    const quint64 length = qFromLittleEndian<quint64>(prefix.data());
    if (length > quint64(kMaxSafetensorsHeaderBytes)) {
        throwInvalidFile(source, QStringLiteral("the header length is %1 bytes, more than the "
                                                "maximum of %2 bytes (100 MiB)")
                                     .arg(QString::number(length),
                                          QString::number(kMaxSafetensorsHeaderBytes)));
    }
    if (qint64(length) > fileSize - 8) {
        throwInvalidFile(source, QStringLiteral("the header length is %1 bytes, but only %2 bytes "
                                                "follow it (the file is truncated or not a "
                                                "safetensors file)")
                                     .arg(QString::number(length), QString::number(fileSize - 8)));
    }
    return qint64(length);
}

SafetensorsHeader parseSafetensorsHeader(QByteArrayView headerBytes, qint64 dataSize,
                                         const QString &source)
{
    if (dataSize < 0)
        throwInvalidFile(source, QStringLiteral("the data section has a negative size"));
    if (headerBytes.size() > kMaxSafetensorsHeaderBytes) {
        throwInvalidFile(source, QStringLiteral("the header has %1 bytes, more than the maximum "
                                                "of %2 bytes (100 MiB)")
                                     .arg(QString::number(headerBytes.size()),
                                          QString::number(kMaxSafetensorsHeaderBytes)));
    }
    if (!headerBytes.isValidUtf8())
        throwInvalidFile(source, QStringLiteral("the header is not valid UTF-8"));

    // fromRawData avoids copying a header of up to 100 MiB. The parser reads
    // it only during this call.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(headerBytes.data(), headerBytes.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        throwInvalidFile(source, QStringLiteral("the header is not valid JSON (%1 at byte %2 of the file)")
                                     .arg(parseError.errorString(),
                                          QString::number(8 + qint64(parseError.offset))));
    }
    if (!document.isObject()) {
        throwInvalidFile(source, QStringLiteral("the header is a JSON %1, not an object")
                                     .arg(document.isArray() ? QStringLiteral("array")
                                                             : QStringLiteral("value")));
    }

    SafetensorsHeader header;
    header.dataOffset = 8 + qint64(headerBytes.size());
    header.dataSize = dataSize;

    // NOTE: QJsonDocument keeps only the last of duplicate keys. A dropped
    // duplicate leaves its bytes unused, which checkCoverage() rejects,
    // unless both copies name the same bytes.
    const QJsonObject object = document.object();
    header.entries.reserve(size_t(object.size()));
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == kMetadataKey)
            header.metadata = parseMetadata(it.value(), source);
        else
            header.entries.push_back(parseEntry(it.key(), it.value(), dataSize, source));
    }
    checkCoverage(&header.entries, dataSize, source);
    return header;
}

SafetensorsHeader readSafetensorsHeader(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(QStringLiteral("Safetensors file %1 not found. Check the path.").arg(path));
    if (info.isDir()) {
        throw Error(QStringLiteral("%1 is a folder, not a safetensors file. Choose the "
                                   ".safetensors file inside it.")
                        .arg(path));
    }

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot open safetensors file %1: %2. Check that the file is "
                                   "readable.")
                        .arg(path, file.errorString()));
    }
    const qint64 fileSize = file.size();
    const QByteArray prefix = file.read(8);
    const qint64 headerLength = parseSafetensorsHeaderLength(prefix, fileSize, path);

    const QByteArray headerBytes = file.read(headerLength);
    if (headerBytes.size() != headerLength) {
        throw Error(QStringLiteral("Reading the header of safetensors file %1 failed: %2 of %3 "
                                   "bytes read (%4). Check that the file is not being written.")
                        .arg(path, QString::number(headerBytes.size()),
                             QString::number(headerLength), file.errorString()));
    }
    return parseSafetensorsHeader(headerBytes, fileSize - 8 - headerLength, path);
}

QByteArray readSafetensorsData(const QString &path, const SafetensorsHeader &header,
                               const SafetensorsEntry &entry)
{
    if (entry.dataBegin < 0 || entry.dataBegin > entry.dataEnd || entry.dataEnd > header.dataSize) {
        throw Error(QStringLiteral("Tensor \"%1\" with data_offsets [%2, %3] lies outside the "
                                   "data section of %4 (%5 bytes). Read the header of this file "
                                   "again.")
                        .arg(shortened(entry.name), QString::number(entry.dataBegin),
                             QString::number(entry.dataEnd), path,
                             QString::number(header.dataSize)));
    }

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot open safetensors file %1: %2. Check that the file is "
                                   "readable.")
                        .arg(path, file.errorString()));
    }
    const qint64 expectedSize = header.dataOffset + header.dataSize;
    if (file.size() != expectedSize) {
        throw Error(QStringLiteral("Safetensors file %1 changed after its header was read: it has "
                                   "%2 bytes instead of %3. Open it again.")
                        .arg(path, QString::number(file.size()), QString::number(expectedSize)));
    }

    const qint64 byteCount = entry.byteCount();
    QByteArray bytes;
    if (file.seek(header.dataOffset + entry.dataBegin))
        bytes = file.read(byteCount);
    if (bytes.size() != byteCount) {
        throw Error(QStringLiteral("Reading tensor \"%1\" from safetensors file %2 failed: %3 of "
                                   "%4 bytes read (%5). Check that the file is not being written.")
                        .arg(shortened(entry.name), path, QString::number(bytes.size()),
                             QString::number(byteCount), file.errorString()));
    }
    return bytes;
}

namespace {

bool isPlainFileName(const QString &name)
{
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..")
        && !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\'))
        && !name.contains(QChar(u'\0'));
}

QJsonObject readIndexObject(const QString &indexPath)
{
    const QFileInfo info(indexPath);
    if (!info.isFile()) {
        throw Error(QStringLiteral("Safetensors index %1 not found. Check the path.")
                        .arg(indexPath));
    }
    const QString advice = QStringLiteral("Download the index file again.");
    if (info.size() > kMaxIndexBytes) {
        throwInvalidIndex(indexPath, QStringLiteral("the file has %1 bytes, more than the maximum "
                                                    "of %2 bytes (100 MiB)")
                                         .arg(QString::number(info.size()),
                                              QString::number(kMaxIndexBytes)),
                          advice);
    }

    QFile file(indexPath);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot open safetensors index %1: %2. Check that the file is "
                                   "readable.")
                        .arg(indexPath, file.errorString()));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.read(kMaxIndexBytes), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        throwInvalidIndex(indexPath, QStringLiteral("not valid JSON (%1 at byte %2)")
                                         .arg(parseError.errorString(),
                                              QString::number(parseError.offset)),
                          advice);
    }
    if (!document.isObject())
        throwInvalidIndex(indexPath, QStringLiteral("the file is not a JSON object"), advice);
    return document.object();
}

} // namespace

QMap<QString, QString> readSafetensorsIndex(const QString &indexPath)
{
    const QJsonObject object = readIndexObject(indexPath);
    const QString advice = QStringLiteral("Download the index file again.");

    const QJsonValue metadata = object.value(QLatin1String("metadata"));
    if (!metadata.isUndefined() && !metadata.isObject() && !metadata.isNull()) {
        throwInvalidIndex(indexPath, QStringLiteral("\"metadata\" is %1, not a JSON object")
                                         .arg(jsonText(metadata)),
                          advice);
    }
    const QJsonValue weightMapValue = object.value(QLatin1String("weight_map"));
    if (!weightMapValue.isObject()) {
        throwInvalidIndex(indexPath, weightMapValue.isUndefined()
                              ? QStringLiteral("it has no \"weight_map\"")
                              : QStringLiteral("\"weight_map\" is %1, not a JSON object")
                                    .arg(jsonText(weightMapValue)),
                          advice);
    }
    const QJsonObject weightMap = weightMapValue.toObject();
    if (weightMap.isEmpty())
        throwInvalidIndex(indexPath, QStringLiteral("\"weight_map\" lists no tensors"), advice);

    const QDir folder = QFileInfo(indexPath).absoluteDir();
    QSet<QString> checkedShards;
    QMap<QString, QString> shardPaths;
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        const QString tensorName = shortened(it.key());
        if (!it.value().isString()) {
            throwInvalidIndex(indexPath, QStringLiteral("tensor \"%1\" maps to %2, not to a "
                                                        "shard file name")
                                             .arg(tensorName, jsonText(it.value())),
                              advice);
        }
        const QString shardName = it.value().toString();
        if (!isPlainFileName(shardName)) {
            throwInvalidIndex(indexPath, QStringLiteral("tensor \"%1\" maps to shard \"%2\", "
                                                        "which is not a file name in the folder "
                                                        "of the index")
                                             .arg(tensorName, shortened(shardName)),
                              QStringLiteral("Shard names must be plain file names, without "
                                             "'/' or '\\' and other than \".\" and \"..\". "
                                             "Download the index file again."));
        }

        const QString shardPath = QDir::cleanPath(folder.absoluteFilePath(shardName));
        if (!checkedShards.contains(shardName)) {
            if (!QFileInfo(shardPath).isFile()) {
                throwInvalidIndex(indexPath, QStringLiteral("shard \"%1\" of tensor \"%2\" was "
                                                            "not found in %3")
                                                 .arg(shortened(shardName), tensorName,
                                                      folder.absolutePath()),
                                  QStringLiteral("Download every shard of the checkpoint into "
                                                 "the folder of the index."));
            }
            checkedShards.insert(shardName);
        }
        shardPaths.insert(it.key(), shardPath);
    }
    return shardPaths;
}

} // namespace halfscope
