// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace halfscope {

/// Splits class-name text into names: one per line, surrounding spaces and
/// trailing empty lines dropped.
QStringList parseClassNames(const QString &text);

/// Reads a class-name file: UTF-8 text, one name per line, in the order of
/// the model's outputs. Surrounding spaces and trailing empty lines are
/// dropped. Throws Error naming the file when it cannot be read or is empty.
QStringList readClassNames(const QString &path);

} // namespace halfscope
