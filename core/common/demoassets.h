// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace halfscope {

/// Returns the folder that contains the demo model and photos: the
/// HALFSCOPE_DEMO_DIR environment variable when set, else share/halfscope/demo
/// beside an installed executable, else resources/demo in the source tree
/// this build came from. Returns an empty string when none exists.
QString demoDirectory();

/// Returns the demo model's path (Tiny Darknet, fp32 TorchScript), or an empty
/// string when the demo folder is missing.
QString demoModelPath();

/// Returns the demo photos, sorted by file name.
QStringList demoImagePaths();

} // namespace halfscope
