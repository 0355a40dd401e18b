// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"
#include "modelfixtures.h"

#include "common/error.h"
#include "model/model.h"
#include "report/jsonreport.h"
#include "run/augmentation.h"
#include "run/comparison.h"
#include "run/cpufeatures.h"
#include "run/evaluation.h"
#include "run/groundtruth.h"
#include "run/latencystats.h"
#include "run/loghistogram.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace halfscope;

namespace {

ComparisonOptions demoOptions(const Model &model)
{
    ComparisonOptions options;
    options.preset = *model.embeddedPreset();
    options.classNames = model.classNames();
    options.batchSize = 8;
    options.timedIterations = 0;
    return options;
}

const ImageComparison &resultFor(const ComparisonResult &result, const QString &fileName)
{
    for (const ImageComparison &image : result.images) {
        if (image.path.endsWith(fileName))
            return image;
    }
    qFatal("no result for %s", qPrintable(fileName));
}

} // namespace

class TestComparison : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void demoModelRecognizesPhotos();
    void identicalModelsHaveZeroDrift();
    void fp16DriftIsSmall();
    void hflipMergesTwoViews();
    void failedImageKeepsOthers();
    void cancelKeepsFinishedImages();
    void timesBothPrecisions();
    void reportsNonFiniteOutputs();
    void reportsFailingForward();
    void memoryFormatsAgree();
    void fallsBackToContiguousInputs();
    void rejectsInvalidOptions();
    void evaluatesLabelledFolder();
    void readsGroundTruthCsv();
    void rejectsInvalidGroundTruth();
    void findsClassIndex_data();
    void findsClassIndex();
    void writesJsonReport();
    void expandsViewsImageMajor();
    void mergesMeanOfProbabilities();
    void parsesTtaSpecs_data();
    void parsesTtaSpecs();
    void rejectsInvalidTtaSpecs_data();
    void rejectsInvalidTtaSpecs();
    void appliesViewTransforms();
    void mergesInEveryMode();
    void reportsDriftPerView();
    void computesQuantiles();
    void summarizesLatency();
    void estimatesSpeedupInterval();
    void binsLogHistogram();
    void explainsSlowHalfPrecision();

private:
    Model m_reference;
    Model m_half;
};

void TestComparison::initTestCase()
{
    m_reference = Model::load(test::demoModel());
    m_half = m_reference.convertedTo(Precision::Float16);
}

void TestComparison::demoModelRecognizesPhotos()
{
    const ComparisonResult result = compareModels(m_reference, m_reference,
                                                  { test::demoPhoto(QStringLiteral("chelsea.png")),
                                                    test::demoPhoto(QStringLiteral("coffee.png")) },
                                                  demoOptions(m_reference));

    QCOMPARE(result.comparedCount(), 2);
    const ImageComparison &cat = resultFor(result, QStringLiteral("chelsea.png"));
    QCOMPARE(result.className(cat.reference.top1()), QStringLiteral("Egyptian cat"));
    QVERIFY(cat.reference.top1Probability() > 0.5f);
    const ImageComparison &coffee = resultFor(result, QStringLiteral("coffee.png"));
    QCOMPARE(result.className(coffee.reference.top1()), QStringLiteral("espresso"));
    QVERIFY(coffee.reference.top1Probability() > 0.5f);
    QCOMPARE(int(cat.reference.classes.size()), 5);
    QVERIFY(cat.reference.probabilities[0] >= cat.reference.probabilities[4]);
}

void TestComparison::identicalModelsHaveZeroDrift()
{
    const ComparisonResult result = compareModels(m_reference, m_reference, test::demoPhotos(),
                                                  demoOptions(m_reference));

    QCOMPARE(result.comparedCount(), 5);
    QCOMPARE(result.agreementCount(), 5);
    QCOMPARE(result.maxLogitDelta(), 0.0f);
    QCOMPARE(result.maxProbabilityDelta(), 0.0f);
    for (const ImageComparison &image : result.images) {
        QCOMPARE(image.probabilityDeltas.size(), size_t(1000));
        QCOMPARE(image.reference.classes, image.converted.classes);
    }
}

