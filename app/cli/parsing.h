// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/memoryformat.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace halfscope::cli {

/// Result of parsing a command's arguments.
enum class ParseOutcome { Proceed, HelpShown, Invalid };

/// Parses arguments (starting with the command name), prints help to stdout
/// for --help and an error with a hint to stderr for invalid input.
ParseOutcome parseCommandLine(QCommandLineParser &parser, const QStringList &arguments,
                              const QString &synopsis);

/// Parses a whole number of at least minimum for option name; prints an
/// error to stderr and returns nothing when the value is invalid.
std::optional<int> parseCount(const QString &value, const QString &name, int minimum);

/// Breaks text into lines of at most width characters at spaces, keeping
/// existing line breaks.
QString wrapText(const QString &text, int width);

/// Prints "halfscope-cli: MESSAGE" to stderr.
void printError(const QString &message);

/// Returns the --threads option: LibTorch's intra-op thread count.
QCommandLineOption threadsOption();
/// Returns the --device option: auto, cpu or cuda.
QCommandLineOption deviceOption();
/// Parses a --threads value (1 to 256); prints the error and returns nothing
/// when it is invalid.
std::optional<int> parseThreads(const QString &value);
/// Parses a --device value, resolving "auto" to "cuda" when this LibTorch
/// build and machine have it and to "cpu" otherwise; prints the error and
/// returns nothing when it is invalid.
std::optional<QString> parseDevice(const QString &value);
/// Returns the --memory-format option: channels_last or contiguous.
QCommandLineOption memoryFormatOption();
/// Parses a --memory-format value; prints the error and returns nothing when
/// it is invalid.
std::optional<MemoryFormat> parseMemoryFormatValue(const QString &value);

} // namespace halfscope::cli
