// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/checkpoint.h"
#include "checkpoint/checkpointdata.h"
#include "checkpoint/checkpointtree.h"
#include "checkpoint/filekind.h"
#include "checkpoint/unpickler.h"
#include "common/error.h"
#include "model/model.h"
#include "model/modeldata.h"
#include "model/modelwriter.h"
#include "model/weightloading.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

QString fixture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/") + name;
}

at::Tensor readFloats(const QString &name, std::vector<int64_t> shape)
{
    QFile file(fixture(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    const QByteArray bytes = file.readAll();
    return torch::from_blob(const_cast<char *>(bytes.constData()), shape, torch::kFloat32).clone();
}

/// Runs the model on the fixture input; returns [2, 5] float32 logits.
at::Tensor runOnFixtureInput(const Model &model)
{
    torch::NoGradGuard noGrad;
    torch::jit::Module module = model.data()->module;
    return module.forward({ readFloats(QStringLiteral("input.bin"), { 2, 3, 8, 8 }) }).toTensor();
}

PickleValuePtr entry(const PickleValuePtr &dict, const QString &key)
{
    PickleValuePtr value = dict ? dict->find(key) : nullptr;
    if (!value)
        qFatal("no entry %s", qPrintable(key));
    return value;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content), content.size());
}

} // namespace

class TestCheckpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsNestedStateDict();
    void listsStateDictCandidates();
    void readsPickledModule();
    void readsNamespaceAndNumpy();
    void readsLegacyFormat();
    void readsSafetensors();
    void readsHalfPrecisionAndViews();
    void keepsSharedStorageShared();
    void hostilePickleBecomesPlaceholder();
    void loadsWeightsIntoArchitecture_data();
    void loadsWeightsIntoArchitecture();
    void reportsMismatchedKeys();
    void mapsKeyPrefixes();
    void writesConvertedModel();
    void rejectsBrokenFiles_data();
    void rejectsBrokenFiles();
    void rejectsStorageLargerThanFile();
    void unpicklerRejectsMalformedData_data();
    void unpicklerRejectsMalformedData();
    void detectsFileKind();
    void buildsDisplayTree();
};

void TestCheckpoint::readsNestedStateDict()
{
    const Checkpoint checkpoint = Checkpoint::open(fixture(QStringLiteral("nested.pt")));

    QCOMPARE(checkpoint.format(), Checkpoint::Format::TorchZip);
    const PickleValuePtr root = checkpoint.root();
    QCOMPARE(root->kind, PickleValue::Kind::Dict);
    QCOMPARE(entry(root, QStringLiteral("epoch"))->intValue, 7);
    QCOMPARE(entry(root, QStringLiteral("lr"))->floatValue, 0.01);
    const PickleValuePtr hparams = entry(root, QStringLiteral("hparams"));
    QCOMPARE(entry(hparams, QStringLiteral("name"))->text, QStringLiteral("tiny"));
    QCOMPARE(entry(hparams, QStringLiteral("betas"))->items.size(), size_t(2));

    const PickleValuePtr stateDict = entry(root, QStringLiteral("state_dict"));
    QCOMPARE(stateDict->typeName(), QStringLiteral("OrderedDict"));
    QVERIFY(stateDict->state && stateDict->state->find(QStringLiteral("_metadata")));
    const PickleValuePtr weight = entry(stateDict, QStringLiteral("features.0.weight"));
    QCOMPARE(weight->kind, PickleValue::Kind::Tensor);
    QCOMPARE(weight->tensor->storage->dtype, QStringLiteral("float32"));
    QCOMPARE(weight->tensor->sizes, (std::vector<int64_t> { 4, 3, 3, 3 }));
    QCOMPARE(weight->tensor->byteCount(), int64_t(432));
    QCOMPARE(entry(stateDict, QStringLiteral("features.1.num_batches_tracked"))->tensor->storage->dtype,
             QStringLiteral("int64"));

    const at::Tensor counter = loadTensor(checkpoint, *entry(stateDict, QStringLiteral("features.1.num_batches_tracked"))->tensor);
    QCOMPARE(counter.item<int64_t>(), int64_t(17));
}