void TestComparison::fp16DriftIsSmall()
{
    const ComparisonResult result = compareModels(m_reference, m_half, test::demoPhotos(),
                                                  demoOptions(m_reference));

    QCOMPARE(result.precision, Precision::Float16);
    QCOMPARE(result.comparedCount(), 5);
    QCOMPARE(result.agreementCount(), 5);
    // fp16 rounding changes the outputs, but only slightly.
    QVERIFY(result.maxLogitDelta() > 0.0f);
    QVERIFY2(result.maxLogitDelta() < 0.5f, qPrintable(QString::number(result.maxLogitDelta())));
    QVERIFY(result.maxProbabilityDelta() > 0.0f);
    QVERIFY2(result.maxProbabilityDelta() < 0.02f, qPrintable(QString::number(result.maxProbabilityDelta())));
    const ImageComparison &cat = resultFor(result, QStringLiteral("chelsea.png"));
    QCOMPARE(result.className(cat.converted.top1()), QStringLiteral("Egyptian cat"));
}

void TestComparison::hflipMergesTwoViews()
{
    ComparisonOptions options = demoOptions(m_reference);
    const QStringList cat { test::demoPhoto(QStringLiteral("chelsea.png")) };
    const ComparisonResult plain = compareModels(m_reference, m_reference, cat, options);
    options.tta = TtaPlan::parse(QStringLiteral("hflip"));
    const ComparisonResult flipped = compareModels(m_reference, m_reference, cat, options);

    QCOMPARE(flipped.className(flipped.images[0].reference.top1()), QStringLiteral("Egyptian cat"));
    // Averaging with the mirror image changes the probabilities.
    QVERIFY(std::abs(flipped.images[0].reference.top1Probability()
                     - plain.images[0].reference.top1Probability())
            > 1e-4f);
}

void TestComparison::failedImageKeepsOthers()
{
    QTemporaryDir folder;
    const QString textFile = folder.filePath(QStringLiteral("notes.png"));
    QFile file(textFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("plain text, not a PNG");
    file.close();

    const ComparisonResult result = compareModels(
        m_reference, m_reference,
        { test::demoPhoto(QStringLiteral("chelsea.png")), textFile, test::demoPhoto(QStringLiteral("coffee.png")),
          folder.filePath(QStringLiteral("vanished.jpg")) },
        demoOptions(m_reference));

    QCOMPARE(result.comparedCount(), 2);
    QCOMPARE(result.failedCount(), 2);
    QVERIFY2(result.images[1].error.contains(textFile), qPrintable(result.images[1].error));
    QVERIFY2(result.images[3].error.contains(QLatin1String("vanished.jpg")), qPrintable(result.images[3].error));
    QCOMPARE(result.className(result.images[2].reference.top1()), QStringLiteral("espresso"));
}

void TestComparison::cancelKeepsFinishedImages()
{
    ComparisonOptions options = demoOptions(m_reference);
    options.batchSize = 2;
    options.timedIterations = 3;
    int batches = 0;
    RunCallbacks callbacks;
    callbacks.progress = [&batches](int, int) { ++batches; };
    callbacks.isCancelled = [&batches] { return batches >= 1; };

    const ComparisonResult result = compareModels(m_reference, m_reference, test::demoPhotos(), options, callbacks);

    QVERIFY(result.cancelled);
    QCOMPARE(batches, 1);
    QCOMPARE(result.comparedCount(), 2);
    QCOMPARE(result.failedCount(), 0);
    QCOMPARE(result.images.size(), size_t(5));
    QVERIFY(!result.images[4].compared());
    QVERIFY(result.referenceLatency.isEmpty());
}

void TestComparison::timesBothPrecisions()
{
    ComparisonOptions options = demoOptions(m_reference);
    options.batchSize = 2;
    options.warmupIterations = 1;
    options.timedIterations = 3;
    QList<int> progress;
    RunCallbacks callbacks;
    callbacks.progress = [&progress](int processed, int) { progress << processed; };

    const QStringList photos = test::demoPhotos().mid(0, 3);
    const ComparisonResult result = compareModels(m_reference, m_half, photos, options, callbacks);

    QCOMPARE(progress, (QList<int> { 2, 3 }));
    for (const LatencyStats *stats : { &result.referenceLatency, &result.convertedLatency }) {
        QCOMPARE(stats->samplesMs.size(), size_t(3));
        QCOMPARE(stats->batchImages, 2);
        QCOMPARE(stats->batchViews, 2);
        QCOMPARE(stats->warmupIterations, 1);
        QVERIFY(stats->medianMs > 0.0);
        QVERIFY(stats->p10Ms <= stats->medianMs);
        QVERIFY(stats->medianMs <= stats->p90Ms);
        QVERIFY(stats->imagesPerSecond() > 0.0);
    }
    QVERIFY(result.timingError.isEmpty());
}

void TestComparison::reportsNonFiniteOutputs()
{
    // Image means near 0.5 times 1e8 fit in float32 but overflow float16 (max 65504).
    torch::jit::Module overflowing("Overflowing");
    overflowing.define(R"(
def forward(self, x):
    return torch.cat([x.mean([2, 3]), x.mean([2, 3])], 1) * 1.0e8
)");
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("overflow.pt"));
    overflowing.save(path.toStdString());
    const Model reference = Model::load(path);
    ComparisonOptions options = demoOptions(m_reference);
    options.classNames.clear();

    const ComparisonResult result = compareModels(reference, reference.convertedTo(Precision::Float16),
                                                  test::demoPhotos().mid(0, 2), options);

    QCOMPARE(result.comparedCount(), 2);
    QCOMPARE(result.nonFiniteCount(), 2);
    QCOMPARE(result.agreementCount(), 0);
    QCOMPARE(result.outputClasses, 6);
    QVERIFY(std::isnan(result.maxLogitDelta()));
    QVERIFY(std::isnan(result.maxProbabilityDelta()));
    QVERIFY(result.images[0].nonFinite);
    QVERIFY(!result.images[0].top1Agrees);
}

