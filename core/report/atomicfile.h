// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace halfscope {

/// Writes data to path atomically: readers see either the old file or the
/// complete new one, never a partial write. Throws Error naming the file.
void writeFileAtomically(const QString &path, const QByteArray &data);

} // namespace halfscope
