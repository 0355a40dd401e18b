// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"

#include <QRegularExpression>
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

    // The TorchScript interpreter puts a traceback first and the Python-style
    // exception ("RuntimeError: mat1 and mat2 shapes ...") on the last lines.
    if (text.startsWith(QLatin1String("The following operation failed in the TorchScript interpreter"))) {
        for (auto line = lines.crbegin(); line != lines.crend(); ++line) {
            const QString trimmed = line->trimmed();
            const qsizetype colon = trimmed.indexOf(QLatin1String("Error: "));
            if (colon > 0 && !trimmed.left(colon).contains(QLatin1Char(' ')))
                return withoutFinalPeriod(trimmed.mid(colon + 7));
        }
    }

    // LibTorch's internal checks read "[enforce fail at file.cc:123] . reason".
    const QRegularExpression enforce(QStringLiteral("^\\[enforce fail at [^\\]]*\\]\\s*\\.?\\s*"));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(QLatin1String("Exception raised from"))) {
            QString cleaned = trimmed;
            cleaned.remove(enforce);
            return withoutFinalPeriod(cleaned);
        }
    }
    return withoutFinalPeriod(text);
}

} // namespace halfscope
