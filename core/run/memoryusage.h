// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace halfscope {

/// Returns the process's peak resident set size in bytes (VmHWM in
/// /proc/self/status), or -1 where it cannot be read (non-Linux).
qint64 peakResidentBytes();

/// Resets the peak resident set size to the current one by writing "5" to
/// /proc/self/clear_refs (Linux 4.0 and newer). Returns false where that is
/// not possible; the peak then covers the whole process lifetime.
bool resetPeakResidentBytes();

} // namespace halfscope