void TestCheckpoint::listsStateDictCandidates()
{
    const Checkpoint checkpoint = Checkpoint::open(fixture(QStringLiteral("nested.pt")));
    const std::vector<StateDictCandidate> candidates = checkpoint.stateDicts();

    QCOMPARE(candidates.size(), size_t(2));
    QStringList paths;
    for (const StateDictCandidate &candidate : candidates) {
        paths << candidate.pathText();
        QCOMPARE(candidate.tensorCount, 9);
        QCOMPARE(candidate.bytes, int64_t(620));
    }
    QVERIFY(paths.contains(QStringLiteral("state_dict")));
    QVERIFY(paths.contains(QStringLiteral("ema")));

    const Checkpoint lightning = Checkpoint::open(fixture(QStringLiteral("lightning.pt")));
    QCOMPARE(lightning.stateDicts().size(), size_t(1));
    QCOMPARE(lightning.stateDicts().front().pathText(), QStringLiteral("state_dict"));
    QCOMPARE(entry(entry(lightning.root(), QStringLiteral("hyper_parameters")), QStringLiteral("momentum"))->floatValue, 0.9);
}

void TestCheckpoint::readsPickledModule()
{
    const Checkpoint checkpoint = Checkpoint::open(fixture(QStringLiteral("whole_module.pt")));

    QCOMPARE(checkpoint.root()->kind, PickleValue::Kind::Object);
    QCOMPARE(checkpoint.root()->text, QStringLiteral("__main__.TinyNet"));
    const std::vector<NamedTensor> tensors = checkpoint.tensorsAt({});
    QStringList names;
    for (const NamedTensor &tensor : tensors)
        names << tensor.name;
    QCOMPARE(names.size(), 9);
    QVERIFY(names.contains(QStringLiteral("features.0.weight")));
    QVERIFY(names.contains(QStringLiteral("features.1.running_var")));
    QVERIFY(names.contains(QStringLiteral("head.bias")));
    QCOMPARE(checkpoint.stateDicts().size(), size_t(1));
    QVERIFY(tensors.front().tensor->isParameter);
}

void TestCheckpoint::readsNamespaceAndNumpy()
{
    const PickleValuePtr root = Checkpoint::open(fixture(QStringLiteral("namespace.pt"))).root();

    const PickleValuePtr args = entry(root, QStringLiteral("args"));
    QCOMPARE(args->kind, PickleValue::Kind::Object);
    QCOMPARE(args->text, QStringLiteral("argparse.Namespace"));
    QCOMPARE(entry(args->state, QStringLiteral("depth"))->intValue, 3);
    QCOMPARE(entry(args->state, QStringLiteral("name"))->text, QStringLiteral("run-1"));

    QCOMPARE(entry(root, QStringLiteral("best_accuracy"))->kind, PickleValue::Kind::Float);
    QCOMPARE(entry(root, QStringLiteral("best_accuracy"))->floatValue, 0.9375);
    QCOMPARE(entry(root, QStringLiteral("seed"))->intValue, 42);
    const PickleValuePtr curve = entry(root, QStringLiteral("curve"));
    QCOMPARE(curve->kind, PickleValue::Kind::List);
    QCOMPARE(curve->items.size(), size_t(4));
    QCOMPARE(curve->items[3]->floatValue, 3.0);
    QVERIFY(curve->annotation.startsWith(QLatin1String("numpy.ndarray float32")));
}

void TestCheckpoint::readsLegacyFormat()
{
    const Checkpoint legacy = Checkpoint::open(fixture(QStringLiteral("legacy.pt")));
    const Checkpoint modern = Checkpoint::open(fixture(QStringLiteral("nested.pt")));

    QCOMPARE(legacy.format(), Checkpoint::Format::TorchLegacy);
    const std::vector<NamedTensor> tensors = legacy.tensorsAt({});
    QCOMPARE(tensors.size(), size_t(9));
    for (const NamedTensor &tensor : tensors) {
        const at::Tensor fromLegacy = loadTensor(legacy, *tensor.tensor);
        const PickleValuePtr same = entry(entry(modern.root(), QStringLiteral("state_dict")), tensor.name);
        QVERIFY2(torch::equal(fromLegacy, loadTensor(modern, *same->tensor)), qPrintable(tensor.name));
    }
}

