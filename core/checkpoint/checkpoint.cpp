// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpoint.h"

#include "checkpoint/checkpointdata.h"
#include "checkpoint/safetensors.h"
#include "checkpoint/unpickler.h"
#include "common/error.h"
#include "common/logging.h"

#include <caffe2/serialize/inline_container.h>

#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <QtEndian>

namespace halfscope {

namespace {

using Kind = PickleValue::Kind;

/// Nesting depth beyond which tree walks stop; real checkpoints stay far below.
constexpr int kMaxDepth = 64;


/// Parses a persistent id ('storage', storage_type, key, location, numel[, view]).
std::shared_ptr<StorageRef> parseStorageId(const PickleValuePtr &id, const QString &source)
{
    const bool valid = id->kind == Kind::Tuple && id->items.size() >= 5
        && id->items[0]->kind == Kind::String && id->items[0]->text == QLatin1String("storage")
        && id->items[2]->kind == Kind::String && id->items[3]->kind == Kind::String
        && id->items[4]->kind == Kind::Int && id->items[4]->intValue >= 0;
    if (!valid) {
        throw Error(QStringLiteral("Cannot read %1: it refers to tensor data in a form HalfScope "
                                   "does not know. The file is damaged or was written by an "
                                   "unsupported PyTorch version.")
                        .arg(source));
    }
    const PickleValuePtr &type = id->items[1];
    QString dtype;
    if (type->kind == Kind::Dtype)
        dtype = type->text;
    else if (type->kind == Kind::Global)
        dtype = type->text.section(QLatin1Char('.'), -1);
    static const QMap<QString, QString> storageDtypes {
        { QStringLiteral("FloatStorage"), QStringLiteral("float32") },
        { QStringLiteral("DoubleStorage"), QStringLiteral("float64") },
        { QStringLiteral("HalfStorage"), QStringLiteral("float16") },
        { QStringLiteral("BFloat16Storage"), QStringLiteral("bfloat16") },
        { QStringLiteral("LongStorage"), QStringLiteral("int64") },
        { QStringLiteral("IntStorage"), QStringLiteral("int32") },
        { QStringLiteral("ShortStorage"), QStringLiteral("int16") },
        { QStringLiteral("CharStorage"), QStringLiteral("int8") },
        { QStringLiteral("ByteStorage"), QStringLiteral("uint8") },
        { QStringLiteral("BoolStorage"), QStringLiteral("bool") },
        { QStringLiteral("ComplexFloatStorage"), QStringLiteral("complex64") },
        { QStringLiteral("ComplexDoubleStorage"), QStringLiteral("complex128") },
        { QStringLiteral("UntypedStorage"), QStringLiteral("uint8") },
    };
    dtype = storageDtypes.value(dtype, dtype);
    if (elementSize(dtype) == 0) {
        throw Error(QStringLiteral("Cannot read %1: storage \"%2\" has the unsupported type %3.")
                        .arg(source, id->items[2]->text, type->typeName()));
    }

    auto storage = std::make_shared<StorageRef>();
    storage->key = id->items[2]->text;
    storage->location = id->items[3]->text;
    storage->dtype = dtype;
    storage->elementCount = id->items[4]->intValue;
    return storage;
}

/// Rejects a storage that claims more bytes than the whole file holds, before
/// anything is allocated for it.
void checkClaimedSize(const StorageRef &storage, qint64 fileSize, const QString &path)
{
    int64_t bytes = 0;
    if (__builtin_mul_overflow(storage.elementCount, int64_t(elementSize(storage.dtype)), &bytes)
        || bytes > fileSize) {
        throw Error(QStringLiteral("Cannot read %1: storage \"%2\" claims %3 elements of %4, more "
                                   "than the %5-byte file holds. The file is truncated or damaged.")
                        .arg(path, storage.key)
                        .arg(storage.elementCount)
                        .arg(storage.dtype)
                        .arg(fileSize));
    }
}

std::shared_ptr<CheckpointData> openZip(const QString &path, qint64 fileSize)
{
    auto data = std::make_shared<CheckpointData>();
    data->format = Checkpoint::Format::TorchZip;
    try {
        data->archive = std::make_shared<caffe2::serialize::PyTorchStreamReader>(
            QFile::encodeName(path).toStdString());
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Cannot read %1: it is not a valid zip archive (%2). The file "
                                   "is truncated or damaged.")
                        .arg(path, firstLineOf(error.what_without_backtrace())
                                       .section(QLatin1String(". This is an internal miniz error"), 0, 0)),
                    QString::fromUtf8(error.what_without_backtrace()));
    }
    if (data->archive->hasRecord("constants.pkl")) {
        throw Error(QStringLiteral("%1 is a TorchScript model, not a checkpoint. Open it as a "
                                   "model instead.")
                        .arg(path));
    }
    if (!data->archive->hasRecord("data.pkl")) {
        throw Error(QStringLiteral("%1 is a zip archive but not a torch.save checkpoint: it has no "
                                   "data.pkl record.")
                        .arg(path));
    }