void TestComparison::reportsFailingForward()
{
    torch::jit::Module mismatched("Mismatched");
    mismatched.register_parameter("weight", torch::ones({ 10, 5 }), false);
    mismatched.define(R"(
def forward(self, x):
    return torch.matmul(x.flatten(1), self.weight)
)");
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("mismatched.pt"));
    mismatched.save(path.toStdString());
    const Model reference = Model::load(path);

    const ComparisonResult result = compareModels(reference, reference.convertedTo(Precision::Float16),
                                                  test::demoPhotos().mid(0, 3), demoOptions(m_reference));

    QCOMPARE(result.comparedCount(), 0);
    QCOMPARE(result.failedCount(), 3);
    for (const ImageComparison &image : result.images) {
        QVERIFY2(image.error.contains(QLatin1String("cannot be multiplied")), qPrintable(image.error));
        QVERIFY2(!image.error.contains(QLatin1String("Traceback")), qPrintable(image.error));
    }
    // The forward call fails on contiguous inputs too, so the layout stays.
    QCOMPARE(result.memoryFormat, MemoryFormat::ChannelsLast);
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
}

void TestComparison::memoryFormatsAgree()
{
    ComparisonOptions options = demoOptions(m_reference);
    options.memoryFormat = MemoryFormat::Contiguous;
    const ComparisonResult contiguous = compareModels(m_reference, m_half, test::demoPhotos(), options);
    options.memoryFormat = MemoryFormat::ChannelsLast;
    const ComparisonResult channelsLast = compareModels(m_reference, m_half, test::demoPhotos(), options);

    QCOMPARE(contiguous.memoryFormat, MemoryFormat::Contiguous);
    QCOMPARE(channelsLast.memoryFormat, MemoryFormat::ChannelsLast);
    QVERIFY(channelsLast.warnings.isEmpty());
    QCOMPARE(channelsLast.agreementCount(), 5);
    for (size_t i = 0; i < contiguous.images.size(); ++i) {
        const ImageComparison &nchw = contiguous.images[i];
        const ImageComparison &nhwc = channelsLast.images[i];
        QCOMPARE(nhwc.reference.classes, nchw.reference.classes);
        // Both layouts compute in float32; only the summation order differs.
        for (size_t k = 0; k < nchw.referenceProbabilities.size(); ++k)
            QVERIFY(std::abs(nhwc.referenceProbabilities[k] - nchw.referenceProbabilities[k]) < 1e-5f);
        // float16 kernels differ between the layouts, but their drift is of the same size.
        QVERIFY2(nhwc.maxProbabilityDelta < 0.02f, qPrintable(QString::number(nhwc.maxProbabilityDelta)));
    }
}

