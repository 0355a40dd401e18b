// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "inspect/inspectionjson.h"
#include "inspect/inspector.h"
#include "inspect/tensorstatistics.h"
#include "model/model.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/script.h>

#include <cmath>

using namespace halfscope;

namespace {

QString architecture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_ARCHITECTURE_FIXTURES "/") + name;
}

QString checkpointFixture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/") + name;
}

/// Returns resnet18.json, PyTorch's own parameter and buffer counts.
QJsonObject pytorchCounts()
{
    QFile file(architecture(QStringLiteral("resnet18.json")));
    if (!file.open(QIODevice::ReadOnly))
        return QJsonObject();
    return QJsonDocument::fromJson(file.readAll()).object();
}

const ModuleNode *childNamed(const ModuleNode &node, const QString &name)
{
    for (const ModuleNode &child : node.children) {
        if (child.name == name)
            return &child;
    }
    return nullptr;
}

bool hasDtype(const ModuleNode &node, const QString &dtype)
{
    for (const DtypeTotal &total : node.dtypes) {
        if (total.dtype == dtype)
            return true;
    }
    return false;
}

/// Checks that every node's subtree counts are its own plus its children's.
void checkSubtreeSums(const ModuleNode &node)
{
    TensorCounts sum = node.own;
    int64_t dtypeBytes = 0;
    for (const ModuleNode &child : node.children) {
        sum.add(child.subtree);
        checkSubtreeSums(child);
    }
    for (const DtypeTotal &total : node.dtypes)
        dtypeBytes += total.bytes;
    QCOMPARE(node.subtree.parameters, sum.parameters);
    QCOMPARE(node.subtree.buffers, sum.buffers);
    QCOMPARE(node.subtree.elements, sum.elements);
    QCOMPARE(node.subtree.bytes, sum.bytes);
    QCOMPARE(dtypeBytes, node.subtree.bytes);
}

const AttributeInfo *findAttribute(const Inspection &inspection, const QString &modulePath, const QString &name)
{
    for (const AttributeInfo &attribute : inspection.attributes) {
        if (attribute.modulePath == modulePath && attribute.name == name)
            return &attribute;
    }
    return nullptr;
}

/// The float32 values of the statistics fixture, chosen at the float16 bounds.
std::vector<float> statisticsValues()
{
    return {
        0.0f, 0.0f, 1.0f, -2.0f, 3.5f,
        70000.0f,                  // overflow
        -65520.0f,                 // overflow: the tie rounds to 65536, which is inf
        65519.0f,                  // rounds down to 65504, no overflow
        1.0e-6f,                   // subnormal
        -std::ldexp(1.0f, -24),    // the smallest subnormal
        std::ldexp(1.0f, -25),     // the tie rounds to 0: underflow
        std::ldexp(1.0f, -30),     // underflow
        std::ldexp(1.0f, -14),     // the smallest normal
        std::ldexp(1.0f, -14) - std::ldexp(1.0f, -25), // the tie rounds up to 2^-14: normal
        std::nanf(""),
        INFINITY,
    };
}

/// Saves a module whose buffer "values" holds statisticsValues() and whose
/// buffer "steps" holds int64 values.
QString saveStatisticsModule(const QString &folder)
{
    const std::vector<float> values = statisticsValues();
    torch::jit::Module module("Statistics");
    module.register_buffer("values", torch::tensor(values, torch::kFloat32));
    module.register_buffer("steps", torch::tensor({ 0, 0, 4, 8 }, torch::kLong));
    module.define(R"(
def forward(self, x):
    return x * self.values.sum()
)");
    const QString path = folder + QStringLiteral("/statistics.pt");
    module.save(path.toStdString());
    return path;
}

} // namespace

class TestInspect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void subtreesMatchPytorch_data();
    void subtreesMatchPytorch();
    void mixedModelShowsDtypes();
    void listsForwardWithSchema_data();
    void listsForwardWithSchema();
    void listsAttributesAndConstants();
    void computesExactStatistics();
    void statisticsOfIntegerBuffer();
    void statisticsRejectUnknownName();
    void jsonFollowsSchema();
    void inspectsCheckpoint();
};

