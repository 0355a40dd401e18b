// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "checkpoint/checkpoint.h"
#include "checkpoint/checkpointtree.h"
#include "common/error.h"
#include "model/model.h"
#include "model/modelexport.h"
#include "model/weightloading.h"
#include "run/benchmark.h"
#include "run/comparison.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace halfscope {

/// Result of a background job: a value, or the failure that replaced it.
template<typename T>
struct JobOutcome
{
    T value {};
    Failure failure;
};

/// Runs loading, conversion and comparison on a worker thread.
///
/// Jobs run one at a time on a private one-thread pool, so a model is never
/// used by two jobs at once. Results come back through signals on the thread
/// that owns this object (the GUI thread). Only values cross threads: Model
/// handles, which share immutable modules, and plain result structs.
class ModelJobs : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelJobs)

public:
    explicit ModelJobs(QObject *parent = nullptr);
    /// Requests cancellation and waits for the running job to finish.
    ~ModelJobs() override;

    bool isBusy() const;

    /// Opens a TorchScript model or a checkpoint, whichever the file holds;
    /// emits modelLoaded, checkpointOpened or failed.
    void openFile(const QString &path);
    /// Loads a TorchScript file; emits modelLoaded or failed.
    void loadModel(const QString &path);
    /// Opens a checkpoint; emits checkpointOpened or failed.
    void openCheckpoint(const QString &path);
    /// Copies a checkpoint's weights into a copy of architecture; emits
    /// weightsLoaded or failed.
    void loadWeights(const Model &architecture, const Checkpoint &checkpoint,
                     const WeightLoadOptions &options, bool allowPartial);
    /// Converts a copy of reference; emits modelConverted or failed.
    void convertModel(const Model &reference, Precision precision);
    /// Compares the two models on images; emits comparisonProgress while it
    /// runs and comparisonFinished at the end, also after cancel().
    /// groundTruth is empty for none, "folders" for folder names, or a CSV path.
    void compare(const Model &reference, const Model &converted, const QStringList &images,
                 const ComparisonOptions &options, const QString &groundTruth = QString());
    /// Times the two models with runBenchmark(); emits benchmarkProgress
    /// while it runs and benchmarkFinished at the end, also after cancel().
    void benchmark(const Model &reference, const Model &converted, const BenchmarkOptions &options);
    /// Asks the running comparison or benchmark to stop after its current
    /// batch or timed iteration.
    void cancel();
    /// Sets LibTorch's intra-op thread count for the comparisons started
    /// after this call; 0 keeps the worker thread's current count.
    void setIntraOpThreads(int threads);
    /// Exports model as TorchScript with exportModel() (optionally frozen and
    /// optimized, reloaded and checked, then written atomically); emits
    /// modelExported and modelSaved, or modelSaveFailed.
    void saveModel(const Model &model, const QString &path, const ExportOptions &options = {});

Q_SIGNALS:
    void modelLoaded(const halfscope::Model &model);
    void checkpointOpened(const halfscope::Checkpoint &checkpoint,
                          const halfscope::CheckpointTreeNode &tree);
    void weightsLoaded(const halfscope::Model &model, const halfscope::WeightLoadReport &report);
    void modelConverted(const halfscope::Model &model);
    void comparisonProgress(int processed, int total);
    void comparisonFinished(const halfscope::ComparisonResult &result);
    /// done and total count timed iterations, each a call of both models.
    void benchmarkProgress(int done, int total);
    void benchmarkFinished(const halfscope::BenchmarkResult &result);
    void modelSaved(const QString &path);
    /// Emitted before modelSaved, with what the export checked and any warnings.
    void modelExported(const ExportReport &report);
    void modelSaveFailed(const QString &path, const halfscope::Failure &failure);
    /// task is a short description such as "Opening model.pt".
    void failed(const QString &task, const halfscope::Failure &failure);
    void busyChanged(bool busy);

private:
    void startJob();
    void finishJob();

    QThreadPool m_pool;
    std::shared_ptr<std::atomic_bool> m_cancelRequested;
    /// A model, or a checkpoint with its display tree, from openFile().
    struct OpenedFile
    {
        Model model;
        Checkpoint checkpoint;
        CheckpointTreeNode tree;
        WeightLoadReport report;
    };

    QFutureWatcher<JobOutcome<OpenedFile>> m_openWatcher;
    QFutureWatcher<JobOutcome<Model>> m_loadWatcher;
    QFutureWatcher<JobOutcome<OpenedFile>> m_weightsWatcher;
    QFutureWatcher<JobOutcome<Model>> m_convertWatcher;
    QFutureWatcher<JobOutcome<ComparisonResult>> m_compareWatcher;
    QFutureWatcher<JobOutcome<BenchmarkResult>> m_benchmarkWatcher;
    QFutureWatcher<JobOutcome<ExportReport>> m_saveWatcher;
    QString m_savePath;
    int m_intraOpThreads = 0;
    QString m_loadTask;
    QString m_openTask;
    QString m_weightsTask;
    QString m_convertTask;
    int m_runningJobs = 0;
};

} // namespace halfscope