void TestComparison::fallsBackToContiguousInputs()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("flattening.pt"));
    test::saveViewAfterConvolutionModel(path);
    const Model reference = Model::load(path);
    ComparisonOptions options = demoOptions(m_reference);
    options.classNames.clear();
    options.batchSize = 2;
    options.timedIterations = 2;

    const ComparisonResult result = compareModels(reference, reference.convertedTo(Precision::BFloat16),
                                                  test::demoPhotos().mid(0, 3), options);

    QCOMPARE(result.comparedCount(), 3);
    QCOMPARE(result.outputClasses, 10);
    QCOMPARE(result.memoryFormat, MemoryFormat::Contiguous);
    QCOMPARE(result.warnings.size(), 1);
    QVERIFY2(result.warnings.first().contains(QLatin1String("channels-last"))
                 && result.warnings.first().contains(QLatin1String("view")),
             qPrintable(result.warnings.first()));
    QVERIFY(result.timingError.isEmpty());
    QVERIFY(result.referenceLatency.medianMs > 0.0);
    const QJsonObject json = comparisonToJson(result);
    QCOMPARE(json.value(QStringLiteral("settings")).toObject().value(QStringLiteral("memory_format")).toString(),
             QStringLiteral("contiguous"));
    QCOMPARE(json.value(QStringLiteral("warnings")).toArray().size(), 1);
    QCOMPARE(json.value(QStringLiteral("warnings")).toArray().at(0).toString(), result.warnings.first());
}

void TestComparison::evaluatesLabelledFolder()
{
    QTemporaryDir folder;
    const QStringList layout { QStringLiteral("Egyptian cat/chelsea.png"), QStringLiteral("espresso/coffee.png"),
                               QStringLiteral("obelisk/rocket.jpg"), QStringLiteral("tiger_cat/astronaut.png"),
                               QStringLiteral("holiday photos/grace_hopper.jpg") };
    QStringList images;
    for (const QString &relative : layout) {
        const QString path = folder.filePath(relative);
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        QVERIFY(QFile::copy(test::demoPhoto(QFileInfo(relative).fileName()), path));
        images << path;
    }
    const GroundTruth truth = groundTruthFromFolders(images, m_reference.classNames());
    QCOMPARE(truth.labelledCount(), 4);
    QCOMPARE(truth.classes[3], int(m_reference.classNames().indexOf(QStringLiteral("tiger cat"))));
    QCOMPARE(truth.classes[4], -1);
    QCOMPARE(truth.warnings.size(), 1);
    QVERIFY2(truth.warnings[0].contains(QLatin1String("holiday photos")), qPrintable(truth.warnings[0]));

    const ComparisonResult result = compareModels(m_reference, m_half, images, demoOptions(m_reference), {}, truth.classes);
    for (const bool converted : { false, true }) {
        const EvaluationSummary summary = evaluate(result, converted);
        QCOMPARE(summary.labelledImages, 4);
        // The astronaut is not a tiger cat; the other three are right.
        QCOMPARE(summary.top1Accuracy, 0.75);
        QCOMPARE(summary.top5Accuracy, 0.75);
        QVERIFY(summary.totalMs > 0.0);
        double expectedLoss = 0.0;
        for (int i = 0; i < 4; ++i) {
            const TargetScore &score = converted ? result.images[size_t(i)].convertedTarget : result.images[size_t(i)].referenceTarget;
            expectedLoss -= std::log(std::clamp(double(score.probability), kLossClampMin, kLossClampMax));
        }
        QVERIFY(std::abs(summary.loss - expectedLoss / 4) < 1e-9);
        // The tiger cat's probability for the astronaut is tiny, so the loss is dominated by it.
        QVERIFY(summary.loss > 1.0);
    }
    QCOMPARE(result.images[0].referenceTarget.rank, 0);
    QVERIFY(result.images[3].referenceTarget.rank >= 5);
    QCOMPARE(evaluate(compareModels(m_reference, m_half, images.mid(0, 1), demoOptions(m_reference)), false).labelledImages, 0);
}

void TestComparison::readsGroundTruthCsv()
{
    QTemporaryDir folder;
    QVERIFY(QDir().mkpath(folder.filePath(QStringLiteral("set"))));
    const QString cat = folder.filePath(QStringLiteral("set/chelsea.png"));
    const QString cup = folder.filePath(QStringLiteral("set/coffee, large.png"));
    const QString other = folder.filePath(QStringLiteral("set/rocket.jpg"));
    const QString csv = folder.filePath(QStringLiteral("truth.csv"));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("path,label\n# comment\nset/chelsea.png,Egyptian cat\n\"set/coffee, large.png\",espresso\n");
    file.close();

    const GroundTruth truth = groundTruthFromCsv(csv, { cat, cup, other }, m_reference.classNames());
    QCOMPARE(truth.classes.size(), size_t(3));
    QCOMPARE(truth.classes[0], int(m_reference.classNames().indexOf(QStringLiteral("Egyptian cat"))));
    QCOMPARE(truth.classes[1], int(m_reference.classNames().indexOf(QStringLiteral("espresso"))));
    QCOMPARE(truth.classes[2], -1);
    QCOMPARE(truth.warnings.size(), 1);
    QVERIFY2(truth.warnings[0].startsWith(QLatin1String("1 of 3 images")), qPrintable(truth.warnings[0]));
}

