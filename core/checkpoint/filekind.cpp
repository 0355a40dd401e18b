// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/filekind.h"

#include <caffe2/serialize/inline_container.h>

#include <QFile>

namespace halfscope {

WeightsFileKind detectWeightsFileKind(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.peek(4).startsWith("PK\x03\x04"))
        return WeightsFileKind::Checkpoint;
    file.close();
    try {
        caffe2::serialize::PyTorchStreamReader reader(QFile::encodeName(path).toStdString());
        return reader.hasRecord("constants.pkl") ? WeightsFileKind::TorchScript
                                                 : WeightsFileKind::Checkpoint;
    } catch (const c10::Error &) {
        // A damaged zip: the model loader names the problem best.
        return WeightsFileKind::TorchScript;
    }
}

} // namespace halfscope
