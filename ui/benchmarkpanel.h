// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/benchmark.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace halfscope {

class BatchSweepPlot;
class PresetStore;

/// The Benchmark tab: settings of a model-only benchmark of the fp32 and the
/// converted model, a "Run benchmark" button, a summary of the timings and
/// memory, and the batch-size sweep plot.
///
/// The panel runs nothing itself. It emits runRequested, and the window
/// completes the options (models, threads, device, images, preset), starts
/// the job and hands the result back with setResult().
class BenchmarkPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BenchmarkPanel)

public:
    explicit BenchmarkPanel(QWidget *parent = nullptr);

    /// Returns the batch size, warm-up, iterations and sweep of the settings,
    /// with the other fields at their defaults. An empty sweep text means no
    /// sweep. Throws Error naming the invalid entry when the sweep text does
    /// not parse.
    BenchmarkOptions options() const;

    /// Enables or disables "Run benchmark". toolTip explains why it is disabled.
    void setRunEnabled(bool enabled, const QString &toolTip);
    /// Clears the last result and shows that a benchmark is running.
    void showRunning(const QString &inputDescription);
    /// Shows result in the summary and the sweep plot.
    void setResult(const BenchmarkResult &result);
    /// Removes the result and shows the idle text.
    void clearResult();
    bool hasResult() const { return m_hasResult; }
    const BenchmarkResult &result() const { return m_result; }
    BatchSweepPlot *sweepPlot() const { return m_sweepPlot; }

    /// Stores the settings in store's run settings.
    void saveSettings(PresetStore &store) const;
    /// Restores the settings saved by saveSettings(). Settings never stored
    /// keep their defaults.
    void restoreSettings(const PresetStore &store);

Q_SIGNALS:
    void runRequested();

private:
    QWidget *createSettingsGrid();

    QSpinBox *m_batchSpin = nullptr;
    QSpinBox *m_warmupSpin = nullptr;
    QSpinBox *m_iterationsSpin = nullptr;
    QLineEdit *m_sweepEdit = nullptr;
    QSpinBox *m_sweepIterationsSpin = nullptr;
    QPushButton *m_runButton = nullptr;
    QLabel *m_summaryLabel = nullptr;
    BatchSweepPlot *m_sweepPlot = nullptr;
    BenchmarkResult m_result;
    bool m_hasResult = false;
};

} // namespace halfscope
