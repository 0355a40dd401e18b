// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"

#include <QStringList>

namespace halfscope {

Error::Error(const QString &message, const QString &detail)
    : std::runtime_error(message.toStdString())
    , m_message(message)
    , m_detail(detail)
{
}

namespace {

// Callers end their own sentence, so a period from the library would double.
QString withoutFinalPeriod(QString text)
{
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

} // namespace

QString firstLineOf(const char *libraryMessage)
{
    const QString text = QString::fromUtf8(libraryMessage).trimmed();
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1String("Exception raised from")))
            return withoutFinalPeriod(trimmed);
    }
    return withoutFinalPeriod(text);
}

} // namespace halfscope
