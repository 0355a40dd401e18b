// SPDX-License-Identifier: GPL-3.0-or-later
#include "modeljobs.h"

#include "checkpoint/filekind.h"
#include "common/logging.h"
#include "model/modelwriter.h"
#include "run/groundtruth.h"
#include "run/threading.h"

#include <QFileInfo>
#include <QPromise>
#include <QtConcurrent>

namespace halfscope {

namespace {

/// Runs work and turns a core Error (or any other exception) into a Failure.
template<typename T, typename Work>
JobOutcome<T> runGuarded(Work work)
{
    JobOutcome<T> outcome;
    try {
        outcome.value = work();
    } catch (const Error &error) {
        outcome.failure = Failure { error.message(), error.detail() };
    } catch (const std::exception &error) {
        outcome.failure = Failure { QStringLiteral("Unexpected error: %1")
                                        .arg(firstLineOf(error.what())),
                                    QString::fromUtf8(error.what()) };
    }
    return outcome;
}

} // namespace

ModelJobs::ModelJobs(QObject *parent)
    : QObject(parent)
    , m_cancelRequested(std::make_shared<std::atomic_bool>(false))
{
    m_pool.setMaxThreadCount(1);

    connect(&m_openWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<OpenedFile> outcome = m_openWatcher.result();
        finishJob();
        if (!outcome.failure.isNull())
            Q_EMIT failed(m_openTask, outcome.failure);
        else if (!outcome.value.model.isNull())
            Q_EMIT modelLoaded(outcome.value.model);
        else
            Q_EMIT checkpointOpened(outcome.value.checkpoint, outcome.value.tree);
    });
    connect(&m_weightsWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<OpenedFile> outcome = m_weightsWatcher.result();
        finishJob();
        if (outcome.failure.isNull())
            Q_EMIT weightsLoaded(outcome.value.model, outcome.value.report);
        else
            Q_EMIT failed(m_weightsTask, outcome.failure);
    });
    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<Model> outcome = m_loadWatcher.result();
        finishJob();
        if (outcome.failure.isNull())
            Q_EMIT modelLoaded(outcome.value);
        else
            Q_EMIT failed(m_loadTask, outcome.failure);
    });
    connect(&m_convertWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<Model> outcome = m_convertWatcher.result();
        finishJob();
        if (outcome.failure.isNull())
            Q_EMIT modelConverted(outcome.value);
        else
            Q_EMIT failed(m_convertTask, outcome.failure);
    });
    connect(&m_compareWatcher, &QFutureWatcherBase::progressValueChanged, this,
            [this](int value) { Q_EMIT comparisonProgress(value, m_compareWatcher.progressMaximum()); });
    connect(&m_compareWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<ComparisonResult> outcome = m_compareWatcher.result();
        finishJob();
        if (outcome.failure.isNull())
            Q_EMIT comparisonFinished(outcome.value);
        else
            Q_EMIT failed(QStringLiteral("Comparing the models"), outcome.failure);
    });
    connect(&m_benchmarkWatcher, &QFutureWatcherBase::progressValueChanged, this,
            [this](int value) { Q_EMIT benchmarkProgress(value, m_benchmarkWatcher.progressMaximum()); });
    connect(&m_benchmarkWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<BenchmarkResult> outcome = m_benchmarkWatcher.result();
        finishJob();
        if (outcome.failure.isNull())
            Q_EMIT benchmarkFinished(outcome.value);
        else
            Q_EMIT failed(QStringLiteral("Benchmarking the models"), outcome.failure);
    });
    connect(&m_saveWatcher, &QFutureWatcherBase::finished, this, [this] {
        const JobOutcome<ExportReport> outcome = m_saveWatcher.result();
        finishJob();
        if (outcome.failure.isNull()) {
            Q_EMIT modelExported(outcome.value);
            Q_EMIT modelSaved(outcome.value.path);
        }
        else
            Q_EMIT modelSaveFailed(m_savePath, outcome.failure);
    });
}

ModelJobs::~ModelJobs()
{
    m_cancelRequested->store(true);
    m_pool.waitForDone();
}

bool ModelJobs::isBusy() const
{
    return m_runningJobs > 0;
}

void ModelJobs::loadModel(const QString &path)
{
    m_loadTask = QStringLiteral("Opening %1").arg(QFileInfo(path).fileName());
    startJob();
    m_loadWatcher.setFuture(QtConcurrent::run(&m_pool, [path] {
        return runGuarded<Model>([&path] { return Model::load(path); });
    }));
}

void ModelJobs::openFile(const QString &path)
{
    m_openTask = QStringLiteral("Opening %1").arg(QFileInfo(path).fileName());
    startJob();
    m_openWatcher.setFuture(QtConcurrent::run(&m_pool, [path] {
        return runGuarded<OpenedFile>([&path] {
            OpenedFile opened;
            if (QFileInfo(path).isFile() && detectWeightsFileKind(path) == WeightsFileKind::Checkpoint) {
                opened.checkpoint = Checkpoint::open(path);
                opened.tree = buildCheckpointTree(opened.checkpoint);
            } else {
                opened.model = Model::load(path);
            }
            return opened;
        });
    }));
}

