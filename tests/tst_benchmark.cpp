// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"
#include "modelfixtures.h"

#include "common/error.h"
#include "model/model.h"
#include "report/benchmarkreport.h"
#include "run/benchmark.h"
#include "run/latencystats.h"
#include "run/memoryusage.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/script.h>

#include <cmath>
#include <random>

using namespace halfscope;

class TestBenchmark : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summarizesKnownSequence();
    void speedupIntervalContainsTrueRatio();
    void benchmarksDemoModel();
    void sweepHasRowPerBatchSize();
    void warmsUpForDuration();
    void randomInputWithoutImages();
    void cancelStopsTiming();
    void rejectsInvalidOptions_data();
    void rejectsInvalidOptions();
    void parsesBatchSizes();
    void rejectsInvalidBatchSizes_data();
    void rejectsInvalidBatchSizes();
    void readsPeakResidentMemory();
    void writesBenchmarkJson();
    void timesInBlocks();
    void fallsBackToContiguousInputs();

private:
    BenchmarkOptions smallOptions() const;

    Model m_reference;
    Model m_half;
};

void TestBenchmark::initTestCase()
{
    m_reference = Model::load(test::demoModel());
    m_half = m_reference.convertedTo(Precision::Float16);
}

BenchmarkOptions TestBenchmark::smallOptions() const
{
    // float16 runs by emulation on most CPUs, about 10x slower than float32,
    // so the batches stay small.
    BenchmarkOptions options;
    options.batchSize = 2;
    options.warmupIterations = 1;
    options.timedIterations = 3;
    options.imagePaths = test::demoPhotos().mid(0, 2);
    options.preset = *m_reference.embeddedPreset();
    return options;
}

void TestBenchmark::summarizesKnownSequence()
{
    // numpy: percentile([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [10, 50, 90]) == [1, 3.5, 6.3],
    // mean 3.9, std(ddof=1) 2.4698..., percentile 75 - percentile 25 == 5 - 2.25.
    const LatencyStats stats = summarizeLatency({ 3, 1, 4, 1, 5, 9, 2, 6, 5, 3 });

    QCOMPARE(stats.medianMs, 3.5);
    QVERIFY(std::abs(stats.p10Ms - 1.0) < 1e-12);
    QVERIFY(std::abs(stats.p90Ms - 6.3) < 1e-12);
    QVERIFY(std::abs(stats.meanMs - 3.9) < 1e-12);
    QVERIFY(std::abs(stats.standardDeviationMs - std::sqrt(54.9 / 9.0)) < 1e-12);
    QVERIFY(std::abs(stats.interquartileRangeMs - 2.75) < 1e-12);
    QVERIFY(stats.isSpreadTooWide());
    QCOMPARE(stats.samplesMs.size(), size_t(10));
}

void TestBenchmark::speedupIntervalContainsTrueRatio()
{
    // The converted model takes 0.8 of the reference's time, so the true
    // speed-up is 1.25; both share a slow drift and add independent noise.
    std::mt19937 generator(11);
    std::normal_distribution<double> noise(0.0, 0.02);
    std::vector<double> reference;
    std::vector<double> converted;
    for (int i = 0; i < 60; ++i) {
        const double drift = 1.0 + 0.3 * std::cos(i / 7.0);
        reference.push_back(50.0 * drift * (1.0 + noise(generator)));
        converted.push_back(40.0 * drift * (1.0 + noise(generator)));
    }

    const SpeedupEstimate estimate = estimateSpeedup(reference, converted);

    QVERIFY(estimate.isValid());
    QVERIFY2(estimate.low <= 1.25 && 1.25 <= estimate.high,
             qPrintable(QStringLiteral("%1 to %2").arg(estimate.low).arg(estimate.high)));
    QVERIFY(estimate.high - estimate.low < 0.3);
}

