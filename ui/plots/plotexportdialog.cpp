// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/plotexportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace halfscope {

PlotSizeWidget::PlotSizeWidget(QWidget *parent)
    : QWidget(parent)
{
    m_widthSpin = new QSpinBox;
    m_widthSpin->setObjectName(QStringLiteral("widthSpin"));
    m_widthSpin->setRange(16, 20000);
    m_heightSpin = new QSpinBox;
    m_heightSpin->setObjectName(QStringLiteral("heightSpin"));
    m_heightSpin->setRange(16, 20000);
    m_scaleSpin = new QDoubleSpinBox;
    m_scaleSpin->setObjectName(QStringLiteral("scaleSpin"));
    m_scaleSpin->setRange(0.1, 10.0);
    m_scaleSpin->setSingleStep(0.5);
    m_scaleSpin->setDecimals(2);
    m_scaleSpin->setToolTip(tr("Multiplies the output size and keeps the layout: 2 gives a PNG with "
                               "twice the pixels per side and the same fonts and lines, only sharper"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_widthSpin);
    layout->addWidget(new QLabel(QStringLiteral("×")));
    layout->addWidget(m_heightSpin);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Scale:")));
    layout->addWidget(m_scaleSpin);
    layout->addStretch(1);
    setSize(PlotExportSettings());
    setUnitText(tr(" px"));
}

void PlotSizeWidget::setSize(const PlotExportSettings &settings)
{
    m_widthSpin->setValue(settings.width);
    m_heightSpin->setValue(settings.height);
    m_scaleSpin->setValue(settings.scale);
}

PlotExportSettings PlotSizeWidget::applyTo(PlotExportSettings settings) const
{
    settings.width = m_widthSpin->value();
    settings.height = m_heightSpin->value();
    settings.scale = m_scaleSpin->value();
    return settings;
}

void PlotSizeWidget::setUnitText(const QString &unit)
{
    m_widthSpin->setSuffix(unit);
    m_heightSpin->setSuffix(unit);
}

PlotExportDialog::PlotExportDialog(const QString &basePath, const PlotExportSettings &settings, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export Plot"));
    m_pathEdit = new QLineEdit(basePath + QLatin1Char('.') + plotFormatSuffix(settings.format));
    m_pathEdit->setObjectName(QStringLiteral("pathEdit"));
    auto *browseButton = new QPushButton(tr("Browse…"));
    connect(browseButton, &QPushButton::clicked, this, &PlotExportDialog::browse);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_pathEdit, 1);
    pathRow->addWidget(browseButton);

    m_formatCombo = new QComboBox;
    m_formatCombo->setObjectName(QStringLiteral("formatCombo"));
    m_formatCombo->addItem(tr("PNG image"), int(PlotFormat::Png));
    m_formatCombo->addItem(tr("PDF document (vector)"), int(PlotFormat::Pdf));
    m_formatCombo->addItem(tr("SVG drawing (vector)"), int(PlotFormat::Svg));
    m_formatCombo->setCurrentIndex(m_formatCombo->findData(int(settings.format)));
    connect(m_formatCombo, &QComboBox::currentIndexChanged, this, &PlotExportDialog::onFormatChanged);
    m_sizeWidget = new PlotSizeWidget;
    m_sizeWidget->setSize(settings);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("Format:"), m_formatCombo);
    form->addRow(tr("Size:"), m_sizeWidget);
    form->addRow(buttons);
    onFormatChanged();
}

QString PlotExportDialog::filePath() const
{
    return m_pathEdit->text().trimmed();
}

PlotExportSettings PlotExportDialog::settings() const
{
    PlotExportSettings settings;
    settings.format = PlotFormat(m_formatCombo->currentData().toInt());
    return m_sizeWidget->applyTo(settings);
}

void PlotExportDialog::browse()
{
    const QString suffix = plotFormatSuffix(settings().format);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Plot"), filePath(),
                                                      tr("%1 files (*.%2)").arg(suffix.toUpper(), suffix));
    if (!path.isEmpty())
        m_pathEdit->setText(path);
    if (const std::optional<PlotFormat> format = plotFormatForFileName(path))
        m_formatCombo->setCurrentIndex(m_formatCombo->findData(int(*format)));
}

void PlotExportDialog::onFormatChanged()
{
    const PlotFormat format = settings().format;
    m_sizeWidget->setUnitText(format == PlotFormat::Png ? tr(" px") : tr(" pt"));
    const QFileInfo info(filePath());
    const QString suffix = plotFormatSuffix(format);
    if (info.suffix().toLower() != suffix)
        m_pathEdit->setText(info.dir().filePath(info.completeBaseName() + QLatin1Char('.') + suffix));
}

} // namespace halfscope