    const auto [pickle, size] = data->archive->getRecord("data.pkl");
    const QString source = QStringLiteral("%1 (data.pkl)").arg(path);
    // torch.save writes a fresh persistent id for every view of a storage;
    // one StorageRef per key keeps the views sharing it.
    std::map<QString, std::shared_ptr<StorageRef>> storages;
    const auto loader = [&](const PickleValuePtr &id) {
        std::shared_ptr<StorageRef> parsed = parseStorageId(id, source);
        std::shared_ptr<StorageRef> &storage = storages[parsed->key];
        if (storage) {
            PickleValuePtr value = PickleValue::make(Kind::Storage);
            value->storage = storage;
            return value;
        }
        storage = parsed;
        checkClaimedSize(*storage, fileSize, path);
        if (!data->archive->hasRecord("data/" + storage->key.toStdString())) {
            throw Error(QStringLiteral("Cannot read %1: the record data/%2 for a tensor is "
                                       "missing. The file is damaged.")
                            .arg(path, storage->key));
        }
        PickleValuePtr value = PickleValue::make(Kind::Storage);
        value->storage = storage;
        return value;
    };
    data->root = unpickle(QByteArrayView(static_cast<const char *>(pickle.get()), qsizetype(size)),
                          source, loader);
    return data;
}

// torch.save's legacy format starts with this magic number, pickled.
const unsigned char kLegacyMagic[] = { 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19 };

std::shared_ptr<CheckpointData> openLegacy(const QString &path, const QByteArray &bytes)
{
    auto data = std::make_shared<CheckpointData>();
    data->format = Checkpoint::Format::TorchLegacy;
    qsizetype position = 0;
    auto next = [&](const QString &part, const PersistentLoader &loader = {}) {
        qsizetype used = 0;
        PickleValuePtr value = unpickle(QByteArrayView(bytes).sliced(position), QStringLiteral("%1 (%2)").arg(path, part), loader, &used);
        position += used;
        return value;
    };

    const PickleValuePtr magic = next(QStringLiteral("magic number"));
    if (magic->kind != Kind::Int || magic->bytes != QByteArray(reinterpret_cast<const char *>(kLegacyMagic), sizeof(kLegacyMagic))) {
        throw Error(QStringLiteral("%1 is a pickle file but not a torch.save checkpoint (its magic "
                                   "number is missing). HalfScope does not run plain pickles.")
                        .arg(path));
    }
    next(QStringLiteral("protocol version"));
    next(QStringLiteral("system information"));

    std::map<QString, std::shared_ptr<StorageRef>> storages;
    const auto loader = [&](const PickleValuePtr &id) {
        std::shared_ptr<StorageRef> parsed = parseStorageId(id, path);
        checkClaimedSize(*parsed, bytes.size(), path);
        std::shared_ptr<StorageRef> &root = storages[parsed->key];
        if (!root)
            root = parsed;
        PickleValuePtr value = PickleValue::make(Kind::Storage);
        value->storage = root;
        // Storage views of PyTorch before 0.4: (view_key, offset, size).
        const PickleValuePtr view = id->items.size() > 5 ? id->items[5] : nullptr;
        if (view && view->kind == Kind::Tuple && view->items.size() == 3
            && view->items[1]->kind == Kind::Int && view->items[2]->kind == Kind::Int) {
            auto slice = std::make_shared<StorageRef>(*root);
            slice->byteOffset = view->items[1]->intValue * elementSize(root->dtype);
            slice->elementCount = view->items[2]->intValue;
            value->storage = slice;
        }
        return value;
    };
    data->root = next(QStringLiteral("data"), loader);
    const PickleValuePtr keys = next(QStringLiteral("storage keys"));
    if (keys->kind != Kind::List)
        throw Error(QStringLiteral("Cannot read %1: the list of storage keys is missing.").arg(path));

    // Each storage follows as an int64 element count and its raw bytes.
    for (const PickleValuePtr &key : keys->items) {
        const auto found = storages.find(key->text);
        if (key->kind != Kind::String || found == storages.end()) {
            throw Error(QStringLiteral("Cannot read %1: storage key %2 is not used by the data.")
                            .arg(path, key->keyText()));
        }
        const StorageRef &storage = *found->second;
        if (position + 8 > bytes.size())
            throw Error(QStringLiteral("Cannot read %1: it ends before storage \"%2\".").arg(path, storage.key));
        const qint64 count = qFromLittleEndian<qint64>(bytes.constData() + position);
        const qint64 length = count * elementSize(storage.dtype);
        if (count != storage.elementCount || position + 8 + length > bytes.size()) {
            throw Error(QStringLiteral("Cannot read %1: storage \"%2\" contains %3 bytes where %4 "
                                       "elements of %5 were declared. The file is truncated or "
                                       "damaged.")
                            .arg(path, storage.key)
                            .arg(qMax<qint64>(0, bytes.size() - position - 8))
                            .arg(storage.elementCount)
                            .arg(storage.dtype));
        }
        data->storageFileOffsets.insert(storage.key, position + 8);
        position += 8 + length;
    }
    return data;
}

