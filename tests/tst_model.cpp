// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "model/classnames.h"
#include "model/model.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/script.h>

using namespace halfscope;

namespace {

/// Saves a two-level TorchScript module built in C++: a Linear-like "head"
/// submodule with float parameters, and an int64 buffer on the root.
QString saveDefinedModule(const QString &folder)
{
    torch::jit::Module head("Head");
    head.register_parameter("weight", torch::randn({ 4, 3 }), false);
    head.register_parameter("bias", torch::zeros({ 4 }), false);
    head.define(R"(
def forward(self, x):
    return torch.matmul(x, self.weight.t()) + self.bias
)");

    torch::jit::Module root("TinyClassifier");
    root.register_module("head", head);
    root.register_buffer("calls", torch::zeros({ 2 }, torch::kLong));
    root.define(R"(
def forward(self, x):
    return self.head.forward(x.flatten(1))
)");
    const QString path = folder + QStringLiteral("/tiny.pt");
    root.save(path.toStdString());
    return path;
}

const TensorInfo *findTensor(const std::vector<TensorInfo> &tensors, const QString &name)
{
    for (const TensorInfo &tensor : tensors) {
        if (tensor.name == name)
            return &tensor;
    }
    return nullptr;
}

} // namespace

class TestModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsParametersAndBuffers();
    void summarizesDtypes();
    void readsEmbeddedLabelsAndPreset();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void rejectsCheckpointArchive();
    void leavesOpenedFileUnchanged();
    void presetRoundTripsThroughJson();
    void listsBuiltinPresets();
    void readsPresetFile();
    void presetRejectsInvalidJson_data();
    void presetRejectsInvalidJson();
    void readsLabelsFile();
    void rejectsEmptyLabelsFile();
    void formatsBytes();
};

void TestModel::listsParametersAndBuffers()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const Model model = Model::load(saveDefinedModule(folder.path()));

    const std::vector<TensorInfo> tensors = model.tensors();
    QCOMPARE(tensors.size(), size_t(3));
    const TensorInfo *weight = findTensor(tensors, QStringLiteral("head.weight"));
    QVERIFY(weight);
    QCOMPARE(weight->kind, TensorInfo::Kind::Parameter);
    QCOMPARE(weight->shape, (std::vector<int64_t> { 4, 3 }));
    QCOMPARE(weight->shapeText(), QStringLiteral("[4, 3]"));
    QCOMPARE(weight->dtype, QStringLiteral("float32"));
    QCOMPARE(weight->device, QStringLiteral("cpu"));
    QCOMPARE(weight->elementCount, int64_t(12));
    QCOMPARE(weight->bytes, int64_t(48));

    const TensorInfo *calls = findTensor(tensors, QStringLiteral("calls"));
    QVERIFY(calls);
    QCOMPARE(calls->kind, TensorInfo::Kind::Buffer);
    QCOMPARE(calls->dtype, QStringLiteral("int64"));
    QCOMPARE(calls->bytes, int64_t(16));
    QCOMPARE(model.precision(), Precision::Float32);
    QVERIFY(model.classNames().isEmpty());
    QVERIFY(!model.embeddedPreset());
}

void TestModel::summarizesDtypes()
{
    QTemporaryDir folder;
    const Model model = Model::load(saveDefinedModule(folder.path()));

    const std::vector<DtypeTotal> totals = summarizeDtypes(model.tensors());
    QCOMPARE(totals.size(), size_t(2));
    QCOMPARE(totals[0].dtype, QStringLiteral("float32"));
    QCOMPARE(totals[0].tensorCount, int64_t(2));
    QCOMPARE(totals[0].elementCount, int64_t(16));
    QCOMPARE(totals[0].bytes, int64_t(64));
    QCOMPARE(totals[1].dtype, QStringLiteral("int64"));
    QCOMPARE(totals[1].bytes, int64_t(16));
    QVERIFY(describeDtypes(totals).startsWith(QStringLiteral("16 float32 in 2 tensors (64 B)")));
}

void TestModel::readsEmbeddedLabelsAndPreset()
{
    const Model model = Model::load(test::demoModel());

    QCOMPARE(model.classNames().size(), 1000);
    QCOMPARE(model.classNames().first(), QStringLiteral("kit fox"));
    QVERIFY(model.embeddedPreset().has_value());
    const PreprocessPreset preset = *model.embeddedPreset();
    QCOMPARE(preset.name, QStringLiteral("squash224"));
    QCOMPARE(preset.resizeMode, PreprocessPreset::ResizeMode::Squash);
    QCOMPARE(preset.outputWidth(), 224);
    QCOMPARE(preset.outputHeight(), 224);
    QCOMPARE(preset.mean[0], 0.0f);
    QCOMPARE(preset.std[2], 1.0f);
}

void TestModel::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty.pt") << QStringLiteral("is empty");
    QTest::newRow("random bytes") << QByteArray(4096, '\x5a') << QStringLiteral("random.pt")
                                  << QStringLiteral("as a TorchScript model");
    QTest::newRow("zip without torch records")
        << QByteArray::fromHex("504b0506000000000000000000000000000000000000")
        << QStringLiteral("empty-zip.pt") << QStringLiteral("as a TorchScript model");
    QTest::newRow("missing") << QByteArray() << QStringLiteral("does-not-exist.pt")
                             << QStringLiteral("not found");
}

void TestModel::rejectsBadFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, fileName);
    QFETCH(QString, expectedPhrase);

    QTemporaryDir folder;
    const QString path = folder.filePath(fileName);
    if (!fileName.startsWith(QLatin1String("does-not-exist"))) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }

    try {
        Model::load(path);
        QFAIL("Model::load accepted an invalid file");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
        QVERIFY2(!error.message().contains(QLatin1String("Exception raised from")),
                 qPrintable(error.message()));
    }
}

