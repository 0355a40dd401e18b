// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/logging.h"

Q_LOGGING_CATEGORY(lcModel, "halfscope.core.model", QtWarningMsg)
Q_LOGGING_CATEGORY(lcPrecision, "halfscope.core.precision", QtWarningMsg)
Q_LOGGING_CATEGORY(lcImaging, "halfscope.core.imaging", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRun, "halfscope.core.run", QtWarningMsg)
Q_LOGGING_CATEGORY(lcReport, "halfscope.core.report", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUi, "halfscope.ui", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCli, "halfscope.cli", QtWarningMsg)