/// Adds the entries of one safetensors file to root as contiguous tensors.
void addSafetensorsEntries(CheckpointData &data, const PickleValuePtr &root, const QString &file,
                           const QString &keyPrefix)
{
    const SafetensorsHeader header = readSafetensorsHeader(file);
    for (const SafetensorsEntry &entry : header.entries) {
        auto storage = std::make_shared<StorageRef>();
        storage->key = keyPrefix + entry.name;
        storage->dtype = entry.dtype;
        storage->location = QStringLiteral("cpu");
        storage->elementCount = entry.elementCount;
        data.storageFileOffsets.insert(storage->key, header.dataOffset + entry.dataBegin);
        if (file != data.path)
            data.storageFiles.insert(storage->key, file);

        auto tensor = std::make_shared<TensorRef>();
        tensor->storage = storage;
        tensor->sizes = entry.shape;
        tensor->strides.assign(entry.shape.size(), 1);
        for (int i = int(entry.shape.size()) - 2; i >= 0; --i)
            tensor->strides[size_t(i)] = tensor->strides[size_t(i) + 1] * std::max<int64_t>(1, entry.shape[size_t(i) + 1]);
        PickleValuePtr value = PickleValue::make(Kind::Tensor);
        value->tensor = tensor;
        root->entries.emplace_back(PickleValue::makeString(entry.name), value);
    }
    if (!header.metadata.isEmpty()) {
        if (!root->state)
            root->state = PickleValue::make(Kind::Dict);
        PickleValuePtr metadata = PickleValue::make(Kind::Dict);
        for (auto it = header.metadata.constBegin(); it != header.metadata.constEnd(); ++it)
            metadata->entries.emplace_back(PickleValue::makeString(it.key()), PickleValue::makeString(it.value()));
        root->state->entries.emplace_back(PickleValue::makeString(QStringLiteral("__metadata__")), metadata);
    }
}

std::shared_ptr<CheckpointData> openSafetensors(const QString &path)
{
    auto data = std::make_shared<CheckpointData>();
    data->format = Checkpoint::Format::Safetensors;
    data->path = path;
    data->root = PickleValue::make(Kind::Dict);
    data->root->annotation = QStringLiteral("safetensors");
    if (!path.endsWith(QLatin1String(".index.json"))) {
        addSafetensorsEntries(*data, data->root, path, QString());
        return data;
    }

    // A sharded checkpoint: the index maps every tensor to its shard file.
    const QMap<QString, QString> shards = readSafetensorsIndex(path);
    QStringList files = shards.values();
    files.removeDuplicates();
    files.sort();
    for (const QString &file : files)
        addSafetensorsEntries(*data, data->root, file, QFileInfo(file).fileName() + QLatin1Char(':'));
    for (auto it = shards.constBegin(); it != shards.constEnd(); ++it) {
        if (!data->root->find(it.key())) {
            throw Error(QStringLiteral("Cannot read %1: tensor \"%2\" is listed in the index but "
                                       "missing from %3.")
                            .arg(path, it.key(), it.value()));
        }
    }
    data->root->annotation = QStringLiteral("safetensors (%1 shards)").arg(files.size());
    return data;
}

bool looksLikeSafetensors(const QByteArray &head, qint64 fileSize)
{
    if (head.size() < 9 || head[8] != '{')
        return false;
    const quint64 length = qFromLittleEndian<quint64>(head.constData());
    return length >= 2 && qint64(length) <= fileSize - 8;
}

