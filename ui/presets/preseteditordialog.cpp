// SPDX-License-Identifier: GPL-3.0-or-later
#include "presets/preseteditordialog.h"

#include "common/error.h"
#include "report/atomicfile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace halfscope {

namespace {

constexpr int kMaxSide = 16384;

QSpinBox *sideSpin(const QString &objectName)
{
    auto *spin = new QSpinBox;
    spin->setObjectName(objectName);
    spin->setRange(1, kMaxSide);
    spin->setSuffix(QStringLiteral(" px"));
    return spin;
}

QDoubleSpinBox *channelSpin(double minimum)
{
    auto *spin = new QDoubleSpinBox;
    spin->setDecimals(4);
    spin->setRange(minimum, 1000.0);
    spin->setSingleStep(0.001);
    return spin;
}

QWidget *row(std::initializer_list<QWidget *> widgets)
{
    auto *container = new QWidget;
    auto *layout = new QHBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *widget : widgets)
        layout->addWidget(widget);
    layout->addStretch(1);
    return container;
}

} // namespace

PresetEditorDialog::PresetEditorDialog(const PreprocessPreset &initial, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit)
    , m_resizeMode(new QComboBox)
    , m_width(sideSpin(QStringLiteral("presetWidth")))
    , m_height(sideSpin(QStringLiteral("presetHeight")))
    , m_shorterSide(sideSpin(QStringLiteral("presetShorterSide")))
    , m_crop(new QCheckBox(tr("Center crop")))
    , m_cropWidth(sideSpin(QStringLiteral("presetCropWidth")))
    , m_cropHeight(sideSpin(QStringLiteral("presetCropHeight")))
    , m_interpolation(new QComboBox)
    , m_range(new QComboBox)
    , m_channelOrder(new QComboBox)
    , m_summary(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Preprocessing Preset"));
    m_name->setObjectName(QStringLiteral("presetName"));
    m_resizeMode->setObjectName(QStringLiteral("presetResizeMode"));
    m_resizeMode->addItem(tr("Resize to width × height (aspect ratio not kept)"));
    m_resizeMode->addItem(tr("Resize the shorter side (aspect ratio kept)"));
    m_crop->setObjectName(QStringLiteral("presetCrop"));
    m_interpolation->setObjectName(QStringLiteral("presetInterpolation"));
    m_interpolation->addItem(tr("Bilinear, antialiased (Pillow, torchvision)"));
    m_interpolation->addItem(tr("Bicubic, antialiased (Pillow, torchvision)"));
    m_interpolation->addItem(tr("Area (OpenCV)"));
    m_interpolation->addItem(tr("Nearest"));
    m_range->setObjectName(QStringLiteral("presetRange"));
    m_range->addItem(tr("0..1 (ToTensor)"), 1.0);
    m_range->addItem(tr("0..255"), 255.0);
    m_channelOrder->setObjectName(QStringLiteral("presetChannelOrder"));
    m_channelOrder->addItem(QStringLiteral("RGB"));
    m_channelOrder->addItem(QStringLiteral("BGR"));
    for (int c = 0; c < 3; ++c) {
        m_mean[size_t(c)] = channelSpin(-1000.0);
        m_std[size_t(c)] = channelSpin(0.0001);
    }
    m_summary->setObjectName(QStringLiteral("presetSummary"));
    m_summary->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Resize:"), m_resizeMode);
    form->addRow(tr("Width × height:"), row({ m_width, m_height }));
    form->addRow(tr("Shorter side:"), m_shorterSide);
    form->addRow(m_crop, row({ m_cropWidth, m_cropHeight }));
    form->addRow(tr("Interpolation:"), m_interpolation);
    form->addRow(tr("Values:"), m_range);
    form->addRow(tr("Channel order:"), m_channelOrder);
    form->addRow(tr("Mean:"), row({ m_mean[0], m_mean[1], m_mean[2] }));
    form->addRow(tr("Std:"), row({ m_std[0], m_std[1], m_std[2] }));

    QPushButton *importButton = m_buttons->addButton(tr("Import…"), QDialogButtonBox::ActionRole);
    QPushButton *exportButton = m_buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    connect(importButton, &QPushButton::clicked, this, &PresetEditorDialog::chooseImportFile);
    connect(exportButton, &QPushButton::clicked, this, &PresetEditorDialog::chooseExportFile);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);

    setPreset(initial);
    connect(m_name, &QLineEdit::textChanged, this, &PresetEditorDialog::updateState);
    connect(m_resizeMode, &QComboBox::currentIndexChanged, this, &PresetEditorDialog::updateState);
    connect(m_crop, &QCheckBox::toggled, this, &PresetEditorDialog::updateState);
    for (QComboBox *combo : { m_interpolation, m_range, m_channelOrder })
        connect(combo, &QComboBox::currentIndexChanged, this, &PresetEditorDialog::updateState);
    for (QSpinBox *spin : { m_width, m_height, m_shorterSide, m_cropWidth, m_cropHeight })
        connect(spin, &QSpinBox::valueChanged, this, &PresetEditorDialog::updateState);
    for (int c = 0; c < 3; ++c) {
        connect(m_mean[size_t(c)], &QDoubleSpinBox::valueChanged, this, &PresetEditorDialog::updateState);
        connect(m_std[size_t(c)], &QDoubleSpinBox::valueChanged, this, &PresetEditorDialog::updateState);
    }
    updateState();
}

