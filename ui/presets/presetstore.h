// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"

#include <QString>
#include <QVariant>

#include <vector>

namespace halfscope {

/// The user's own preprocessing presets and the run settings of the last
/// comparison, kept in QSettings so that they survive a restart.
///
/// Presets are stored as the JSON that PreprocessPreset::toJson() writes, so
/// a stored preset is checked by the same rules as a preset file. An entry
/// that no longer parses is skipped with a log line.
class PresetStore
{
public:
    PresetStore() = default;

    /// Returns the saved presets, sorted by name.
    std::vector<PreprocessPreset> presets() const;
    /// Adds the preset, or replaces the one with the same name.
    void save(const PreprocessPreset &preset);
    void remove(const QString &name);

    /// Returns a stored run setting, or fallback when it was never stored.
    QVariant runSetting(const QString &key, const QVariant &fallback = {}) const;
    void setRunSetting(const QString &key, const QVariant &value);
};

} // namespace halfscope