void TestBenchmark::benchmarksDemoModel()
{
    const BenchmarkOptions options = smallOptions();

    const BenchmarkResult result = runBenchmark(m_reference, m_half, options);

    QVERIFY(!result.cancelled);
    QCOMPARE(result.batchSize, 2);
    QCOMPARE(result.inputWidth, options.preset.outputWidth());
    QVERIFY(result.intraOpThreads >= 1);
    QCOMPARE(result.reference.precision, Precision::Float32);
    QCOMPARE(result.converted.precision, Precision::Float16);
    for (const PrecisionBenchmark *measured : { &result.reference, &result.converted }) {
        const LatencyStats &stats = measured->latency;
        QCOMPARE(stats.samplesMs.size(), size_t(3));
        QCOMPARE(stats.warmupIterations, 1);
        QVERIFY(stats.medianMs > 0.0);
        QVERIFY(stats.p10Ms <= stats.medianMs);
        QVERIFY(stats.medianMs <= stats.p90Ms);
        QVERIFY(stats.meanMs > 0.0);
        QVERIFY(std::abs(measured->imagesPerSecond() - 2 * 1000.0 / stats.medianMs) < 1e-9);
        QVERIFY(measured->peakResidentBytes > measured->parameterBytes);
        QCOMPARE(measured->cudaPeakBytes, qint64(-1));
    }
    // float16 halves the floating-point bytes; only num_batches_tracked (int64) keeps its size.
    QVERIFY(result.converted.parameterBytes < result.reference.parameterBytes * 0.51);
    QVERIFY(result.converted.parameterBytes > result.reference.parameterBytes * 0.49);
    QVERIFY(result.speedup.isValid());
    QVERIFY(result.speedup.low <= result.speedup.ratio && result.speedup.ratio <= result.speedup.high);
    QVERIFY(result.decodeMsPerImage > 0.0);
    QVERIFY(result.preprocessMsPerImage > 0.0);
    for (const bool converted : { false, true }) {
        QVERIFY(result.preprocessShare(converted) > 0.0);
        QVERIFY(result.preprocessShare(converted) < 1.0);
    }
    QVERIFY(result.sweep.empty());
}

void TestBenchmark::sweepHasRowPerBatchSize()
{
    BenchmarkOptions options = smallOptions();
    options.sweepBatchSizes = { 1, 3, 2 };
    options.sweepIterations = 2;
    std::vector<std::pair<int, int>> progress;
    RunCallbacks callbacks;
    callbacks.progress = [&progress](int done, int total) { progress.emplace_back(done, total); };

    const BenchmarkResult result = runBenchmark(m_reference, m_reference.convertedTo(Precision::BFloat16),
                                                options, callbacks);

    // One progress report per timed iteration, first the main timing, then 2 per sweep size.
    const int total = options.timedIterations + 3 * 2;
    QCOMPARE(int(progress.size()), total);
    for (int i = 0; i < total; ++i)
        QCOMPARE(progress[size_t(i)], std::make_pair(i + 1, total));
    QCOMPARE(result.sweep.size(), size_t(3));
    const std::vector<int> expected { 1, 3, 2 };
    for (size_t i = 0; i < expected.size(); ++i) {
        const BatchSweepPoint &point = result.sweep[i];
        QCOMPARE(point.batchSize, expected[i]);
        QCOMPARE(point.iterations, 2);
        QVERIFY(point.referenceMedianMs > 0.0);
        QVERIFY(point.convertedMedianMs > 0.0);
        QVERIFY(std::abs(point.referenceImagesPerSecond - expected[i] * 1000.0 / point.referenceMedianMs) < 1e-9);
        QVERIFY(std::abs(point.convertedImagesPerSecond - expected[i] * 1000.0 / point.convertedMedianMs) < 1e-9);
    }
}

void TestBenchmark::warmsUpForDuration()
{
    BenchmarkOptions options = smallOptions();
    options.batchSize = 1;
    options.warmupSeconds = 0.3;
    const Model bf16 = m_reference.convertedTo(Precision::BFloat16);

    const BenchmarkResult result = runBenchmark(m_reference, bf16, options);

    QVERIFY(result.reference.latency.warmupIterations >= 1);
    QCOMPARE(result.converted.latency.warmupIterations, result.reference.latency.warmupIterations);
}