void TestModel::rejectsCheckpointArchive()
{
    // torch::jit::pickle_save writes the zip layout of Python's torch.save.
    c10::Dict<std::string, at::Tensor> stateDict;
    stateDict.insert("fc.weight", torch::ones({ 2, 2 }));
    const std::vector<char> bytes = torch::jit::pickle_save(stateDict);
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("checkpoint.pt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes.data(), qint64(bytes.size()));
    file.close();

    try {
        Model::load(path);
        QFAIL("a torch.save checkpoint was opened as a model");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path + QStringLiteral(" is a torch.save checkpoint")),
                 qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("torch.jit.save")), qPrintable(error.message()));
    }
}

void TestModel::leavesOpenedFileUnchanged()
{
    QFile file(test::demoModel());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();

    const Model model = Model::load(test::demoModel());
    const Model converted = model.convertedTo(Precision::Float16);
    QCOMPARE(converted.precision(), Precision::Float16);

    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
}

void TestModel::presetRoundTripsThroughJson()
{
    const PreprocessPreset original = PreprocessPreset::imagenet();
    const PreprocessPreset copy = PreprocessPreset::fromJson(original.toJson(), QStringLiteral("test"));

    QCOMPARE(copy.name, original.name);
    QCOMPARE(copy.resizeMode, PreprocessPreset::ResizeMode::ShorterSide);
    QCOMPARE(copy.shorterSide, 256);
    QCOMPARE(copy.cropWidth, 224);
    QCOMPARE(copy.cropHeight, 224);
    QCOMPARE(copy.mean, original.mean);
    QCOMPARE(copy.std, original.std);
}

void TestModel::listsBuiltinPresets()
{
    QCOMPARE(PreprocessPreset::builtinNames(), (QStringList { QStringLiteral("squash224"), QStringLiteral("imagenet"), QStringLiteral("inception") }));
    const PreprocessPreset inception = *PreprocessPreset::builtin(QStringLiteral("inception"));
    QCOMPARE(inception.shorterSide, 342);
    QCOMPARE(inception.outputWidth(), 299);
    QCOMPARE(inception.outputHeight(), 299);
    QVERIFY(!PreprocessPreset::builtin(QStringLiteral("vgg")));
}

void TestModel::readsPresetFile()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("preset.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(PreprocessPreset::inception().toJson()).toJson());
    file.close();
    QCOMPARE(PreprocessPreset::readFile(path).cropWidth, 299);

    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[1, 2]");
    file.close();
    try {
        PreprocessPreset::readFile(path);
        QFAIL("a JSON array was accepted as a preset");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("not a JSON object")), qPrintable(error.message()));
    }
}

void TestModel::presetRejectsInvalidJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("wrong format") << QByteArray(R"({"format":"other","version":1})")
                                  << QStringLiteral("\"format\" must be");
    QTest::newRow("future version")
        << QByteArray(R"({"format":"halfscope.preprocess","version":9,"resize_mode":"squash"})")
        << QStringLiteral("Unsupported preprocessing version 9");
    QTest::newRow("unknown resize mode")
        << QByteArray(R"({"format":"halfscope.preprocess","version":1,"resize_mode":"fit"})")
        << QStringLiteral("\"resize_mode\" must be");
    QTest::newRow("zero width")
        << QByteArray(R"({"format":"halfscope.preprocess","version":1,"resize_mode":"squash","width":0})")
        << QStringLiteral("\"width\" must be");
    QTest::newRow("two means")
        << QByteArray(R"({"format":"halfscope.preprocess","version":1,"resize_mode":"squash","mean":[0,0]})")
        << QStringLiteral("\"mean\" must be a list of three");
    QTest::newRow("zero std")
        << QByteArray(R"({"format":"halfscope.preprocess","version":1,"resize_mode":"squash","std":[1,0,1]})")
        << QStringLiteral("\"std\" must be a list of three positive");
    QTest::newRow("crop width only")
        << QByteArray(R"({"format":"halfscope.preprocess","version":1,"resize_mode":"squash","crop_width":10})")
        << QStringLiteral("set both \"crop_width\" and \"crop_height\"");
    QTest::newRow("shorter side without crop")
        << QByteArray(R"({"format":"halfscope.preprocess","version":1,"resize_mode":"shorter_side"})")
        << QStringLiteral("needs a center crop");
}

void TestModel::presetRejectsInvalidJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expectedPhrase);

    try {
        PreprocessPreset::fromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("model.pt"));
        QFAIL("an invalid preset was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("model.pt")), qPrintable(error.message()));
    }
}

void TestModel::readsLabelsFile()
{
    const QStringList names = readClassNames(test::demoFolder() + QStringLiteral("/tinydarknet_labels.txt"));
    QCOMPARE(names.size(), 1000);
    QVERIFY(names.contains(QStringLiteral("Egyptian cat")));
    QVERIFY(names.contains(QStringLiteral("espresso")));
}

void TestModel::rejectsEmptyLabelsFile()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("labels.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\n\n");
    file.close();

    QVERIFY_THROWS_EXCEPTION(Error, readClassNames(path));
}

void TestModel::formatsBytes()
{
    QCOMPARE(formatBytes(512), QStringLiteral("512 B"));
    QCOMPARE(formatBytes(1536), QStringLiteral("1.5 KiB"));
    QCOMPARE(formatBytes(4 * 1024 * 1024), QStringLiteral("4.0 MiB"));
}

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