void TestComparison::rejectsInvalidGroundTruth()
{
    QTemporaryDir folder;
    const QString csv = folder.filePath(QStringLiteral("truth.csv"));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a.png,espresso\nb.png,flying saucer\n");
    file.close();

    try {
        groundTruthFromCsv(csv, {}, m_reference.classNames());
        QFAIL("an unknown class name was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(csv + QStringLiteral(", line 2")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("\"flying saucer\"")), qPrintable(error.message()));
    }
    QVERIFY_THROWS_EXCEPTION(Error, groundTruthFromCsv(folder.filePath(QStringLiteral("missing.csv")), {}, {}));
}

void TestComparison::findsClassIndex_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("expected");

    QTest::newRow("exact") << QStringLiteral("b c") << 1;
    QTest::newRow("case and underscore") << QStringLiteral("B_C") << 1;
    QTest::newRow("index") << QStringLiteral("2") << 2;
    QTest::newRow("index out of range") << QStringLiteral("3") << -1;
    QTest::newRow("negative index") << QStringLiteral("-1") << -1;
    QTest::newRow("unknown") << QStringLiteral("d") << -1;
}

void TestComparison::findsClassIndex()
{
    QFETCH(QString, name);
    QFETCH(int, expected);

    QCOMPARE(findClassIndex(name, { QStringLiteral("a"), QStringLiteral("b c"), QStringLiteral("D e") }), expected);
}

void TestComparison::rejectsInvalidOptions()
{
    ComparisonOptions options = demoOptions(m_reference);
    options.batchSize = 0;
    QVERIFY_THROWS_EXCEPTION(Error, compareModels(m_reference, m_half, test::demoPhotos(), options));

    options = demoOptions(m_reference);
    options.device = QStringLiteral("tpu");
    try {
        compareModels(m_reference, m_half, test::demoPhotos(), options);
        QFAIL("an unknown device was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("\"tpu\"")), qPrintable(error.message()));
    }
    QVERIFY_THROWS_EXCEPTION(Error, compareModels(Model(), m_half, test::demoPhotos(), demoOptions(m_reference)));
}

void TestComparison::writesJsonReport()
{
    const ComparisonResult result = compareModels(m_reference, m_reference,
                                                  { test::demoPhoto(QStringLiteral("coffee.png")),
                                                    QStringLiteral("/nonexistent.png") },
                                                  demoOptions(m_reference));
    const QJsonObject json = comparisonToJson(result);

    QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.comparison"));
    QCOMPARE(json.value(QStringLiteral("schema_version")).toInt(), 3);
    const QJsonObject summary = json.value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("compared")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(), 1);
    const QJsonArray images = json.value(QStringLiteral("images")).toArray();
    QCOMPARE(images.size(), 2);
    const QJsonArray top = images[0].toObject()[QStringLiteral("reference")].toObject()[QStringLiteral("top")].toArray();
    QCOMPARE(top.size(), 5);
    QCOMPARE(top[0].toObject()[QStringLiteral("name")].toString(), QStringLiteral("espresso"));
    QVERIFY(images[1].toObject().contains(QStringLiteral("error")));
}

void TestComparison::expandsViewsImageMajor()
{
    const torch::Tensor images = torch::arange(2 * 3 * 2 * 4, torch::kFloat32).reshape({ 2, 3, 2, 4 });

    QVERIFY(torch::equal(expandViews(images, TtaPlan()), images));
    const torch::Tensor views = expandViews(images, TtaPlan::parse(QStringLiteral("hflip")));
    QCOMPARE(views.sizes().vec(), (std::vector<int64_t> { 4, 3, 2, 4 }));
    QVERIFY(torch::equal(views[0], images[0]));
    QVERIFY(torch::equal(views[1], images[0].flip({ 2 })));
    QVERIFY(torch::equal(views[2], images[1]));
    QCOMPARE(views[1][0][0][0].item<float>(), images[0][0][0][3].item<float>());
}