void TestBenchmark::randomInputWithoutImages()
{
    BenchmarkOptions options = smallOptions();
    options.imagePaths.clear();

    const BenchmarkResult result = runBenchmark(m_reference, m_reference.convertedTo(Precision::BFloat16), options);

    QVERIFY(result.inputDescription.contains(QLatin1String("random")));
    QCOMPARE(result.decodeMsPerImage, 0.0);
    QCOMPARE(result.preprocessShare(false), 0.0);
    QVERIFY(result.reference.latency.medianMs > 0.0);
}

void TestBenchmark::cancelStopsTiming()
{
    BenchmarkOptions options = smallOptions();
    options.sweepBatchSizes = { 1, 2 };
    int polls = 0;
    RunCallbacks callbacks;
    callbacks.isCancelled = [&polls] { return ++polls > 2; };

    const BenchmarkResult result = runBenchmark(m_reference, m_reference.convertedTo(Precision::BFloat16), options, callbacks);

    QVERIFY(result.cancelled);
    QCOMPARE(result.reference.latency.samplesMs.size(), size_t(2));
    QVERIFY(result.sweep.empty());
}

void TestBenchmark::rejectsInvalidOptions_data()
{
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<int>("timedIterations");
    QTest::addColumn<int>("sweepSize");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("zero batch") << 0 << 5 << 1 << QStringLiteral("cpu") << QStringLiteral("Invalid batch size 0");
    QTest::newRow("one timed call") << 2 << 1 << 1 << QStringLiteral("cpu") << QStringLiteral("Invalid number of timed iterations 1");
    QTest::newRow("huge sweep size") << 2 << 5 << 5000 << QStringLiteral("cpu") << QStringLiteral("Invalid sweep batch size 5000");
    QTest::newRow("unknown device") << 2 << 5 << 1 << QStringLiteral("tpu") << QStringLiteral("Unknown device \"tpu\"");
}

void TestBenchmark::rejectsInvalidOptions()
{
    QFETCH(int, batchSize);
    QFETCH(int, timedIterations);
    QFETCH(int, sweepSize);
    QFETCH(QString, device);
    QFETCH(QString, expectedPhrase);
    BenchmarkOptions options = smallOptions();
    options.batchSize = batchSize;
    options.timedIterations = timedIterations;
    options.sweepBatchSizes = { sweepSize };
    options.device = device;

    try {
        runBenchmark(m_reference, m_half, options);
        QFAIL("runBenchmark accepted invalid options");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
    }
}

void TestBenchmark::parsesBatchSizes()
{
    QCOMPARE(parseBatchSizes(QStringLiteral("1,2,4,8")), (std::vector<int> { 1, 2, 4, 8 }));
    QCOMPARE(parseBatchSizes(QStringLiteral(" 16 , 3")), (std::vector<int> { 16, 3 }));
}

void TestBenchmark::rejectsInvalidBatchSizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("badEntry");

    QTest::newRow("zero") << QStringLiteral("1,0,4") << QStringLiteral("\"0\"");
    QTest::newRow("word") << QStringLiteral("1,two") << QStringLiteral("\"two\"");
    QTest::newRow("empty entry") << QStringLiteral("1,,2") << QStringLiteral("\"\"");
    QTest::newRow("too large") << QStringLiteral("8192") << QStringLiteral("\"8192\"");
}

void TestBenchmark::rejectsInvalidBatchSizes()
{
    QFETCH(QString, text);
    QFETCH(QString, badEntry);

    try {
        parseBatchSizes(text);
        QFAIL("parseBatchSizes accepted an invalid list");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("Invalid batch size ") + badEntry), qPrintable(error.message()));
    }
}