void PresetEditorDialog::setPreset(const PreprocessPreset &preset)
{
    const QSignalBlocker blockName(m_name);
    m_name->setText(preset.name);
    m_resizeMode->setCurrentIndex(preset.resizeMode == PreprocessPreset::ResizeMode::Squash ? 0 : 1);
    m_width->setValue(preset.width);
    m_height->setValue(preset.height);
    m_shorterSide->setValue(preset.shorterSide);
    m_crop->setChecked(preset.cropWidth > 0 && preset.cropHeight > 0);
    m_cropWidth->setValue(std::max(preset.cropWidth, 1));
    m_cropHeight->setValue(std::max(preset.cropHeight, 1));
    m_interpolation->setCurrentIndex(int(preset.interpolation));
    m_range->setCurrentIndex(preset.maxValue == 1.0f ? 0 : 1);
    m_channelOrder->setCurrentIndex(preset.channelOrder == PreprocessPreset::ChannelOrder::Rgb ? 0 : 1);
    for (int c = 0; c < 3; ++c) {
        m_mean[size_t(c)]->setValue(double(preset.mean[size_t(c)]));
        m_std[size_t(c)]->setValue(double(preset.std[size_t(c)]));
    }
    updateState();
}

PreprocessPreset PresetEditorDialog::preset() const
{
    PreprocessPreset preset;
    preset.name = m_name->text().trimmed();
    preset.resizeMode = m_resizeMode->currentIndex() == 0 ? PreprocessPreset::ResizeMode::Squash
                                                          : PreprocessPreset::ResizeMode::ShorterSide;
    preset.width = m_width->value();
    preset.height = m_height->value();
    preset.shorterSide = m_shorterSide->value();
    preset.cropWidth = m_crop->isChecked() ? m_cropWidth->value() : 0;
    preset.cropHeight = m_crop->isChecked() ? m_cropHeight->value() : 0;
    preset.interpolation = PreprocessPreset::Interpolation(m_interpolation->currentIndex());
    preset.maxValue = float(m_range->currentData().toDouble());
    preset.channelOrder = m_channelOrder->currentIndex() == 0 ? PreprocessPreset::ChannelOrder::Rgb
                                                              : PreprocessPreset::ChannelOrder::Bgr;
    for (int c = 0; c < 3; ++c) {
        preset.mean[size_t(c)] = float(m_mean[size_t(c)]->value());
        preset.std[size_t(c)] = float(m_std[size_t(c)]->value());
    }
    return preset;
}

QString PresetEditorDialog::validationError() const
{
    const PreprocessPreset current = preset();
    if (current.name.isEmpty())
        return tr("Enter a name for the preset.");
    if (PreprocessPreset::builtinNames().contains(current.name))
        return tr("\"%1\" is a built-in preset; choose another name.").arg(current.name);
    try {
        PreprocessPreset::fromJson(current.toJson(), tr("this preset"));
    } catch (const Error &error) {
        return error.message();
    }
    return QString();
}

void PresetEditorDialog::updateState()
{
    const bool squash = m_resizeMode->currentIndex() == 0;
    m_width->setEnabled(squash);
    m_height->setEnabled(squash);
    m_shorterSide->setEnabled(!squash);
    m_cropWidth->setEnabled(m_crop->isChecked());
    m_cropHeight->setEnabled(m_crop->isChecked());

    const QString error = validationError();
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(error.isEmpty());
    m_summary->setText(error.isEmpty() ? preset().describe()
                                       : QStringLiteral("<span style='color:#c62828'>%1</span>")
                                             .arg(error.toHtmlEscaped()));
}

QString PresetEditorDialog::importFile(const QString &path)
{
    try {
        setPreset(PreprocessPreset::readFile(path));
    } catch (const Error &error) {
        return error.message();
    }
    return QString();
}

QString PresetEditorDialog::exportFile(const QString &path)
{
    try {
        writeFileAtomically(path, QJsonDocument(preset().toJson()).toJson());
    } catch (const Error &error) {
        return error.message();
    }
    return QString();
}

void PresetEditorDialog::chooseImportFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Preset"), QString(),
                                                      tr("Preset files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString error = importFile(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Import Preset"), error);
}

void PresetEditorDialog::chooseExportFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Preset"),
                                                      preset().name + QStringLiteral(".json"),
                                                      tr("Preset files (*.json)"));
    if (path.isEmpty())
        return;
    const QString error = exportFile(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export Preset"), error);
}

} // namespace halfscope