void TestCheckpoint::readsSafetensors()
{
    const Checkpoint single = Checkpoint::open(fixture(QStringLiteral("model.safetensors")));
    const Checkpoint sharded = Checkpoint::open(fixture(QStringLiteral("model.safetensors.index.json")));
    const Checkpoint reference = Checkpoint::open(fixture(QStringLiteral("nested.pt")));

    QCOMPARE(single.format(), Checkpoint::Format::Safetensors);
    QCOMPARE(single.formatName(), QStringLiteral("safetensors"));
    QVERIFY(single.root()->state);
    const PickleValuePtr metadata = entry(single.root()->state, QStringLiteral("__metadata__"));
    QCOMPARE(entry(metadata, QStringLiteral("epoch"))->text, QStringLiteral("7"));
    QCOMPARE(sharded.root()->typeName(), QStringLiteral("safetensors (2 shards)"));
    for (const Checkpoint *checkpoint : { &single, &sharded }) {
        const std::vector<NamedTensor> tensors = checkpoint->tensorsAt({});
        QCOMPARE(tensors.size(), size_t(9));
        for (const NamedTensor &tensor : tensors) {
            const PickleValuePtr original = entry(entry(reference.root(), QStringLiteral("state_dict")), tensor.name);
            QVERIFY2(torch::equal(loadTensor(*checkpoint, *tensor.tensor), loadTensor(reference, *original->tensor)),
                     qPrintable(tensor.name));
        }
    }
}

void TestCheckpoint::readsHalfPrecisionAndViews()
{
    const Checkpoint checkpoint = Checkpoint::open(fixture(QStringLiteral("views.pt")));
    const PickleValuePtr root = checkpoint.root();
    const at::Tensor base = torch::arange(24, torch::kFloat32).reshape({ 4, 6 });

    const at::Tensor half = loadTensor(checkpoint, *entry(root, QStringLiteral("half"))->tensor);
    QCOMPARE(half.scalar_type(), torch::kHalf);
    QVERIFY(torch::equal(half.to(torch::kFloat32), base));
    const at::Tensor bfloat = loadTensor(checkpoint, *entry(root, QStringLiteral("bfloat"))->tensor);
    QCOMPARE(bfloat.scalar_type(), torch::kBFloat16);
    QVERIFY(torch::equal(bfloat.to(torch::kFloat32), base));

    const at::Tensor row = loadTensor(checkpoint, *entry(root, QStringLiteral("row"))->tensor);
    QVERIFY(torch::equal(row, base[1]));
    const at::Tensor column = loadTensor(checkpoint, *entry(root, QStringLiteral("column"))->tensor);
    QVERIFY(!column.is_contiguous() || column.numel() == 1 || column.stride(0) == 6);
    QVERIFY(torch::equal(column, base.select(1, 2)));
    const at::Tensor transposed = loadTensor(checkpoint, *entry(root, QStringLiteral("transposed"))->tensor);
    QVERIFY(!transposed.is_contiguous());
    QVERIFY(torch::equal(transposed, base.t()));
}

void TestCheckpoint::keepsSharedStorageShared()
{
    const Checkpoint checkpoint = Checkpoint::open(fixture(QStringLiteral("views.pt")));
    const PickleValuePtr root = checkpoint.root();

    const auto base = entry(root, QStringLiteral("base"))->tensor;
    const auto row = entry(root, QStringLiteral("row"))->tensor;
    QCOMPARE(base->storage.get(), row->storage.get());
    QCOMPARE(row->storageOffset, int64_t(6));
    const at::Tensor baseTensor = loadTensor(checkpoint, *base);
    const at::Tensor rowTensor = loadTensor(checkpoint, *row);
    QVERIFY(baseTensor.storage().is_alias_of(rowTensor.storage()));
}

