// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace halfscope {

/// Test-time augmentation: the views of each image that the model sees.
enum class TtaMode {
    None,           ///< The image as preprocessed (1 view).
    HorizontalFlip, ///< The image and its mirror image (2 views).
};

/// Returns how many views each image becomes.
int viewCount(TtaMode mode);

/// Returns the name used on the command line: "none", "hflip".
QString ttaName(TtaMode mode);

/// Returns a description for tables, for example "identity + horizontal flip".
QString ttaDescription(TtaMode mode);

/// Parses a name that ttaName() returns; returns nothing for other text.
std::optional<TtaMode> parseTtaMode(const QString &text);

} // namespace halfscope
