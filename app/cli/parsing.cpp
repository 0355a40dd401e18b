// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/parsing.h"

#include <QTextStream>

#include <cstdio>

namespace halfscope::cli {

ParseOutcome parseCommandLine(QCommandLineParser &parser, const QStringList &arguments,
                              const QString &synopsis)
{
    const QCommandLineOption helpOption({ QStringLiteral("h"), QStringLiteral("help") },
                                        QStringLiteral("Show this help and exit."));
    parser.addOption(helpOption);
    // The program name QCommandLineParser expects comes first.
    const QStringList withProgram = QStringList { QStringLiteral("halfscope-cli") } + arguments.mid(1);
    if (!parser.parse(withProgram)) {
        printError(parser.errorText() + QStringLiteral(". Run \"halfscope-cli ") + arguments.first()
                   + QStringLiteral(" --help\" for the options."));
        return ParseOutcome::Invalid;
    }
    if (parser.isSet(helpOption)) {
        QTextStream out(stdout);
        QString help = parser.helpText();
        // Qt's first line names the program only; the command belongs there too.
        const qsizetype lineEnd = help.indexOf(QLatin1Char('\n'));
        help.replace(0, lineEnd, QStringLiteral("Usage: halfscope-cli ") + synopsis);
        out << help;
        return ParseOutcome::HelpShown;
    }
    return ParseOutcome::Proceed;
}

std::optional<int> parseCount(const QString &value, const QString &name, int minimum)
{
    bool ok = false;
    const int count = value.toInt(&ok);
    if (!ok || count < minimum) {
        printError(QStringLiteral("invalid value \"%1\" for --%2: expected a whole number of at "
                                  "least %3.")
                       .arg(value, name)
                       .arg(minimum));
        return std::nullopt;
    }
    return count;
}

void printError(const QString &message)
{
    QTextStream err(stderr);
    err << "halfscope-cli: " << message << '\n';
}

} // namespace halfscope::cli