void TestCheckpoint::hostilePickleBecomesPlaceholder()
{
    const QString marker = fixture(QStringLiteral("hostile-side-effect"));
    QFile::remove(marker);

    const Checkpoint checkpoint = Checkpoint::open(fixture(QStringLiteral("hostile.pt")));
    const PickleValuePtr payload = entry(checkpoint.root(), QStringLiteral("payload"));
    QCOMPARE(payload->kind, PickleValue::Kind::Object);
    QVERIFY2(payload->text == QLatin1String("posix.system") || payload->text == QLatin1String("os.system"),
             qPrintable(payload->text));
    QCOMPARE(payload->items.size(), size_t(1));
    QVERIFY(payload->items[0]->text.startsWith(QLatin1String("touch ")));
    buildCheckpointTree(checkpoint);
    checkpoint.stateDicts();

    // Unpickling with Python would have run "touch MARKER".
    QVERIFY(!QFile::exists(marker));
    QCOMPARE(loadTensor(checkpoint, *entry(checkpoint.root(), QStringLiteral("weights"))->tensor).sum().item<float>(), 2.0f);
}

void TestCheckpoint::loadsWeightsIntoArchitecture_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("stateDictPath");
    QTest::addColumn<QString>("strippedPrefix");

    QTest::newRow("state dict beside metadata") << QStringLiteral("nested.pt") << QStringLiteral("state_dict") << QString();
    QTest::newRow("pickled module") << QStringLiteral("whole_module.pt") << QStringLiteral("(root)") << QString();
    QTest::newRow("DataParallel prefixes") << QStringLiteral("dataparallel.pt") << QStringLiteral("(root)") << QStringLiteral("module.");
    QTest::newRow("torch.compile prefixes") << QStringLiteral("compiled.pt") << QStringLiteral("(root)") << QStringLiteral("_orig_mod.");
    QTest::newRow("Lightning checkpoint") << QStringLiteral("lightning.pt") << QStringLiteral("state_dict") << QStringLiteral("model.");
    QTest::newRow("Namespace and numpy beside it") << QStringLiteral("namespace.pt") << QStringLiteral("model") << QString();
    QTest::newRow("legacy format") << QStringLiteral("legacy.pt") << QStringLiteral("(root)") << QString();
    QTest::newRow("safetensors") << QStringLiteral("model.safetensors") << QStringLiteral("(root)") << QString();
    QTest::newRow("sharded safetensors") << QStringLiteral("model.safetensors.index.json") << QStringLiteral("(root)") << QString();
}

void TestCheckpoint::loadsWeightsIntoArchitecture()
{
    QFETCH(QString, fileName);
    QFETCH(QString, stateDictPath);
    QFETCH(QString, strippedPrefix);

    const Model architecture = Model::load(fixture(QStringLiteral("architecture.pt")));
    const at::Tensor expected = readFloats(QStringLiteral("expected_output.bin"), { 2, 5 });
    QVERIFY(!torch::allclose(runOnFixtureInput(architecture), expected));

    WeightLoadReport report;
    const Model loaded = loadWeights(architecture, Checkpoint::open(fixture(fileName)), {}, false, &report);

    QVERIFY2(report.isComplete(), qPrintable(report.describe()));
    QCOMPARE(report.stateDictPath, stateDictPath);
    QCOMPARE(report.matched.size(), 9);
    QCOMPARE(report.strippedPrefixes, strippedPrefix.isEmpty() ? QStringList() : QStringList { strippedPrefix });
    // Same weights and same operators: the outputs are bit-identical.
    QVERIFY(torch::equal(runOnFixtureInput(loaded), expected));
    QVERIFY(!torch::allclose(runOnFixtureInput(architecture), expected));
}

void TestCheckpoint::reportsMismatchedKeys()
{
    const Model architecture = Model::load(fixture(QStringLiteral("architecture.pt")));
    const Checkpoint views = Checkpoint::open(fixture(QStringLiteral("views.pt")));

    const WeightLoadReport report = planWeightLoad(architecture, views, {});
    QVERIFY(!report.isComplete());
    QCOMPARE(report.matched.size(), 0);
    QCOMPARE(report.missing.size(), 9);
    QCOMPARE(report.unexpected.size(), 6);
    try {
        loadWeights(architecture, views, {}, false);
        QFAIL("an incomplete match was loaded without allowPartial");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("does not match")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("Missing from the checkpoint (9)")), qPrintable(error.message()));
    }

    // Without stripping, DataParallel keys are all unexpected.
    WeightLoadOptions keepPrefixes;
    keepPrefixes.stripWrapperPrefixes = false;
    const WeightLoadReport unstripped = planWeightLoad(architecture, Checkpoint::open(fixture(QStringLiteral("dataparallel.pt"))), keepPrefixes);
    QCOMPARE(unstripped.unexpected.size(), 9);
    QVERIFY(unstripped.unexpected.contains(QStringLiteral("module.head.weight")));

    // The EMA dict is a complete match too, with different values.
    WeightLoadOptions ema;
    ema.stateDictPath = { QStringLiteral("ema") };
    const Model averaged = loadWeights(architecture, Checkpoint::open(fixture(QStringLiteral("nested.pt"))), ema, false);
    QVERIFY(!torch::equal(runOnFixtureInput(averaged), readFloats(QStringLiteral("expected_output.bin"), { 2, 5 })));
}

