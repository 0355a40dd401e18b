// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpointdata.h"

#include "common/error.h"

#include <caffe2/serialize/inline_container.h>

#include <QFile>

#include <cstring>

namespace halfscope {

namespace {

/// Reads a whole storage as a flat CPU tensor of its dtype.
at::Tensor readStorage(const CheckpointData &data, const StorageRef &storage)
{
    const c10::ScalarType type = scalarTypeFromName(storage.dtype);
    const int64_t expectedBytes = storage.elementCount * elementSize(storage.dtype);
    at::Tensor flat = at::empty({ storage.elementCount }, at::TensorOptions().dtype(type));

    if (data.format == Checkpoint::Format::TorchZip) {
        const std::string record = "data/" + storage.key.toStdString();
        if (!data.archive->hasRecord(record)) {
            throw Error(QStringLiteral("Cannot read %1: the record data/%2 is missing.")
                            .arg(data.path, storage.key));
        }
        const auto [bytes, size] = data.archive->getRecord(record);
        if (int64_t(size) < storage.byteOffset + expectedBytes) {
            throw Error(QStringLiteral("Cannot read %1: record data/%2 contains %3 bytes, but its "
                                       "tensor needs %4. The file is damaged.")
                            .arg(data.path, storage.key)
                            .arg(size)
                            .arg(storage.byteOffset + expectedBytes));
        }
        std::memcpy(flat.data_ptr(), static_cast<const char *>(bytes.get()) + storage.byteOffset,
                    size_t(expectedBytes));
        return flat;
    }

    const auto offset = data.storageFileOffsets.constFind(storage.key);
    if (offset == data.storageFileOffsets.constEnd())
        throw Error(QStringLiteral("Cannot read %1: storage \"%2\" has no data.").arg(data.path, storage.key));
    QFile file(data.storageFiles.value(storage.key, data.path));
    if (!file.open(QIODevice::ReadOnly) || !file.seek(*offset + storage.byteOffset)
        || file.read(static_cast<char *>(flat.data_ptr()), expectedBytes) != expectedBytes) {
        throw Error(QStringLiteral("Cannot read storage \"%1\" from %2: %3. The file changed or "
                                   "is truncated.")
                        .arg(storage.key, file.fileName(), file.errorString()));
    }
    return flat;
}

} // namespace

c10::ScalarType scalarTypeFromName(const QString &dtype)
{
    static const std::pair<const char *, c10::ScalarType> types[] = {
        { "float32", c10::ScalarType::Float },  { "float64", c10::ScalarType::Double },
        { "float16", c10::ScalarType::Half },   { "bfloat16", c10::ScalarType::BFloat16 },
        { "int64", c10::ScalarType::Long },     { "int32", c10::ScalarType::Int },
        { "int16", c10::ScalarType::Short },    { "int8", c10::ScalarType::Char },
        { "uint8", c10::ScalarType::Byte },     { "bool", c10::ScalarType::Bool },
        { "complex64", c10::ScalarType::ComplexFloat },
        { "complex128", c10::ScalarType::ComplexDouble },
        { "float8_e4m3fn", c10::ScalarType::Float8_e4m3fn },
        { "float8_e5m2", c10::ScalarType::Float8_e5m2 },
    };
    for (const auto &entry : types) {
        if (dtype == QLatin1String(entry.first))
            return entry.second;
    }
    throw Error(QStringLiteral("Tensors of dtype %1 cannot be loaded.").arg(dtype));
}

at::Tensor loadTensor(const Checkpoint &checkpoint, const TensorRef &tensor)
{
    if (checkpoint.isNull() || !tensor.storage)
        throw Error(QStringLiteral("No checkpoint tensor to load."));
    const CheckpointData &data = *checkpoint.data();
    const StorageRef &storage = *tensor.storage;
    const QString cacheKey = storage.key + QLatin1Char('@') + QString::number(storage.byteOffset);

    at::Tensor flat;
    {
        std::lock_guard<std::mutex> lock(data.mutex);
        auto cached = data.storageCache.find(cacheKey);
        if (cached == data.storageCache.end())
            cached = data.storageCache.emplace(cacheKey, readStorage(data, storage)).first;
        flat = cached->second;
    }
    // The unpickler checked that the view lies inside the storage.
    return flat.as_strided(tensor.sizes, tensor.strides, tensor.storageOffset);
}

} // namespace halfscope
