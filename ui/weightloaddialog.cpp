// SPDX-License-Identifier: GPL-3.0-or-later
#include "weightloaddialog.h"

#include "common/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace halfscope {

WeightLoadDialog::WeightLoadDialog(const Model &architecture, const Checkpoint &checkpoint, QWidget *parent)
    : QDialog(parent)
    , m_architecture(architecture)
    , m_checkpoint(checkpoint)
    , m_candidates(checkpoint.stateDicts())
{
    setWindowTitle(tr("Load Weights from %1").arg(checkpoint.fileName()));
    setObjectName(QStringLiteral("weightLoadDialog"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Copy the tensors of <b>%1</b> (%2) into <b>%3</b>. The "
                                    "architecture file is not changed.")
                                     .arg(checkpoint.fileName().toHtmlEscaped(), checkpoint.formatName(),
                                          architecture.fileName().toHtmlEscaped())));

    auto *form = new QFormLayout;
    m_stateDictCombo = new QComboBox;
    m_stateDictCombo->setObjectName(QStringLiteral("stateDictCombo"));
    for (const StateDictCandidate &candidate : m_candidates) {
        m_stateDictCombo->addItem(tr("%1 (%2 tensors, %3)")
                                      .arg(candidate.pathText())
                                      .arg(candidate.tensorCount)
                                      .arg(formatBytes(candidate.bytes)),
                                  candidate.pathText());
    }
    m_mappingsEdit = new QLineEdit;
    m_mappingsEdit->setObjectName(QStringLiteral("mappingsEdit"));
    m_mappingsEdit->setPlaceholderText(tr("old.=new., another.="));
    m_mappingsEdit->setToolTip(tr("Comma-separated prefix replacements applied to checkpoint keys before matching"));
    m_stripCheck = new QCheckBox(tr("Strip module. (DataParallel), model. (Lightning) and _orig_mod. (torch.compile)"));
    m_stripCheck->setChecked(true);
    m_partialCheck = new QCheckBox(tr("Accept a partial load (unmatched tensors keep the architecture's values)"));
    m_partialCheck->setObjectName(QStringLiteral("partialCheck"));
    form->addRow(tr("State dict:"), m_stateDictCombo);
    form->addRow(tr("Key prefixes:"), m_mappingsEdit);
    form->addRow(QString(), m_stripCheck);
    layout->addLayout(form);

    m_reportView = new QPlainTextEdit;
    m_reportView->setObjectName(QStringLiteral("reportView"));
    m_reportView->setReadOnly(true);
    m_reportView->setMinimumSize(560, 220);
    layout->addWidget(m_reportView, 1);
    layout->addWidget(m_partialCheck);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Load Weights"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_stateDictCombo, &QComboBox::currentIndexChanged, this, &WeightLoadDialog::updateReport);
    connect(m_mappingsEdit, &QLineEdit::textChanged, this, &WeightLoadDialog::updateReport);
    connect(m_stripCheck, &QCheckBox::toggled, this, &WeightLoadDialog::updateReport);
    connect(m_partialCheck, &QCheckBox::toggled, this, &WeightLoadDialog::updateReport);
    updateReport();
}

WeightLoadOptions WeightLoadDialog::options() const
{
    WeightLoadOptions options;
    const int index = m_stateDictCombo->currentIndex();
    if (index >= 0 && size_t(index) < m_candidates.size()) {
        options.stateDictPath = m_candidates[size_t(index)].keyPath;
        options.stateDictChosen = true;
    }
    for (const QString &pair : m_mappingsEdit->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals > 0)
            options.prefixMappings.push_back({ pair.left(equals).trimmed(), pair.mid(equals + 1).trimmed() });
    }
    options.stripWrapperPrefixes = m_stripCheck->isChecked();
    return options;
}

bool WeightLoadDialog::allowPartial() const
{
    return m_partialCheck->isChecked();
}

bool WeightLoadDialog::selectStateDict(const QString &pathText)
{
    const int index = m_stateDictCombo->findData(pathText);
    if (index >= 0)
        m_stateDictCombo->setCurrentIndex(index);
    return index >= 0;
}

void WeightLoadDialog::updateReport()
{
    QPushButton *load = m_buttons->button(QDialogButtonBox::Ok);
    if (m_candidates.empty()) {
        m_reportView->setPlainText(tr("%1 holds no dictionary of tensors, so there is nothing to load.")
                                       .arg(m_checkpoint.fileName()));
        load->setEnabled(false);
        return;
    }
    try {
        m_report = planWeightLoad(m_architecture, m_checkpoint, options());
        m_reportValid = true;
        QString text = m_report.describe();
        text += m_report.isComplete() ? tr("\n\nEvery parameter and buffer has a match.")
                                      : tr("\n\nThe match is incomplete.");
        m_reportView->setPlainText(text);
    } catch (const Error &error) {
        m_reportValid = false;
        m_reportView->setPlainText(error.message());
    }
    load->setEnabled(m_reportValid && !m_report.matched.isEmpty() && (m_report.isComplete() || m_partialCheck->isChecked()));
}

} // namespace halfscope
