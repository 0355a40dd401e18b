// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "model/model.h"
#include "model/modeldata.h"
#include "model/modelexport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

/// Writes a convolution followed by BatchNorm and a linear layer, the
/// pattern that freezing folds, as a TorchScript archive.
void writeBatchNormModel(const QString &path)
{
    torch::manual_seed(3);
    torch::jit::Module module("BatchNormNet");
    module.register_parameter("conv_weight", torch::randn({ 8, 3, 3, 3 }) * 0.3, false);
    module.register_parameter("conv_bias", torch::randn({ 8 }) * 0.1, false);
    module.register_parameter("bn_weight", torch::rand({ 8 }) + 0.5, false);
    module.register_parameter("bn_bias", torch::randn({ 8 }) * 0.1, false);
    module.register_buffer("bn_mean", torch::randn({ 8 }) * 0.1);
    module.register_buffer("bn_var", torch::rand({ 8 }) + 0.5);
    module.register_parameter("fc_weight", torch::randn({ 4, 8 }) * 0.3, false);
    module.register_parameter("fc_bias", torch::zeros({ 4 }), false);
    module.define(R"(
def forward(self, x):
    y = torch.conv2d(x, self.conv_weight, self.conv_bias)
    y = torch.batch_norm(y, self.bn_weight, self.bn_bias, self.bn_mean, self.bn_var, False, 0.1, 1e-5, False)
    y = torch.relu(y).mean([2, 3])
    return torch.linear(y, self.fc_weight, self.fc_bias)
)");
    module.eval();
    module.save(QFile::encodeName(path).toStdString());
}

at::Tensor forwardOf(const Model &model, const at::Tensor &input)
{
    torch::NoGradGuard noGrad;
    torch::jit::Module module = model.data()->module;
    return module.forward({ input.to(scalarTypeOf(model.precision())) }).toTensor();
}

at::Tensor fixedInput(int side)
{
    auto generator = at::make_generator<at::CPUGeneratorImpl>(5);
    return torch::rand({ 2, 3, side, side }, generator, torch::kFloat32);
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsDemoModel_data();
    void roundTripsDemoModel();
    void foldsBatchNormInFloat16_data();
    void foldsBatchNormInFloat16();
    void optimizesForInference();
    void storesOverriddenMetadata();
    void rejectsOpenedFile();
    void overwritesOpenedFileWhenAllowed();
    void rejectsMissingFolder();
};

void TestExport::roundTripsDemoModel_data()
{
    QTest::addColumn<bool>("freeze");
    QTest::newRow("plain") << false;
    QTest::newRow("frozen") << true;
}

void TestExport::roundTripsDemoModel()
{
    QFETCH(bool, freeze);
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("tiny-fp16.pt"));
    const Model reference = Model::load(test::demoModel());
    const Model half = reference.convertedTo(Precision::Float16);
    ExportOptions options;
    options.freeze = freeze;

    const ExportReport report = exportModel(half, path, options);

    QCOMPARE(report.frozen, freeze);
    QCOMPARE(report.outputDtype, QStringLiteral("float16"));
    QCOMPARE(report.reloadDifference, 0.0);
    QCOMPARE(report.float32ConstantsAfterFreeze, 0);
    QVERIFY(report.bytes > 0);
    for (const QString &dtype : report.tensorDtypes)
        QVERIFY2(dtype.startsWith(QLatin1String("float16 x ")), qPrintable(report.tensorDtypes.join(QLatin1String(", "))));

    const Model exported = Model::load(path);
    QCOMPARE(exported.precision(), Precision::Float16);
    QCOMPARE(exported.classNames(), reference.classNames());
    QVERIFY(exported.embeddedPreset().has_value());
    QCOMPARE(exported.embeddedPreset()->toJson(), reference.embeddedPreset()->toJson());
    const QJsonObject conversion = exported.conversionSettings();
    QCOMPARE(conversion.value(QStringLiteral("format")).toString(), QStringLiteral("halfscope.conversion"));
    QCOMPARE(conversion.value(QStringLiteral("precision")).toString(), QStringLiteral("float16"));
    QCOMPARE(conversion.value(QStringLiteral("frozen")).toBool(), freeze);
    QCOMPARE(conversion.value(QStringLiteral("source_model")).toString(), QStringLiteral("tinydarknet.pt"));

    const at::Tensor input = fixedInput(exported.embeddedPreset()->outputWidth());
    const at::Tensor expected = forwardOf(half, input);
    const at::Tensor actual = forwardOf(exported, input);
    QCOMPARE(actual.scalar_type(), c10::ScalarType::Half);
    if (freeze) {
        // Folding BatchNorm into the convolutions rounds differently in float16.
        const double difference = (actual.to(torch::kFloat32) - expected.to(torch::kFloat32)).abs().max().item<double>();
        QVERIFY2(difference < 0.05, qPrintable(QString::number(difference)));
        // The weights are graph constants now, still in float16.
        const std::vector<TensorInfo> constants = exported.tensors();
        QVERIFY(!constants.empty());
        for (const TensorInfo &tensor : constants) {
            QCOMPARE(tensor.kind, TensorInfo::Kind::Constant);
            QCOMPARE(tensor.kindText(), QStringLiteral("constant"));
            if (tensor.dtype.startsWith(QLatin1String("float")))
                QCOMPARE(tensor.dtype, QStringLiteral("float16"));
        }
    } else {
        QVERIFY(torch::equal(actual, expected));
        QCOMPARE(exported.tensors().size(), half.tensors().size());
    }
}

