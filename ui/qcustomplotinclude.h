// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// qcustomplot.h uses Qt's "signals" and "foreach" keywords, which the
// project-wide QT_NO_KEYWORDS turns off (LibTorch headers use "slots" as an
// identifier). Both are defined for this one include and removed again.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals
