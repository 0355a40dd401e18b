// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/parsing.h"

#include "run/comparison.h"

#include <QTextStream>

#include <cstdio>

namespace halfscope::cli {

QString wrapText(const QString &text, int width)
{
    QStringList lines;
    for (const QString &paragraph : text.split(QLatin1Char('\n'))) {
        QString line;
        for (const QString &word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
                lines << line;
                line.clear();
            }
            line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
        }
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

ParseOutcome parseCommandLine(QCommandLineParser &parser, const QStringList &arguments,
                              const QString &synopsis)
{
    const QCommandLineOption helpOption({ QStringLiteral("h"), QStringLiteral("help") },
                                        QStringLiteral("Show this help and exit."));
    parser.addOption(helpOption);
    // The program name QCommandLineParser expects comes first.
    const QStringList withProgram = QStringList { QStringLiteral("halfscope-cli") } + arguments.mid(1);
    if (!parser.parse(withProgram)) {
        QString reason = parser.errorText();
        while (reason.endsWith(QLatin1Char('.')))
            reason.chop(1);
        printError(reason + QStringLiteral(". Run \"halfscope-cli ") + arguments.first()
                   + QStringLiteral(" --help\" for the options."));
        return ParseOutcome::Invalid;
    }
    if (parser.isSet(helpOption)) {
        QTextStream out(stdout);
        parser.setApplicationDescription(wrapText(parser.applicationDescription(), 79));
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

QCommandLineOption threadsOption()
{
    return { QStringLiteral("threads"),
             QStringLiteral("LibTorch intra-op threads, 1 to 256. Default: LibTorch's choice "
                            "(usually the number of cores)."),
             QStringLiteral("N") };
}

QCommandLineOption deviceOption()
{
    return { QStringLiteral("device"),
             QStringLiteral("cpu, cuda, or auto (cuda when this LibTorch build and machine have "
                            "it, else cpu). Default: auto."),
             QStringLiteral("auto|cpu|cuda"), QStringLiteral("auto") };
}

QCommandLineOption memoryFormatOption()
{
    return { QStringLiteral("memory-format"),
             QStringLiteral("Layout of the input batches: channels_last (NHWC) or contiguous "
                            "(NCHW). Channels-last convolutions are often several times faster "
                            "in half precision on CPUs; a model that fails on them falls back to "
                            "contiguous inputs with a warning. Default: channels_last."),
             QStringLiteral("channels_last|contiguous"), QStringLiteral("channels_last") };
}

std::optional<MemoryFormat> parseMemoryFormatValue(const QString &value)
{
    const auto format = parseMemoryFormat(value);
    if (!format) {
        printError(QStringLiteral("invalid value \"%1\" for --memory-format: use channels_last or "
                                  "contiguous.")
                       .arg(value));
    }
    return format;
}

std::optional<int> parseThreads(const QString &value)
{
    // More threads than this only add overhead.
    constexpr int maxThreads = 256;
    const auto threads = parseCount(value, QStringLiteral("threads"), 1);
    if (threads && *threads > maxThreads) {
        printError(QStringLiteral("invalid value \"%1\" for --threads: use 1 to %2.")
                       .arg(*threads)
                       .arg(maxThreads));
        return std::nullopt;
    }
    return threads;
}

std::optional<QString> parseDevice(const QString &value)
{
    if (value == QLatin1String("auto"))
        return cudaAvailable() ? QStringLiteral("cuda") : QStringLiteral("cpu");
    if (value == QLatin1String("cpu") || value == QLatin1String("cuda"))
        return value;
    printError(QStringLiteral("invalid value \"%1\" for --device: use auto, cpu or cuda.").arg(value));
    return std::nullopt;
}

void printError(const QString &message)
{
    QTextStream err(stderr);
    err << "halfscope-cli: " << message << '\n';
}

} // namespace halfscope::cli