void TestComparison::mergesMeanOfProbabilities()
{
    const torch::Tensor logits = torch::tensor({ 2.0f, 0.0f, 0.0f, 2.0f }).reshape({ 2, 2 }).to(torch::kHalf);
    const torch::Tensor merged = mergeViews(logits, 2, MergeMode::MeanProbabilities);

    QCOMPARE(merged.scalar_type(), torch::kFloat32);
    QCOMPARE(merged.sizes().vec(), (std::vector<int64_t> { 1, 2 }));
    // The two views are mirror images of each other, so the mean is uniform.
    QVERIFY(std::abs(merged[0][0].item<float>() - 0.5f) < 1e-6f);
    QVERIFY(std::abs(merged[0][1].item<float>() - 0.5f) < 1e-6f);
}

void TestComparison::parsesTtaSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("names");

    QTest::newRow("none") << QStringLiteral("none") << QStringList { QStringLiteral("identity") };
    QTest::newRow("hflip") << QStringLiteral("hflip") << QStringList { QStringLiteral("identity"), QStringLiteral("hflip") };
    QTest::newRow("flips multiply") << QStringLiteral("hflip,vflip")
                                    << QStringList { QStringLiteral("identity"), QStringLiteral("vflip"), QStringLiteral("hflip"),
                                                     QStringLiteral("hflip+vflip") };
    QTest::newRow("rot90 list") << QStringLiteral("rot90=1,3")
                                << QStringList { QStringLiteral("identity"), QStringLiteral("rot90x1"), QStringLiteral("rot90x3") };
    QTest::newRow("hflip and scales") << QStringLiteral("hflip,scales=0.9,1.1")
                                      << QStringList { QStringLiteral("identity"), QStringLiteral("scale0.9"), QStringLiteral("scale1.1"),
                                                       QStringLiteral("hflip"), QStringLiteral("scale0.9+hflip"), QStringLiteral("scale1.1+hflip") };
    QTest::newRow("five crops") << QStringLiteral("five-crop")
                                << QStringList { QStringLiteral("crop-center"), QStringLiteral("crop-tl"), QStringLiteral("crop-tr"),
                                                 QStringLiteral("crop-bl"), QStringLiteral("crop-br") };
}

void TestComparison::parsesTtaSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QStringList, names);

    const TtaPlan plan = TtaPlan::parse(spec, MergeMode::GeometricMean);
    QCOMPARE(plan.viewNames(), names);
    QCOMPARE(plan.merge, MergeMode::GeometricMean);
    QCOMPARE(TtaPlan::parse(QStringLiteral("ten-crop")).viewCount(), 10);
}

void TestComparison::rejectsInvalidTtaSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("unknown") << QStringLiteral("hflip,mosaic") << QStringLiteral("unknown transform \"mosaic\"");
    QTest::newRow("rotation out of range") << QStringLiteral("rot90=5") << QStringLiteral("quarter turns 0 to 3");
    QTest::newRow("tiny scale") << QStringLiteral("scales=0.01") << QStringLiteral("from 0.25 to 4");
    QTest::newRow("crops twice") << QStringLiteral("five-crop,ten-crop") << QStringLiteral("once");
}

void TestComparison::rejectsInvalidTtaSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, expectedPhrase);

    try {
        TtaPlan::parse(spec);
        QFAIL("an invalid TTA spec was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
        QVERIFY2(error.message().contains(spec), qPrintable(error.message()));
    }
}

void TestComparison::appliesViewTransforms()
{
    const torch::Tensor images = torch::arange(2 * 3 * 8 * 8, torch::kFloat32).reshape({ 2, 3, 8, 8 });

    const torch::Tensor rotated = expandViews(images, TtaPlan::parse(QStringLiteral("rot90=1")));
    QVERIFY(torch::equal(rotated[1], torch::rot90(images[0], 1, { 1, 2 })));
    const torch::Tensor flipped = expandViews(images, TtaPlan::parse(QStringLiteral("vflip")));
    QVERIFY(torch::equal(flipped[3], images[1].flip({ 1 })));

    // A constant image stays constant under crops and zoom in, and zoom out pads with zeros.
    const torch::Tensor flat = torch::full({ 1, 3, 16, 16 }, 0.5f);
    const torch::Tensor cropped = expandViews(flat, TtaPlan::parse(QStringLiteral("five-crop")));
    QCOMPARE(cropped.sizes().vec(), (std::vector<int64_t> { 5, 3, 16, 16 }));
    QVERIFY(torch::allclose(cropped, torch::full_like(cropped, 0.5f)));
    const torch::Tensor scaled = expandViews(flat, TtaPlan::parse(QStringLiteral("scales=0.5,2")));
    QCOMPARE(scaled.sizes().vec(), (std::vector<int64_t> { 3, 3, 16, 16 }));
    QVERIFY(torch::allclose(scaled[2], torch::full({ 3, 16, 16 }, 0.5f)));
    QCOMPARE(scaled[1][0][0][0].item<float>(), 0.0f);
    QVERIFY(std::abs(scaled[1][0][8][8].item<float>() - 0.5f) < 1e-6f);

    const torch::Tensor wide = torch::zeros({ 1, 3, 8, 12 });
    QVERIFY_THROWS_EXCEPTION(Error, expandViews(wide, TtaPlan::parse(QStringLiteral("rot90"))));
    QCOMPARE(expandViews(wide, TtaPlan::parse(QStringLiteral("rot90=2"))).size(0), 2);
}

