// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/picklevalue.h"

#include <QByteArrayView>
#include <QString>

#include <functional>

namespace halfscope {

/// Turns a persistent id (the argument of PERSID / BINPERSID) into the value
/// that replaces it, usually a Storage. Throws Error to reject the id.
using PersistentLoader = std::function<PickleValuePtr(const PickleValuePtr &persistentId)>;

/// Parses one pickle (protocols 0 to 5) without executing anything.
///
/// Known globals are rebuilt as data: torch tensors and parameters
/// (torch._utils._rebuild_tensor_v2, _rebuild_parameter), collections.OrderedDict,
/// torch.Size, torch.device, torch dtypes, builtins.set / frozenset / bytearray,
/// _codecs.encode, numpy scalars and small arrays. Every other global
/// becomes an Object placeholder named by module and class.
///
/// data starts at the pickle's first opcode. bytesRead, when given, receives
/// the length up to and including STOP, so that consecutive pickles in one
/// file can be read one after another. source names the file and record in error
/// messages. Throws Error for truncated or malformed data and unsupported
/// opcodes. Every length is checked against the data before use, reference
/// cycles are replaced by placeholders, and deep nesting is released without
/// recursion.
///
/// NOTE: protocol 0 and 1 strings (STRING, UNICODE) are taken as written,
/// without decoding Python escape sequences. torch.save writes protocol 2 by
/// default (DEFAULT_PROTOCOL in torch/serialization.py, torch 2.13).
PickleValuePtr unpickle(QByteArrayView data, const QString &source,
                        const PersistentLoader &loader = {}, qsizetype *bytesRead = nullptr);

} // namespace halfscope