QByteArray readWholeFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read %1: %2.").arg(path, file.errorString()));
    return file.readAll();
}

/// Walks values depth-first, skipping values already seen (pickles may be cyclic).
class Walker
{
public:
    template<typename Visit>
    void walk(const PickleValuePtr &value, QStringList &path, int depth, Visit &&visit)
    {
        if (!value || depth > kMaxDepth || m_seen.contains(value.get()))
            return;
        m_seen.insert(value.get());
        visit(value, path);
        auto descend = [&](const QString &key, const PickleValuePtr &child) {
            path << key;
            walk(child, path, depth + 1, visit);
            path.removeLast();
        };
        for (const auto &entry : value->entries)
            descend(entry.first->keyText(), entry.second);
        for (size_t i = 0; i < value->items.size(); ++i)
            descend(QString::number(i), value->items[i]);
        if (value->state && value->kind == Kind::Object) {
            // An object's attributes read as its keys: model/_parameters/...
            for (const auto &entry : value->state->entries)
                descend(entry.first->keyText(), entry.second);
        }
    }

private:
    QSet<const PickleValue *> m_seen;
};

bool isModuleObject(const PickleValuePtr &value)
{
    return value && value->kind == Kind::Object && value->state && value->state->find(QStringLiteral("_parameters"));
}

void collectModuleTensors(const PickleValuePtr &module, const QString &prefix, int depth,
                          std::vector<NamedTensor> &tensors)
{
    if (!isModuleObject(module) || depth > kMaxDepth)
        return;
    QSet<QString> nonPersistent;
    if (const PickleValuePtr names = module->state->find(QStringLiteral("_non_persistent_buffers_set"))) {
        for (const PickleValuePtr &name : names->items)
            nonPersistent.insert(name->text);
    }
    for (const char *group : { "_parameters", "_buffers" }) {
        const PickleValuePtr dict = module->state->find(QLatin1String(group));
        if (!dict)
            continue;
        for (const auto &entry : dict->entries) {
            const QString name = entry.first->keyText();
            if (entry.second->kind == Kind::Tensor && !nonPersistent.contains(name))
                tensors.push_back({ prefix + name, entry.second->tensor });
        }
    }
    if (const PickleValuePtr children = module->state->find(QStringLiteral("_modules"))) {
        for (const auto &entry : children->entries)
            collectModuleTensors(entry.second, prefix + entry.first->keyText() + QLatin1Char('.'), depth + 1, tensors);
    }
}

std::vector<NamedTensor> tensorsOfDict(const PickleValuePtr &dict)
{
    std::vector<NamedTensor> tensors;
    for (const auto &entry : dict->entries) {
        if (entry.second->kind == Kind::Tensor)
            tensors.push_back({ entry.first->keyText(), entry.second->tensor });
    }
    return tensors;
}

int64_t totalBytes(const std::vector<NamedTensor> &tensors)
{
    int64_t bytes = 0;
    for (const NamedTensor &tensor : tensors)
        bytes += tensor.tensor->byteCount();
    return bytes;
}

} // namespace

QString StateDictCandidate::pathText() const
{
    return keyPath.isEmpty() ? QStringLiteral("(root)") : keyPath.join(QLatin1Char('/'));
}

Checkpoint::Checkpoint() = default;

Checkpoint::Checkpoint(std::shared_ptr<const CheckpointData> data)
    : m_data(std::move(data))
{
}

Checkpoint Checkpoint::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(QStringLiteral("Checkpoint file not found: %1. Check the path.").arg(path));
    if (info.isDir())
        throw Error(QStringLiteral("%1 is a folder, not a checkpoint file.").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("Cannot read %1: %2. Check its permissions.").arg(path, file.errorString()));
    const QByteArray head = file.read(16);
    const qint64 fileSize = file.size();
    file.close();
    if (head.isEmpty())
        throw Error(QStringLiteral("The checkpoint file %1 is empty.").arg(path));

    std::shared_ptr<CheckpointData> data;
    if (path.endsWith(QLatin1String(".index.json")) || path.endsWith(QLatin1String(".safetensors"))
        || looksLikeSafetensors(head, fileSize)) {
        data = openSafetensors(path);
    } else if (head.startsWith("PK\x03\x04") || head.startsWith("PK\x05\x06")) {
        data = openZip(path, fileSize);
    } else if (quint8(head[0]) == 0x80) {
        data = openLegacy(path, readWholeFile(path));
    } else {
        throw Error(QStringLiteral("%1 is not a file HalfScope can read: it is neither a "
                                   "TorchScript model, a torch.save checkpoint (zip or legacy "
                                   "format) nor a safetensors file.")
                        .arg(path));
    }
    data->path = path;
    data->fileSize = fileSize;
    qCInfo(lcModel) << "opened checkpoint" << path;
    return Checkpoint(std::move(data));
}

