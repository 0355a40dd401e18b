// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"

#include <QMap>

#include <torch/script.h>

#include <map>
#include <mutex>

namespace caffe2::serialize {
class PyTorchStreamReader;
}

namespace halfscope {

/// State behind a Checkpoint handle. Only core sources include this header.
struct CheckpointData
{
    QString path;
    Checkpoint::Format format = Checkpoint::Format::TorchZip;
    PickleValuePtr root;
    qint64 fileSize = 0;

    /// Zip format: the archive, opened once.
    std::shared_ptr<caffe2::serialize::PyTorchStreamReader> archive;
    /// Legacy format and safetensors: file offset of each storage's bytes, by key.
    QMap<QString, qint64> storageFileOffsets;
    /// Sharded safetensors: the shard file of each storage, by key; storages
    /// missing here are in path.
    QMap<QString, QString> storageFiles;

    /// Storages already read, by key, so that views of one storage share it.
    mutable std::map<QString, at::Tensor> storageCache;
    /// Guards archive and storageCache; tensors may be loaded from any thread.
    mutable std::mutex mutex;
};

/// Reads a tensor's data from the checkpoint file into a CPU tensor with the
/// dtype, shape, strides and storage offset the checkpoint gives. Views of
/// one storage share memory. Throws Error naming the file and the record
/// when the data is missing or shorter than the checkpoint claims.
at::Tensor loadTensor(const Checkpoint &checkpoint, const TensorRef &tensor);

/// Returns the LibTorch scalar type for a PyTorch dtype name; throws Error
/// for names LibTorch cannot hold.
c10::ScalarType scalarTypeFromName(const QString &dtype);

} // namespace halfscope
