// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace halfscope::cli {

/// Exit statuses of halfscope-cli.
enum ExitStatus {
    ExitSuccess = 0,
    ExitFailure = 1,      ///< The command failed; stderr says why.
    ExitUsage = 2,        ///< Invalid command line.
    ExitPartial = 3,      ///< compare: some images could not be compared.
};

/// Runs "inspect"; arguments start with the command name.
int runInspect(const QStringList &arguments);

/// Runs "compare"; arguments start with the command name.
int runCompare(const QStringList &arguments);

/// Runs "convert"; arguments start with the command name.
int runConvert(const QStringList &arguments);

/// Runs "bench"; arguments start with the command name.
int runBench(const QStringList &arguments);

} // namespace halfscope::cli
