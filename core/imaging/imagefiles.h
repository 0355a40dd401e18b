// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace halfscope {

/// Returns true when the file name ends in an image extension HalfScope
/// decodes (png, jpg, jpeg, bmp, tif, tiff, webp, ppm, pgm, pbm), any case.
bool hasImageExtension(const QString &fileName);

/// Expands files and folders into a sorted, de-duplicated list of image
/// files. Folders are searched recursively for image extensions; files are
/// taken as given, whatever their extension, so that a wrongly named file is
/// reported by the decoder instead of being skipped silently.
///
/// Throws Error naming the first path that does not exist.
QStringList collectImageFiles(const QStringList &paths);

} // namespace halfscope