void TestComparison::mergesInEveryMode()
{
    // Two views of one image over two classes.
    const torch::Tensor logits = torch::tensor({ 2.0f, 0.0f, 0.0f, 0.0f }).reshape({ 2, 2 });
    const double p = 1.0 / (1.0 + std::exp(-2.0)); // softmax of [2, 0], first class

    auto first = [&logits](MergeMode mode) { return double(mergeViews(logits, 2, mode)[0][0].item<float>()); };
    QVERIFY(std::abs(first(MergeMode::MeanProbabilities) - (p + 0.5) / 2) < 1e-6);
    QVERIFY(std::abs(first(MergeMode::MeanLogits) - 1.0 / (1.0 + std::exp(-1.0))) < 1e-6);
    const double geometric = std::sqrt(p * 0.5) / (std::sqrt(p * 0.5) + std::sqrt((1 - p) * 0.5));
    QVERIFY(std::abs(first(MergeMode::GeometricMean) - geometric) < 1e-6);
    QVERIFY(std::abs(first(MergeMode::Max) - p / (p + 0.5)) < 1e-6);
    const double sharpened = (std::sqrt(p) + std::sqrt(0.5)) / (std::sqrt(p) + std::sqrt(0.5) + std::sqrt(1 - p) + std::sqrt(0.5));
    QVERIFY(std::abs(first(MergeMode::TSharpen) - sharpened) < 1e-6);
    for (MergeMode mode : { MergeMode::MeanProbabilities, MergeMode::MeanLogits, MergeMode::GeometricMean, MergeMode::Max,
                            MergeMode::TSharpen }) {
        const torch::Tensor merged = mergeViews(logits.to(torch::kHalf), 2, mode);
        QCOMPARE(merged.scalar_type(), torch::kFloat32);
        QVERIFY(std::abs(merged.sum().item<float>() - 1.0f) < 1e-5f);
        QCOMPARE(parseMergeMode(mergeModeName(mode)), std::optional<MergeMode>(mode));
    }
}

void TestComparison::reportsDriftPerView()
{
    ComparisonOptions options = demoOptions(m_reference);
    options.tta = TtaPlan::parse(QStringLiteral("hflip,scales=0.9"), MergeMode::TSharpen);

    const ComparisonResult result = compareModels(m_reference, m_half, test::demoPhotos().mid(0, 2), options);

    QCOMPARE(result.comparedCount(), 2);
    for (const ImageComparison &image : result.images) {
        QCOMPARE(image.viewProbabilityDeltas.size(), size_t(4));
        for (float delta : image.viewProbabilityDeltas) {
            QVERIFY(delta > 0.0f);
            QVERIFY(delta < 0.05f);
        }
    }
    QCOMPARE(result.agreementCount(), 2);
}

void TestComparison::computesQuantiles()
{
    const std::vector<double> values { 5.0, 1.0, 4.0, 2.0, 3.0 };
    QCOMPARE(quantile(values, 0.5), 3.0);
    QCOMPARE(quantile(values, 0.0), 1.0);
    QCOMPARE(quantile(values, 1.0), 5.0);
    // numpy.percentile([1, 2, 3, 4, 5], 10) == 1.4
    QVERIFY(std::abs(quantile(values, 0.1) - 1.4) < 1e-12);
    QVERIFY(std::abs(quantile(values, 0.9) - 4.6) < 1e-12);
    QCOMPARE(quantile({}, 0.5), 0.0);
}

