// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "model/model.h"
#include "model/weightloading.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;

namespace halfscope {

/// Lets the user choose how a checkpoint's state dict maps onto a model and
/// shows the match report (matched, missing, unexpected, mis-shaped keys)
/// before anything is loaded. Matching reads no tensor data, so the report
/// updates as the choices change.
class WeightLoadDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WeightLoadDialog)

public:
    WeightLoadDialog(const Model &architecture, const Checkpoint &checkpoint, QWidget *parent = nullptr);

    WeightLoadOptions options() const;
    bool allowPartial() const;
    const WeightLoadReport &report() const { return m_report; }
    /// Selects the state dict by its key path text ("state_dict", "(root)").
    bool selectStateDict(const QString &pathText);

private:
    void updateReport();

    Model m_architecture;
    Checkpoint m_checkpoint;
    std::vector<StateDictCandidate> m_candidates;
    WeightLoadReport m_report;
    bool m_reportValid = false;

    QComboBox *m_stateDictCombo = nullptr;
    QLineEdit *m_mappingsEdit = nullptr;
    QCheckBox *m_stripCheck = nullptr;
    QCheckBox *m_partialCheck = nullptr;
    QPlainTextEdit *m_reportView = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace halfscope