void ModelJobs::openCheckpoint(const QString &path)
{
    m_openTask = QStringLiteral("Opening %1").arg(QFileInfo(path).fileName());
    startJob();
    m_openWatcher.setFuture(QtConcurrent::run(&m_pool, [path] {
        return runGuarded<OpenedFile>([&path] {
            OpenedFile opened;
            opened.checkpoint = Checkpoint::open(path);
            opened.tree = buildCheckpointTree(opened.checkpoint);
            return opened;
        });
    }));
}

void ModelJobs::loadWeights(const Model &architecture, const Checkpoint &checkpoint,
                            const WeightLoadOptions &options, bool allowPartial)
{
    m_weightsTask = QStringLiteral("Loading weights from %1").arg(checkpoint.fileName());
    startJob();
    m_weightsWatcher.setFuture(QtConcurrent::run(&m_pool, [architecture, checkpoint, options, allowPartial] {
        return runGuarded<OpenedFile>([&] {
            OpenedFile loaded;
            loaded.model = halfscope::loadWeights(architecture, checkpoint, options, allowPartial, &loaded.report);
            loaded.checkpoint = checkpoint;
            return loaded;
        });
    }));
}

void ModelJobs::convertModel(const Model &reference, Precision precision)
{
    m_convertTask = QStringLiteral("Converting to %1").arg(precisionName(precision));
    startJob();
    m_convertWatcher.setFuture(QtConcurrent::run(&m_pool, [reference, precision] {
        return runGuarded<Model>([&] { return reference.convertedTo(precision); });
    }));
}

void ModelJobs::compare(const Model &reference, const Model &converted, const QStringList &images,
                        const ComparisonOptions &options, const QString &groundTruth)
{
    m_cancelRequested->store(false);
    startJob();
    const std::shared_ptr<std::atomic_bool> cancelRequested = m_cancelRequested;
    const int threads = m_intraOpThreads;
    m_compareWatcher.setFuture(QtConcurrent::run(
        &m_pool, [reference, converted, images, options, groundTruth, cancelRequested, threads](
                     QPromise<JobOutcome<ComparisonResult>> &promise) {
            // The OpenMP thread count is a per-thread setting, so it is set on the worker.
            if (threads > 0)
                setIntraOpThreadCount(threads);
            promise.setProgressRange(0, int(images.size()));
            RunCallbacks callbacks;
            callbacks.progress = [&promise](int processed, int) { promise.setProgressValue(processed); };
            callbacks.isCancelled = [cancelRequested] { return cancelRequested->load(); };
            promise.addResult(runGuarded<ComparisonResult>([&] {
                GroundTruth truth;
                if (groundTruth == QLatin1String("folders"))
                    truth = groundTruthFromFolders(images, options.classNames);
                else if (!groundTruth.isEmpty())
                    truth = groundTruthFromCsv(groundTruth, images, options.classNames);
                ComparisonResult result = compareModels(reference, converted, images, options, callbacks, truth.classes);
                result.warnings << truth.warnings;
                return result;
            }));
        }));
}

void ModelJobs::benchmark(const Model &reference, const Model &converted, const BenchmarkOptions &options)
{
    m_cancelRequested->store(false);
    startJob();
    const std::shared_ptr<std::atomic_bool> cancelRequested = m_cancelRequested;
    m_benchmarkWatcher.setFuture(QtConcurrent::run(
        &m_pool, [reference, converted, options, cancelRequested](QPromise<JobOutcome<BenchmarkResult>> &promise) {
            promise.setProgressRange(0, options.timedIterations
                                            + options.sweepIterations * int(options.sweepBatchSizes.size()));
            RunCallbacks callbacks;
            callbacks.progress = [&promise](int done, int) { promise.setProgressValue(done); };
            callbacks.isCancelled = [cancelRequested] { return cancelRequested->load(); };
            promise.addResult(runGuarded<BenchmarkResult>(
                [&] { return runBenchmark(reference, converted, options, callbacks); }));
        }));
}

void ModelJobs::cancel()
{
    m_cancelRequested->store(true);
    qCInfo(lcUi) << "cancel requested";
}

void ModelJobs::setIntraOpThreads(int threads)
{
    m_intraOpThreads = threads;
}

void ModelJobs::saveModel(const Model &model, const QString &path, const ExportOptions &options)
{
    m_savePath = path;
    startJob();
    m_saveWatcher.setFuture(QtConcurrent::run(&m_pool, [model, path, options] {
        return runGuarded<ExportReport>([&] { return exportModel(model, path, options); });
    }));
}

void ModelJobs::startJob()
{
    if (m_runningJobs++ == 0)
        Q_EMIT busyChanged(true);
}

void ModelJobs::finishJob()
{
    if (--m_runningJobs == 0)
        Q_EMIT busyChanged(false);
}

} // namespace halfscope