void TestInspect::subtreesMatchPytorch_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("scripted") << QStringLiteral("resnet18_scripted.pt");
    QTest::newRow("traced") << QStringLiteral("resnet18_traced.pt");
}

void TestInspect::subtreesMatchPytorch()
{
    QFETCH(QString, file);
    const QJsonObject expected = pytorchCounts();
    QVERIFY2(!expected.isEmpty(), "resnet18.json is missing; run the make_architecture_fixtures test first");

    const Inspection inspection = inspectModel(Model::load(architecture(file)));
    const ModuleNode &root = inspection.root;
    const QJsonObject total = expected.value(QStringLiteral("total")).toObject();
    QCOMPARE(root.subtree.parameters, total.value(QStringLiteral("parameters")).toInt());
    QCOMPARE(root.subtree.buffers, total.value(QStringLiteral("buffers")).toInt());
    QCOMPARE(root.subtree.elements, total.value(QStringLiteral("elements")).toInteger());
    QCOMPARE(root.subtree.bytes, total.value(QStringLiteral("bytes")).toInteger());
    QCOMPARE(root.subtree.tensors, int(inspection.tensors.size()));

    const QJsonObject children = expected.value(QStringLiteral("children")).toObject();
    QCOMPARE(int(root.children.size()), children.size());
    for (auto it = children.begin(); it != children.end(); ++it) {
        const ModuleNode *child = childNamed(root, it.key());
        QVERIFY2(child, qPrintable(it.key()));
        const QJsonObject counts = it.value().toObject();
        QCOMPARE(child->path, it.key());
        QCOMPARE(child->subtree.parameters, counts.value(QStringLiteral("parameters")).toInt());
        QCOMPARE(child->subtree.buffers, counts.value(QStringLiteral("buffers")).toInt());
        QCOMPARE(child->subtree.elements, counts.value(QStringLiteral("elements")).toInteger());
        QCOMPARE(child->subtree.bytes, counts.value(QStringLiteral("bytes")).toInteger());
    }
    checkSubtreeSums(root);

    const ModuleNode *block = findModule(root, QStringLiteral("layer2.0"));
    QVERIFY(block);
    QCOMPARE(block->typeName.section(QLatin1Char('.'), -1), QStringLiteral("BasicBlock"));
    QVERIFY(block->typeName.startsWith(QLatin1String("__torch__.")));
    QCOMPARE(block->shortTypeName(), QStringLiteral("BasicBlock"));
    QVERIFY(findModule(root, QStringLiteral("layer2.0.downsample.1")));
    QCOMPARE(findModule(root, QStringLiteral("layer2.0.conv1"))->own.parameters, 1);
    QVERIFY(!findModule(root, QStringLiteral("layer9")));
}

void TestInspect::mixedModelShowsDtypes()
{
    const Inspection inspection = inspectModel(Model::load(architecture(QStringLiteral("resnet18_mixed.pt"))));
    const ModuleNode &root = inspection.root;

    for (const QString &name : { QStringLiteral("layer4"), QStringLiteral("fc") }) {
        const ModuleNode *node = childNamed(root, name);
        QVERIFY(node);
        QVERIFY2(hasDtype(*node, QStringLiteral("float16")), qPrintable(name));
        QVERIFY2(!hasDtype(*node, QStringLiteral("float32")), qPrintable(name));
    }
    for (const QString &name : { QStringLiteral("conv1"), QStringLiteral("bn1"), QStringLiteral("layer1"),
                                 QStringLiteral("layer2"), QStringLiteral("layer3") }) {
        const ModuleNode *node = childNamed(root, name);
        QVERIFY(node);
        QVERIFY2(hasDtype(*node, QStringLiteral("float32")), qPrintable(name));
        QVERIFY2(!hasDtype(*node, QStringLiteral("float16")), qPrintable(name));
    }
    // BatchNorm's num_batches_tracked stays int64 after .half().
    QVERIFY(hasDtype(*childNamed(root, QStringLiteral("layer4")), QStringLiteral("int64")));
    QCOMPARE(root.dtypes.size(), size_t(3));
    QCOMPARE(root.subtree.bytes, pytorchCounts().value(QStringLiteral("mixed_total")).toObject()
                                     .value(QStringLiteral("bytes")).toInteger());

    const QString mix = describeDtypeMix(childNamed(root, QStringLiteral("layer3"))->dtypes);
    QVERIFY2(mix.startsWith(QLatin1String("float32 ")), qPrintable(mix));
    QVERIFY2(mix.contains(QLatin1String("int64 <1%")), qPrintable(mix));
}