void TestCheckpoint::mapsKeyPrefixes()
{
    const Model architecture = Model::load(fixture(QStringLiteral("architecture.pt")));
    WeightLoadOptions options;
    options.stripWrapperPrefixes = false;
    options.prefixMappings = { { QStringLiteral("model."), QString() } };

    const WeightLoadReport report = planWeightLoad(architecture, Checkpoint::open(fixture(QStringLiteral("lightning.pt"))), options);
    QVERIFY2(report.isComplete(), qPrintable(report.describe()));
    QVERIFY(report.strippedPrefixes.isEmpty());
}

void TestCheckpoint::writesConvertedModel()
{
    const Model architecture = Model::load(fixture(QStringLiteral("architecture.pt")));
    const Model loaded = loadWeights(architecture, Checkpoint::open(fixture(QStringLiteral("nested.pt"))), {}, false);
    const Model half = loaded.convertedTo(Precision::Float16);
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("tiny-fp16.pt"));

    saveModel(half, path);

    const Model reloaded = Model::load(path);
    QCOMPARE(reloaded.precision(), Precision::Float16);
    for (const TensorInfo &tensor : reloaded.tensors())
        QVERIFY2(tensor.dtype == QLatin1String("float16") || tensor.dtype == QLatin1String("int64"), qPrintable(tensor.name));
    torch::NoGradGuard noGrad;
    torch::jit::Module module = reloaded.data()->module;
    const at::Tensor input = readFloats(QStringLiteral("input.bin"), { 2, 3, 8, 8 }).to(torch::kHalf);
    const at::Tensor output = module.forward({ input }).toTensor().to(torch::kFloat32);
    QVERIFY(torch::allclose(output, readFloats(QStringLiteral("expected_output.bin"), { 2, 5 }), 0.05, 0.05));
    QVERIFY_THROWS_EXCEPTION(Error, saveModel(reloaded, path));
}

void TestCheckpoint::rejectsBrokenFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expectedPhrase");

    QFile nested(fixture(QStringLiteral("nested.pt")));
    nested.open(QIODevice::ReadOnly);
    const QByteArray complete = nested.readAll();
    QFile legacy(fixture(QStringLiteral("legacy.pt")));
    legacy.open(QIODevice::ReadOnly);
    const QByteArray legacyBytes = legacy.readAll();

    QTest::newRow("empty") << QByteArray() << QStringLiteral("is empty");
    QTest::newRow("random bytes") << QByteArray(2048, '\x17') << QStringLiteral("neither a TorchScript model");
    QTest::newRow("truncated zip") << complete.left(complete.size() / 2) << QStringLiteral("not a valid zip archive");
    QTest::newRow("zip without data.pkl")
        << QByteArray::fromHex("504b0506000000000000000000000000000000000000") << QStringLiteral("not a valid zip archive");
    QTest::newRow("truncated legacy") << legacyBytes.left(legacyBytes.size() - 40) << QStringLiteral("truncated");
    QTest::newRow("plain pickle") << QByteArray::fromHex("80027d71002e") << QStringLiteral("not a torch.save checkpoint");
}

void TestCheckpoint::rejectsBrokenFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expectedPhrase);

    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("broken.pt"));
    writeFile(path, content);
    try {
        Checkpoint::open(path);
        QFAIL("a broken checkpoint was opened");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
    }
}