void TestBenchmark::readsPeakResidentMemory()
{
    const qint64 before = peakResidentBytes();
    QVERIFY(before > 0);
    // Touching 64 MiB raises the peak by about that much.
    std::vector<char> block(64 << 20, 1);
    QVERIFY(resetPeakResidentBytes());
    const qint64 after = peakResidentBytes();
    QVERIFY2(after >= qint64(block.size()), qPrintable(QString::number(after)));
    block.clear();
    block.shrink_to_fit();
    QVERIFY(resetPeakResidentBytes());
    QVERIFY(peakResidentBytes() < after);
}

void TestBenchmark::writesBenchmarkJson()
{
    BenchmarkOptions options = smallOptions();
    options.sweepBatchSizes = { 1 };
    options.sweepIterations = 1;
    const BenchmarkResult result = runBenchmark(m_reference, m_reference.convertedTo(Precision::BFloat16), options);

    const QJsonObject json = benchmarkToJson(result);

    QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.benchmark"));
    QCOMPARE(json.value(QStringLiteral("schema_version")).toInt(), 2);
    const QJsonObject converted = json.value(QStringLiteral("converted")).toObject();
    QCOMPARE(converted.value(QStringLiteral("precision")).toString(), QStringLiteral("bfloat16"));
    QCOMPARE(converted.value(QStringLiteral("samples_ms")).toArray().size(), 3);
    QCOMPARE(converted.value(QStringLiteral("median_ms")).toDouble(), result.converted.latency.medianMs);
    QCOMPARE(converted.value(QStringLiteral("batch_images")).toInt(), 2);
    QVERIFY(converted.value(QStringLiteral("parameter_bytes")).toDouble() > 0.0);
    QCOMPARE(json.value(QStringLiteral("sweep")).toArray().size(), 1);
    QVERIFY(json.value(QStringLiteral("speedup")).toObject().value(QStringLiteral("ci95_low")).toDouble() > 0.0);
    QCOMPARE(json.value(QStringLiteral("settings")).toObject().value(QStringLiteral("memory_format")).toString(),
             QStringLiteral("channels_last"));
}

void TestBenchmark::timesInBlocks()
{
    BenchmarkOptions options = smallOptions();
    options.timedIterations = 5;
    options.blockSize = 2;
    // Cancellation is polled once per block, before its calls.
    int polls = 0;
    RunCallbacks callbacks;
    callbacks.isCancelled = [&polls] {
        ++polls;
        return false;
    };

    const BenchmarkResult result = runBenchmark(m_reference, m_reference.convertedTo(Precision::BFloat16),
                                                options, callbacks);

    QCOMPARE(polls, 3);
    QCOMPARE(result.blockSize, 2);
    QCOMPARE(result.reference.latency.samplesMs.size(), size_t(5));
    QCOMPARE(result.converted.latency.samplesMs.size(), size_t(5));
    QVERIFY(result.speedup.isValid());
    QCOMPARE(benchmarkToJson(result).value(QStringLiteral("settings")).toObject().value(QStringLiteral("block_size")).toInt(), 2);

    options.blockSize = 0;
    try {
        runBenchmark(m_reference, m_half, options);
        QFAIL("runBenchmark accepted a block size of 0");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("Invalid block size 0")), qPrintable(error.message()));
    }
}

void TestBenchmark::fallsBackToContiguousInputs()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("flattening.pt"));
    test::saveViewAfterConvolutionModel(path);
    const Model reference = Model::load(path);
    BenchmarkOptions options = smallOptions();
    options.sweepBatchSizes = { 1, 2 };
    options.sweepIterations = 1;

    const BenchmarkResult result = runBenchmark(reference, reference.convertedTo(Precision::BFloat16), options);

    QCOMPARE(result.memoryFormat, MemoryFormat::Contiguous);
    QCOMPARE(result.sweep.size(), size_t(2));
    QVERIFY(result.reference.latency.medianMs > 0.0);
    const QStringList fallbacks = result.warnings.filter(QStringLiteral("channels-last"));
    QCOMPARE(fallbacks.size(), 1);
    QVERIFY2(fallbacks.first().contains(QLatin1String("view")), qPrintable(fallbacks.first()));
}

QTEST_GUILESS_MAIN(TestBenchmark)
#include "tst_benchmark.moc"