void TestInspect::listsForwardWithSchema_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("blocksShareType");
    QTest::newRow("scripted") << QStringLiteral("resnet18_scripted.pt") << true;
    // Tracing gives every module instance its own mangled type.
    QTest::newRow("traced") << QStringLiteral("resnet18_traced.pt") << false;
}

void TestInspect::listsForwardWithSchema()
{
    QFETCH(QString, file);
    QFETCH(bool, blocksShareType);
    const Inspection inspection = inspectModel(Model::load(architecture(file)));

    const MethodInfo *forward = inspection.findMethod(QString(), QStringLiteral("forward"));
    QVERIFY(forward);
    QCOMPARE(forward->arguments.size(), size_t(2));
    QCOMPARE(forward->arguments[0].name, QStringLiteral("self"));
    QCOMPARE(forward->arguments[1].type, QStringLiteral("Tensor"));
    QCOMPARE(forward->returnType, QStringLiteral("Tensor"));
    QVERIFY2(forward->schema.startsWith(QLatin1String("forward(")), qPrintable(forward->schema));
    QVERIFY2(forward->schema.endsWith(QLatin1String("-> Tensor")), qPrintable(forward->schema));
    QVERIFY2(forward->code.contains(QLatin1String("def forward(")), qPrintable(forward->code));
    QVERIFY2(forward->code.contains(QLatin1String("conv1")), qPrintable(forward->code));
    QVERIFY2(forward->graph.startsWith(QLatin1String("graph(")), qPrintable(forward->graph.left(200)));
    QVERIFY(forward->graph.contains(QLatin1String("prim::")));

    // Modules of one type share their methods, so each is listed once.
    const MethodInfo *blockForward = inspection.findMethod(QStringLiteral("layer1.0"), QStringLiteral("forward"));
    QVERIFY(blockForward);
    QCOMPARE(blockForward->modulePaths.contains(QStringLiteral("layer1.1")), blocksShareType);
    QVERIFY(inspection.findMethod(QStringLiteral("layer1.1"), QStringLiteral("forward")));
    QVERIFY(blockForward->code.contains(QLatin1String("bn2")));
    QVERIFY(inspection.findMethod(QStringLiteral("layer4.1.bn2"), QStringLiteral("forward")));
}

void TestInspect::listsAttributesAndConstants()
{
    const Inspection inspection = inspectModel(Model::load(architecture(QStringLiteral("resnet18_scripted.pt"))));

    const AttributeInfo *training = findAttribute(inspection, QString(), QStringLiteral("training"));
    QVERIFY(training);
    QCOMPARE(training->type, QStringLiteral("bool"));
    QCOMPARE(training->value, QStringLiteral("False"));
    QVERIFY(findAttribute(inspection, QStringLiteral("layer3.1.bn1"), QStringLiteral("training")));

    const AttributeInfo *stride = findAttribute(inspection, QStringLiteral("conv1"), QStringLiteral("stride"));
    QVERIFY(stride);
    QCOMPARE(stride->kind, AttributeInfo::Kind::Constant);
    QCOMPARE(stride->value, QStringLiteral("(2, 2)"));

    const AttributeInfo *momentum = findAttribute(inspection, QStringLiteral("bn1"), QStringLiteral("momentum"));
    QVERIFY(momentum);
    QCOMPARE(momentum->value.toDouble(), 0.1);

    // A missing downsample is an attribute of NoneType, not a submodule.
    const AttributeInfo *downsample = findAttribute(inspection, QStringLiteral("layer1.0"), QStringLiteral("downsample"));
    QVERIFY(downsample);
    QCOMPARE(downsample->value, QStringLiteral("None"));

    for (const AttributeInfo &attribute : inspection.attributes)
        QVERIFY2(attribute.name != QLatin1String("weight"), qPrintable(attribute.modulePath));
}