bool Checkpoint::isNull() const
{
    return !m_data;
}

QString Checkpoint::path() const
{
    return m_data ? m_data->path : QString();
}

QString Checkpoint::fileName() const
{
    return QFileInfo(path()).fileName();
}

Checkpoint::Format Checkpoint::format() const
{
    return m_data ? m_data->format : Format::TorchZip;
}

QString Checkpoint::formatName() const
{
    switch (format()) {
    case Format::TorchZip:
        return QStringLiteral("torch.save (zip)");
    case Format::TorchLegacy:
        return QStringLiteral("torch.save (legacy, before PyTorch 1.6)");
    case Format::Safetensors:
        return QStringLiteral("safetensors");
    }
    return QString();
}

PickleValuePtr Checkpoint::root() const
{
    return m_data ? m_data->root : nullptr;
}

std::vector<StateDictCandidate> Checkpoint::stateDicts() const
{
    std::vector<StateDictCandidate> candidates;
    if (!m_data)
        return candidates;
    QStringList path;
    Walker().walk(m_data->root, path, 0, [&](const PickleValuePtr &value, const QStringList &keyPath) {
        std::vector<NamedTensor> tensors;
        if (isModuleObject(value)) {
            collectModuleTensors(value, QString(), 0, tensors);
        } else if (value->kind == Kind::Dict && !value->entries.empty()) {
            tensors = tensorsOfDict(value);
            if (tensors.size() != value->entries.size())
                return;
        }
        if (tensors.empty())
            return;
        // Parts of a pickled module (its _parameters, its submodules) repeat
        // what the module itself lists.
        if (keyPath.contains(QLatin1String("_modules")) || (!keyPath.isEmpty()
            && (keyPath.last() == QLatin1String("_parameters") || keyPath.last() == QLatin1String("_buffers"))))
            return;
        candidates.push_back({ keyPath, int(tensors.size()), totalBytes(tensors) });
    });
    // Optimizer state contains one small dict per parameter (momentum_buffer).
    // Those single-tensor dicts are noise beside a real state dict.
    const bool anyLarger = std::any_of(candidates.begin(), candidates.end(),
                                       [](const StateDictCandidate &c) { return c.tensorCount > 1; });
    if (anyLarger) {
        candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                        [](const StateDictCandidate &c) { return c.tensorCount == 1; }),
                         candidates.end());
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const StateDictCandidate &a, const StateDictCandidate &b) {
        return a.bytes > b.bytes;
    });
    return candidates;
}

std::vector<NamedTensor> Checkpoint::tensorsAt(const QStringList &keyPath) const
{
    if (!m_data)
        throw Error(QStringLiteral("No checkpoint is open."));
    PickleValuePtr value = m_data->root;
    for (const QString &key : keyPath) {
        PickleValuePtr next;
        if (value->kind == Kind::Dict)
            next = value->find(key);
        else if (value->kind == Kind::Object && value->state)
            next = value->state->find(key);
        else if (value->kind == Kind::List || value->kind == Kind::Tuple) {
            bool ok = false;
            const int index = key.toInt(&ok);
            if (ok && index >= 0 && size_t(index) < value->items.size())
                next = value->items[size_t(index)];
        }
        if (!next) {
            throw Error(QStringLiteral("%1 has no entry \"%2\" (looking up %3). Choose one of the "
                                       "state dicts that inspect lists.")
                            .arg(path(), key, keyPath.join(QLatin1Char('/'))));
        }
        value = next;
    }

    std::vector<NamedTensor> tensors;
    if (isModuleObject(value))
        collectModuleTensors(value, QString(), 0, tensors);
    else if (value->kind == Kind::Dict)
        tensors = tensorsOfDict(value);
    if (tensors.empty()) {
        throw Error(QStringLiteral("%1: the entry %2 contains no tensors, so it is not a state dict.")
                        .arg(path(), keyPath.isEmpty() ? QStringLiteral("(root)") : keyPath.join(QLatin1Char('/'))));
    }
    return tensors;
}

} // namespace halfscope
