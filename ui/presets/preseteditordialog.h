// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"

#include <QDialog>

#include <array>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace halfscope {

/// Edits every field of a preprocessing preset: resize, crop, interpolation,
/// value scale, channel order, mean and std. The preset can be read from and
/// written to a JSON file; OK is enabled only for a valid preset with a name
/// that is not a built-in one.
class PresetEditorDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresetEditorDialog)

public:
    explicit PresetEditorDialog(const PreprocessPreset &initial, QWidget *parent = nullptr);

    void setPreset(const PreprocessPreset &preset);
    /// Returns the preset the fields describe; check validationError() first.
    PreprocessPreset preset() const;
    /// Returns why the fields do not make a usable preset, or an empty string.
    QString validationError() const;

    /// Replaces the fields with a preset file. Returns an empty string, or
    /// the reason when the file cannot be read or is invalid.
    QString importFile(const QString &path);
    /// Writes the preset as JSON, atomically. Returns an empty string, or the
    /// reason for the failure.
    QString exportFile(const QString &path);

private:
    void updateState();
    void chooseImportFile();
    void chooseExportFile();

    QLineEdit *m_name;
    QComboBox *m_resizeMode;
    QSpinBox *m_width;
    QSpinBox *m_height;
    QSpinBox *m_shorterSide;
    QCheckBox *m_crop;
    QSpinBox *m_cropWidth;
    QSpinBox *m_cropHeight;
    QComboBox *m_interpolation;
    QComboBox *m_range;
    QComboBox *m_channelOrder;
    std::array<QDoubleSpinBox *, 3> m_mean {};
    std::array<QDoubleSpinBox *, 3> m_std {};
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

} // namespace halfscope