void TestInspect::computesExactStatistics()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const Model model = Model::load(saveStatisticsModule(folder.path()));
    const TensorStatistics statistics = computeTensorStatistics(model, QStringLiteral("values"));

    double sum = 0.0;
    int finite = 0;
    for (float value : statisticsValues()) {
        if (std::isfinite(value)) {
            sum += double(value);
            ++finite;
        }
    }
    QCOMPARE(statistics.dtype, QStringLiteral("float32"));
    QVERIFY(statistics.floatingPoint);
    QCOMPARE(statistics.elementCount, int64_t(16));
    QCOMPARE(statistics.finiteCount, int64_t(finite));
    QCOMPARE(statistics.min, -65520.0);
    QCOMPARE(statistics.max, 70000.0);
    QCOMPARE(statistics.mean, sum / finite);
    QVERIFY(statistics.std > 30000.0);
    QCOMPARE(statistics.zeroCount, int64_t(2));
    QCOMPARE(statistics.nanCount, int64_t(1));
    QCOMPARE(statistics.infCount, int64_t(1));
    QCOMPARE(statistics.fp16OverflowCount, int64_t(2));
    QCOMPARE(statistics.fp16SubnormalCount, int64_t(2));
    QCOMPARE(statistics.fp16UnderflowCount, int64_t(2));

    // The counts agree with what LibTorch's own float16 cast does.
    const at::Tensor values = torch::tensor(statisticsValues(), torch::kFloat32);
    const at::Tensor cast = values.to(torch::kHalf).to(torch::kFloat32);
    const at::Tensor finiteMask = values.isfinite();
    QCOMPARE(((cast.isinf() & finiteMask).sum().item<int64_t>()), statistics.fp16OverflowCount);
    QCOMPARE(((cast == 0) & (values != 0)).sum().item<int64_t>(), statistics.fp16UnderflowCount);
    const at::Tensor subnormal = (cast != 0) & (cast.abs() < std::ldexp(1.0, -14));
    QCOMPARE(subnormal.sum().item<int64_t>(), statistics.fp16SubnormalCount);

    const QJsonObject json = statisticsToJson(statistics);
    QCOMPARE(json.value(QStringLiteral("fp16_overflow")).toInt(), 2);
    QCOMPARE(json.value(QStringLiteral("min")).toDouble(), -65520.0);
}

void TestInspect::statisticsOfIntegerBuffer()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const Model model = Model::load(saveStatisticsModule(folder.path()));
    const TensorStatistics statistics = computeTensorStatistics(model, QStringLiteral("steps"));

    QCOMPARE(statistics.dtype, QStringLiteral("int64"));
    QVERIFY(!statistics.floatingPoint);
    QCOMPARE(statistics.min, 0.0);
    QCOMPARE(statistics.max, 8.0);
    QCOMPARE(statistics.mean, 3.0);
    QCOMPARE(statistics.zeroCount, int64_t(2));
    QCOMPARE(statistics.fp16OverflowCount, int64_t(0));
    QCOMPARE(statistics.fp16UnderflowCount, int64_t(0));
}

void TestInspect::statisticsRejectUnknownName()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const Model model = Model::load(saveStatisticsModule(folder.path()));
    try {
        computeTensorStatistics(model, QStringLiteral("head.weight"));
        QFAIL("expected an Error for an unknown tensor name");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("\"head.weight\"")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("inspect")), qPrintable(error.message()));
    }
}