void TestComparison::summarizesLatency()
{
    const LatencyStats stats = summarizeLatency({ 10.0, 12.0, 11.0, 30.0 });
    QCOMPARE(stats.medianMs, 11.5);
    QCOMPARE(stats.meanMs, 15.75);
    QVERIFY(std::abs(stats.p10Ms - 10.3) < 1e-12);
    QVERIFY(std::abs(stats.p90Ms - 24.6) < 1e-12);
    QCOMPARE(stats.samplesMs.size(), size_t(4));
}

void TestComparison::estimatesSpeedupInterval()
{
    // Paired runs whose true ratio is 2: both models slow down together
    // (machine drift) and each run adds its own noise.
    std::mt19937 generator(7);
    std::normal_distribution<double> noise(0.0, 0.03);
    std::vector<double> reference;
    std::vector<double> converted;
    for (int i = 0; i < 40; ++i) {
        const double drift = 1.0 + 0.2 * std::sin(i / 5.0);
        reference.push_back(20.0 * drift * (1.0 + noise(generator)));
        converted.push_back(10.0 * drift * (1.0 + noise(generator)));
    }

    const SpeedupEstimate estimate = estimateSpeedup(reference, converted);
    QVERIFY(estimate.isValid());
    QCOMPARE(estimate.resamples, 2000);
    QVERIFY2(estimate.low <= 2.0 && 2.0 <= estimate.high,
             qPrintable(QStringLiteral("%1 to %2").arg(estimate.low).arg(estimate.high)));
    QVERIFY(estimate.low <= estimate.ratio && estimate.ratio <= estimate.high);
    QVERIFY(estimate.high - estimate.low < 0.5);
    QCOMPARE(estimateSpeedup(reference, converted).low, estimate.low);
    QVERIFY(!estimateSpeedup({ 1.0 }, { 2.0 }).isValid());

    const LatencyStats steady = summarizeLatency({ 10.0, 10.1, 9.9, 10.0, 10.05 });
    QVERIFY(!steady.isSpreadTooWide());
    const LatencyStats noisy = summarizeLatency({ 10.0, 14.0, 8.0, 12.0, 9.0 });
    QVERIFY(noisy.isSpreadTooWide());
    QVERIFY(std::abs(noisy.standardDeviationMs - std::sqrt(5.8)) < 1e-9);
    QCOMPARE(noisy.interquartileRangeMs, 3.0);
}

void TestComparison::binsLogHistogram()
{
    const LogHistogram histogram = logHistogram({ 0.0f, 1e-12f, 2e-3f, 5e-3f, 0.5f, 3.0f }, -6, 0, 2);

    QCOMPARE(histogram.counts.size(), size_t(12));
    QCOMPARE(histogram.zeroCount, 1);
    QCOMPARE(histogram.belowCount, 1);
    QCOMPARE(histogram.aboveCount, 1);
    QCOMPARE(histogram.counts.front(), 1.0);  // 1e-12, clamped into the first bin
    QCOMPARE(histogram.counts[6], 1.0);       // 2e-3 lies in [1e-3, 10^-2.5)
    QCOMPARE(histogram.counts[7], 1.0);       // 5e-3 lies in [10^-2.5, 1e-2)
    QCOMPARE(histogram.counts.back(), 2.0);   // 0.5, and 3.0 clamped into the last bin
    QVERIFY(std::abs(histogram.lowerEdges[6] - 1e-3) < 1e-12);
}

void TestComparison::explainsSlowHalfPrecision()
{
    CpuFeatures withoutFp16;
    withoutFp16.known = true;
    withoutFp16.modelName = QStringLiteral("Test CPU");
    withoutFp16.halfFeatures = { QStringLiteral("f16c") };
    const QString explanation = explainSlowdown(Precision::Float16, QStringLiteral("cpu"), 9.5, withoutFp16);
    QVERIFY2(explanation.contains(QLatin1String("AVX512-FP16")), qPrintable(explanation));
    QVERIFY2(explanation.contains(QLatin1String("Test CPU")), qPrintable(explanation));
    QVERIFY2(explanation.contains(QLatin1String("9.5x")), qPrintable(explanation));

    QVERIFY(explainSlowdown(Precision::Float16, QStringLiteral("cpu"), 0.6, withoutFp16).isEmpty());

    CpuFeatures withFp16 = withoutFp16;
    withFp16.halfFeatures << QStringLiteral("avx512_fp16");
    QVERIFY(withFp16.hasNativeFp16());
    QVERIFY(explainSlowdown(Precision::Float16, QStringLiteral("cpu"), 1.5, withFp16).contains(QLatin1String("reports native")));
}

QTEST_GUILESS_MAIN(TestComparison)
#include "tst_comparison.moc"
