// SPDX-License-Identifier: GPL-3.0-or-later
#include "presets/presetstore.h"

#include "common/error.h"
#include "common/logging.h"

#include <QJsonDocument>
#include <QSettings>

#include <algorithm>

namespace halfscope {

namespace {

const QString kPresetGroup = QStringLiteral("presets");
const QString kRunGroup = QStringLiteral("run");

} // namespace

std::vector<PreprocessPreset> PresetStore::presets() const
{
    QSettings settings;
    settings.beginGroup(kPresetGroup);
    std::vector<PreprocessPreset> presets;
    for (const QString &key : settings.childKeys()) {
        const QByteArray json = settings.value(key).toByteArray();
        try {
            presets.push_back(PreprocessPreset::fromJson(QJsonDocument::fromJson(json).object(),
                                                         QStringLiteral("the saved preset %1").arg(key)));
        } catch (const Error &error) {
            qCWarning(lcUi) << "Skipping a saved preset:" << error.message();
        }
    }
    std::sort(presets.begin(), presets.end(),
              [](const PreprocessPreset &a, const PreprocessPreset &b) {
                  return a.name.localeAwareCompare(b.name) < 0;
              });
    return presets;
}

void PresetStore::save(const PreprocessPreset &preset)
{
    QSettings settings;
    settings.beginGroup(kPresetGroup);
    // QSettings keys treat '/' as a group separator, so names are stored
    // percent-encoded.
    settings.setValue(QString::fromLatin1(preset.name.toUtf8().toPercentEncoding()),
                      QJsonDocument(preset.toJson()).toJson(QJsonDocument::Compact));
}

void PresetStore::remove(const QString &name)
{
    QSettings settings;
    settings.beginGroup(kPresetGroup);
    settings.remove(QString::fromLatin1(name.toUtf8().toPercentEncoding()));
}

QVariant PresetStore::runSetting(const QString &key, const QVariant &fallback) const
{
    QSettings settings;
    settings.beginGroup(kRunGroup);
    return settings.value(key, fallback);
}

void PresetStore::setRunSetting(const QString &key, const QVariant &value)
{
    QSettings settings;
    settings.beginGroup(kRunGroup);
    settings.setValue(key, value);
}

} // namespace halfscope