void TestInspect::jsonFollowsSchema()
{
    const Inspection inspection = inspectModel(Model::load(architecture(QStringLiteral("resnet18_scripted.pt"))));
    const QJsonObject document = inspectionToJson(inspection);

    QCOMPARE(document.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.inspect"));
    QCOMPARE(document.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(document.value(QStringLiteral("kind")).toString(), QStringLiteral("torchscript"));
    const QJsonObject summary = document.value(QStringLiteral("summary")).toObject();
    const QJsonObject total = pytorchCounts().value(QStringLiteral("total")).toObject();
    QCOMPARE(summary.value(QStringLiteral("parameters")).toInt(), total.value(QStringLiteral("parameters")).toInt());
    QCOMPARE(summary.value(QStringLiteral("bytes")).toInteger(), total.value(QStringLiteral("bytes")).toInteger());
    QCOMPARE(document.value(QStringLiteral("tensors")).toArray().size(), 122);

    const QJsonObject modules = document.value(QStringLiteral("modules")).toObject();
    QCOMPARE(modules.value(QStringLiteral("children")).toArray().size(), 10);
    const QJsonObject layer1 = modules.value(QStringLiteral("children")).toArray().at(4).toObject();
    QCOMPARE(layer1.value(QStringLiteral("path")).toString(), QStringLiteral("layer1"));
    QCOMPARE(layer1.value(QStringLiteral("total")).toObject().value(QStringLiteral("parameters")).toInt(), 12);

    bool forwardFound = false;
    for (const QJsonValue &method : document.value(QStringLiteral("methods")).toArray()) {
        const QJsonObject object = method.toObject();
        if (object.value(QStringLiteral("name")).toString() == QLatin1String("forward")
            && object.value(QStringLiteral("modules")).toArray().contains(QString())) {
            forwardFound = true;
            QCOMPARE(object.value(QStringLiteral("arguments")).toArray().size(), 2);
            QCOMPARE(object.value(QStringLiteral("returns")).toString(), QStringLiteral("Tensor"));
        }
    }
    QVERIFY(forwardFound);
}

void TestInspect::inspectsCheckpoint()
{
    const Inspection inspection = inspectFile(checkpointFixture(QStringLiteral("nested.pt")));

    QCOMPARE(inspection.kind, Inspection::Kind::Checkpoint);
    QCOMPARE(inspection.tensors.size(), size_t(9));
    QCOMPARE(inspection.stateDictPath.size(), 1);
    const ModuleNode *features = findModule(inspection.root, QStringLiteral("features"));
    QVERIFY(features);
    QCOMPARE(features->children.size(), size_t(2));
    QCOMPARE(findModule(inspection.root, QStringLiteral("features.1"))->own.tensors, 5);
    QCOMPARE(findModule(inspection.root, QStringLiteral("head"))->subtree.tensors, 2);
    QCOMPARE(inspection.root.subtree.tensors, 9);
    QVERIFY(inspection.methods.empty());

    const AttributeInfo *epoch = findAttribute(inspection, QString(), QStringLiteral("epoch"));
    QVERIFY(epoch);
    QCOMPARE(epoch->value, QStringLiteral("7"));
    QVERIFY(findAttribute(inspection, QStringLiteral("hparams"), QStringLiteral("depth")));

    const QJsonObject document = inspectionToJson(inspection);
    QCOMPARE(document.value(QStringLiteral("kind")).toString(), QStringLiteral("checkpoint"));
    QCOMPARE(document.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.inspect"));
    QVERIFY(!document.value(QStringLiteral("summary")).toObject().contains(QStringLiteral("parameters")));
    QCOMPARE(document.value(QStringLiteral("summary")).toObject().value(QStringLiteral("tensors")).toInt(), 9);

    const Checkpoint checkpoint = Checkpoint::open(checkpointFixture(QStringLiteral("nested.pt")));
    const TensorStatistics statistics
        = computeTensorStatistics(checkpoint, inspection.stateDictPath, QStringLiteral("features.1.running_var"));
    QCOMPARE(statistics.elementCount, int64_t(4));
    QVERIFY(statistics.min > 0.0);
}

QTEST_GUILESS_MAIN(TestInspect)
#include "tst_inspect.moc"
