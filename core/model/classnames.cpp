// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/classnames.h"

#include "common/error.h"

#include <QFile>

namespace halfscope {

QStringList parseClassNames(const QString &text)
{
    QStringList names = text.split(QLatin1Char('\n'));
    for (QString &name : names)
        name = name.trimmed();
    while (!names.isEmpty() && names.last().isEmpty())
        names.removeLast();
    return names;
}

QStringList readClassNames(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        throw Error(QStringLiteral("Cannot read the labels file %1: %2.")
                        .arg(path, file.errorString()));
    }
    const QStringList names = parseClassNames(QString::fromUtf8(file.readAll()));
    if (names.isEmpty()) {
        throw Error(QStringLiteral("The labels file %1 is empty. It needs one class name per "
                                   "line, in the order of the model's outputs.")
                        .arg(path));
    }
    return names;
}

} // namespace halfscope