void TestCheckpoint::rejectsStorageLargerThanFile()
{
    // A legacy-format pickle whose storage claims 2^40 float32 elements.
    QByteArray pickle;
    pickle += QByteArray::fromHex("80028a0a6cfc9c46f9206aa850192e"); // magic number
    pickle += QByteArray::fromHex("80024de9032e");                   // protocol 1001
    pickle += QByteArray::fromHex("80027d2e");                       // system information {}
    // ('storage', torch.FloatStorage, '0', 'cpu', 2**40, None), as a persistent id.
    pickle += QByteArray::fromHex("800228580700000073746f7261676563746f7263680a466c6f617453746f72"
                                  "6167650a58010000003058030000006370758a060000000000014e74512e");
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("huge.pt"));
    writeFile(path, pickle);

    try {
        Checkpoint::open(path);
        QFAIL("a storage larger than the file was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("claims 1099511627776 elements")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
    }
}

void TestCheckpoint::unpicklerRejectsMalformedData_data()
{
    QTest::addColumn<QByteArray>("pickle");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("empty") << QByteArray() << QStringLiteral("ends early");
    QTest::newRow("no STOP") << QByteArray::fromHex("80025d") << QStringLiteral("ends early");
    QTest::newRow("unknown opcode") << QByteArray::fromHex("8002ff2e") << QStringLiteral("unknown opcode 0xff");
    QTest::newRow("pop from empty stack") << QByteArray::fromHex("80023052") << QStringLiteral("empty stack");
    QTest::newRow("missing memo entry") << QByteArray::fromHex("8002680b2e") << QStringLiteral("memo entry 11");
    QTest::newRow("huge string length") << QByteArray::fromHex("800258ffffff7f") << QStringLiteral("ends early");
    QTest::newRow("persistent id without loader") << QByteArray::fromHex("80024e512e") << QStringLiteral("persistent id");
    QTest::newRow("protocol 6") << QByteArray::fromHex("80064e2e") << QStringLiteral("newer than 5");
    QTest::newRow("two values at STOP") << QByteArray::fromHex("80024e4e2e") << QStringLiteral("2 values left");
}

void TestCheckpoint::unpicklerRejectsMalformedData()
{
    QFETCH(QByteArray, pickle);
    QFETCH(QString, expectedPhrase);

    try {
        unpickle(pickle, QStringLiteral("test.pkl"));
        QFAIL("malformed data was unpickled");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("test.pkl")), qPrintable(error.message()));
    }
}

void TestCheckpoint::detectsFileKind()
{
    QCOMPARE(detectWeightsFileKind(fixture(QStringLiteral("architecture.pt"))), WeightsFileKind::TorchScript);
    QCOMPARE(detectWeightsFileKind(fixture(QStringLiteral("nested.pt"))), WeightsFileKind::Checkpoint);
    QCOMPARE(detectWeightsFileKind(fixture(QStringLiteral("legacy.pt"))), WeightsFileKind::Checkpoint);
    try {
        Checkpoint::open(fixture(QStringLiteral("architecture.pt")));
        QFAIL("a TorchScript model was opened as a checkpoint");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("is a TorchScript model")), qPrintable(error.message()));
    }
}

void TestCheckpoint::buildsDisplayTree()
{
    const CheckpointTreeNode tree = buildCheckpointTree(Checkpoint::open(fixture(QStringLiteral("nested.pt"))));

    QCOMPARE(tree.type, QStringLiteral("dict"));
    QCOMPARE(tree.tensorCount, 18);
    QCOMPARE(tree.bytes, int64_t(1240));
    const auto child = [](const CheckpointTreeNode &node, const QString &key) {
        for (const CheckpointTreeNode &candidate : node.children) {
            if (candidate.key == key)
                return candidate;
        }
        return CheckpointTreeNode();
    };
    QCOMPARE(child(tree, QStringLiteral("epoch")).value, QStringLiteral("7"));
    QCOMPARE(child(tree, QStringLiteral("epoch")).type, QStringLiteral("int"));
    const CheckpointTreeNode weight = child(child(tree, QStringLiteral("state_dict")), QStringLiteral("head.weight"));
    QCOMPARE(weight.value, QStringLiteral("float32 [5, 4]"));
    QCOMPARE(weight.bytes, int64_t(80));

    const std::vector<CheckpointDtypeTotal> totals = summarizeCheckpointDtypes(tree);
    QCOMPARE(totals.front().dtype, QStringLiteral("float32"));
    QCOMPARE(totals.front().tensorCount, 16);
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