void TestExport::foldsBatchNormInFloat16_data()
{
    QTest::addColumn<bool>("freeze");
    QTest::newRow("plain") << false;
    QTest::newRow("frozen") << true;
}

void TestExport::foldsBatchNormInFloat16()
{
    QFETCH(bool, freeze);
    QTemporaryDir folder;
    const QString source = folder.filePath(QStringLiteral("bn.pt"));
    writeBatchNormModel(source);
    const Model half = Model::load(source).convertedTo(Precision::Float16);
    ExportOptions options;
    options.freeze = freeze;
    options.preset = PreprocessPreset::squash224();
    const QString path = folder.filePath(QStringLiteral("bn-fp16.pt"));

    const ExportReport report = exportModel(half, path, options);

    // Unfrozen: 8 tensors. Frozen: the folded convolution weight and bias and
    // the linear weight and bias, with BatchNorm's four tensors gone.
    QCOMPARE(report.tensorDtypes, QStringList { freeze ? QStringLiteral("float16 x 4") : QStringLiteral("float16 x 8") });
    QCOMPARE(report.float32ConstantsAfterFreeze, 0);
    QVERIFY2(report.warnings.isEmpty(), qPrintable(report.warnings.join(QLatin1Char('\n'))));
    QVERIFY(report.freezeDifference < 0.01);

    const Model exported = Model::load(path);
    const at::Tensor input = fixedInput(20);
    const at::Tensor actual = forwardOf(exported, input);
    QCOMPARE(actual.scalar_type(), c10::ScalarType::Half);
    const at::Tensor expected = forwardOf(half, input);
    if (freeze)
        QVERIFY((actual.to(torch::kFloat32) - expected.to(torch::kFloat32)).abs().max().item<double>() < 0.01);
    else
        QVERIFY(torch::equal(actual, expected));
}

void TestExport::optimizesForInference()
{
    QTemporaryDir folder;
    const Model half = Model::load(test::demoModel()).convertedTo(Precision::Float16);
    ExportOptions options;
    options.optimizeForInference = true;
    const QString path = folder.filePath(QStringLiteral("optimized.pt"));

    const ExportReport report = exportModel(half, path, options);

    QVERIFY(report.frozen);
    QVERIFY(report.optimized);
    QCOMPARE(report.outputDtype, QStringLiteral("float16"));
    QCOMPARE(Model::load(path).conversionSettings().value(QStringLiteral("optimized_for_inference")).toBool(), true);
}

void TestExport::storesOverriddenMetadata()
{
    QTemporaryDir folder;
    const Model half = Model::load(test::demoModel()).convertedTo(Precision::BFloat16);
    ExportOptions options;
    options.preset = PreprocessPreset::imagenet();
    options.classNames = QStringList { QStringLiteral("first") } + half.classNames().mid(1);
    const QString path = folder.filePath(QStringLiteral("bf16.pt"));

    exportModel(half, path, options);

    const Model exported = Model::load(path);
    QCOMPARE(exported.precision(), Precision::BFloat16);
    QCOMPARE(exported.classNames().first(), QStringLiteral("first"));
    QCOMPARE(exported.embeddedPreset()->toJson(), PreprocessPreset::imagenet().toJson());
}

void TestExport::rejectsOpenedFile()
{
    QTemporaryDir folder;
    const QString copy = folder.filePath(QStringLiteral("model.pt"));
    QVERIFY(QFile::copy(test::demoModel(), copy));
    const QByteArray before = [&copy] { QFile file(copy); file.open(QIODevice::ReadOnly); return file.readAll(); }();
    const Model half = Model::load(copy).convertedTo(Precision::Float16);

    try {
        exportModel(half, copy);
        QFAIL("exportModel overwrote the opened file");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("Refusing to overwrite")), qPrintable(error.message()));
    }
    QFile file(copy);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
}

void TestExport::overwritesOpenedFileWhenAllowed()
{
    QTemporaryDir folder;
    const QString copy = folder.filePath(QStringLiteral("model.pt"));
    QVERIFY(QFile::copy(test::demoModel(), copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    const Model half = Model::load(copy).convertedTo(Precision::Float16);
    ExportOptions options;
    options.overwriteOpenedFile = true;

    exportModel(half, copy, options);

    QCOMPARE(Model::load(copy).precision(), Precision::Float16);
}

void TestExport::rejectsMissingFolder()
{
    const Model half = Model::load(test::demoModel()).convertedTo(Precision::Float16);

    try {
        exportModel(half, QStringLiteral("/nonexistent/out.pt"));
        QFAIL("exportModel accepted a missing folder");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("the folder /nonexistent does not exist")), qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
