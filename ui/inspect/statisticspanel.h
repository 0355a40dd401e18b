// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "inspect/tensorstatistics.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace halfscope {

/// A small panel with one tensor's value statistics and a button that
/// requests them. The owner computes them off the GUI thread.
class StatisticsPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatisticsPanel)

public:
    explicit StatisticsPanel(QWidget *parent = nullptr);

    /// Chooses the tensor the button computes; empty disables it.
    void setTensorName(const QString &name);
    QString tensorName() const { return m_name; }
    void showBusy();
    void showStatistics(const TensorStatistics &statistics);
    void showError(const QString &message);
    /// Returns the text now shown, for tests and the clipboard.
    QString text() const;

Q_SIGNALS:
    void computeRequested(const QString &tensorName);

private:
    QString m_name;
    QPushButton *m_computeButton = nullptr;
    QLabel *m_resultLabel = nullptr;
};

} // namespace halfscope
