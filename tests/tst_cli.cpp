// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(HALFSCOPE_CLI_PATH), arguments);
    CliRun run;
    if (!process.waitForFinished(300000)) {
        process.kill();
        run.err = QStringLiteral("halfscope-cli did not finish");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void comparesDemoInBothPrecisions();
    void inspectsDemoModel();
    void inspectJsonMatchesPytorch();
    void inspectPrintsModuleTree();
    void inspectPrintsCodeAndStatistics();
    void inspectJsonForCheckpoint();
    void reportsPartialFailures();
    void evaluatesLabelledFolders();
    void readsCustomPresetFile();
    void rejectsInvalidArguments_data();
    void rejectsInvalidArguments();
    void explainsEveryOption();
    void benchmarksDemoAsText();
    void benchmarksDemoAsJson();
    void writesReportFolder();
    void writesPlotsIntoReport();
    void convertsWithFreeze();
};

void TestCli::comparesDemoInBothPrecisions()
{
    QTemporaryDir folder;
    const QString jsonPath = folder.filePath(QStringLiteral("report.json"));
    const CliRun run = runCli({ QStringLiteral("compare"), test::demoModel(), test::demoFolder() + QStringLiteral("/images"),
                                QStringLiteral("--dtype"), QStringLiteral("fp16"), QStringLiteral("--tta"),
                                QStringLiteral("hflip,scales=0.9"), QStringLiteral("--merge"), QStringLiteral("gmean"),
                                QStringLiteral("--repeat"), QStringLiteral("2"),
                                QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--json"), jsonPath });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("Egyptian cat")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("espresso")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("Top-1 agreement   5/5")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("float16 median / float32 median")), qPrintable(run.out));
    QVERIFY2(QRegularExpression(QStringLiteral("Speed-up float32 / float16: [0-9.]+x, 95% interval [0-9.]+-[0-9.]+ \\(bootstrap over 2 paired runs\\)")).match(run.out).hasMatch(),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("hflip")), qPrintable(run.out));
    QVERIFY(QRegularExpression(QStringLiteral("float32\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")).match(run.out).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("float16\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")).match(run.out).hasMatch());

    QFile file(jsonPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(report.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.comparison"));
    QCOMPARE(report.value(QStringLiteral("settings")).toObject().value(QStringLiteral("tta_views")).toInt(), 4);
    QCOMPARE(report.value(QStringLiteral("settings")).toObject().value(QStringLiteral("merge")).toString(), QStringLiteral("gmean"));
    QVERIFY2(run.out.contains(QStringLiteral("Max |Δ prob| per view, before merging: identity ")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("geometric mean of probabilities")), qPrintable(run.out));
    QCOMPARE(report.value(QStringLiteral("images")).toArray().size(), 5);
    const QJsonObject timing = report.value(QStringLiteral("timing")).toObject();
    QCOMPARE(timing.value(QStringLiteral("converted")).toObject().value(QStringLiteral("precision")).toString(),
             QStringLiteral("float16"));
    QCOMPARE(timing.value(QStringLiteral("reference")).toObject().value(QStringLiteral("samples_ms")).toArray().size(), 2);
}

void TestCli::inspectsDemoModel()
{
    const CliRun run = runCli({ QStringLiteral("inspect"), test::demoModel() });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QLatin1String("features.0.conv.weight")));
    QVERIFY(run.out.contains(QLatin1String("[16, 3, 3, 3]")));
    QVERIFY(run.out.contains(QLatin1String("num_batches_tracked")));
    QVERIFY(run.out.contains(QLatin1String("Dtype summary")));
    QVERIFY(QRegularExpression(QStringLiteral("float32\\s+77\\s+1,046,488")).match(run.out).hasMatch());
    QVERIFY(run.out.contains(QLatin1String("1000 names stored in the archive")));
}

namespace {

QString architecture(const QString &name)
{
    return QStringLiteral(HALFSCOPE_ARCHITECTURE_FIXTURES "/") + name;
}

QJsonObject resnetCounts()
{
    QFile file(architecture(QStringLiteral("resnet18.json")));
    if (!file.open(QIODevice::ReadOnly))
        return QJsonObject();
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

void TestCli::inspectJsonMatchesPytorch()
{
    const CliRun run = runCli({ QStringLiteral("inspect"), architecture(QStringLiteral("resnet18_traced.pt")),
                                QStringLiteral("--json") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    QVERIFY2(document.isObject(), qPrintable(error.errorString()));
    const QJsonObject root = document.object();
    QCOMPARE(root.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.inspect"));
    QCOMPARE(root.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(root.value(QStringLiteral("kind")).toString(), QStringLiteral("torchscript"));

    const QJsonObject expected = resnetCounts().value(QStringLiteral("total")).toObject();
    QVERIFY(!expected.isEmpty());
    const QJsonObject summary = root.value(QStringLiteral("summary")).toObject();
    for (const QString &key : { QStringLiteral("parameters"), QStringLiteral("buffers"),
                                QStringLiteral("elements"), QStringLiteral("bytes") })
        QCOMPARE(summary.value(key).toInteger(), expected.value(key).toInteger());

    const QJsonObject children = resnetCounts().value(QStringLiteral("children")).toObject();
    for (const QJsonValue &child : root.value(QStringLiteral("modules")).toObject().value(QStringLiteral("children")).toArray()) {
        const QJsonObject node = child.toObject();
        const QJsonObject counts = children.value(node.value(QStringLiteral("name")).toString()).toObject();
        QCOMPARE(node.value(QStringLiteral("total")).toObject().value(QStringLiteral("bytes")).toInteger(),
                 counts.value(QStringLiteral("bytes")).toInteger());
    }
    QVERIFY(!root.value(QStringLiteral("methods")).toArray().isEmpty());
    QVERIFY(!root.value(QStringLiteral("attributes")).toArray().isEmpty());
}

void TestCli::inspectPrintsModuleTree()
{
    const CliRun run = runCli({ QStringLiteral("inspect"), architecture(QStringLiteral("resnet18_mixed.pt")) });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QLatin1String("Module tree")));
    QVERIFY(QRegularExpression(QStringLiteral("\\n\\(root\\)\\s+ResNet18\\s+62\\s+60\\s+11,699,132")).match(run.out).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("\\n  layer4\\s+torch\\.nn\\.modules\\.container\\.Sequential\\s+15\\s+15\\s.*float16"))
                .match(run.out).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("\\n      conv1\\s+\\S*Conv2d\\s+1\\s+0")).match(run.out).hasMatch());
    QVERIFY(run.out.contains(QLatin1String("layer4.1.bn2.running_var")));
    QVERIFY(run.out.contains(QLatin1String("Dtype summary")));

    const CliRun tree = runCli({ QStringLiteral("inspect"), architecture(QStringLiteral("resnet18_mixed.pt")),
                                 QStringLiteral("--tree") });
    QVERIFY2(tree.exitCode == 0, qPrintable(tree.err));
    QVERIFY(tree.out.contains(QLatin1String("  layer4 ")));
    QVERIFY(!tree.out.contains(QLatin1String("Dtype summary")));
}

void TestCli::inspectPrintsCodeAndStatistics()
{
    const QString model = architecture(QStringLiteral("resnet18_scripted.pt"));
    const CliRun code = runCli({ QStringLiteral("inspect"), model, QStringLiteral("--code"), QStringLiteral("layer1.0.forward") });
    QVERIFY2(code.exitCode == 0, qPrintable(code.err));
    QVERIFY2(code.out.contains(QLatin1String("def forward(")), qPrintable(code.out));
    QVERIFY(code.out.contains(QLatin1String("bn2")));

    const CliRun missing = runCli({ QStringLiteral("inspect"), model, QStringLiteral("--code"), QStringLiteral("backward") });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QLatin1String("no method \"backward\"")), qPrintable(missing.err));
    QVERIFY(missing.err.contains(QLatin1String("forward")));

    const CliRun statistics = runCli({ QStringLiteral("inspect"), model, QStringLiteral("--stats"), QStringLiteral("bn1.running_var") });
    QVERIFY2(statistics.exitCode == 0, qPrintable(statistics.err));
    QVERIFY(QRegularExpression(QStringLiteral("min\\s+1\\n")).match(statistics.out).hasMatch());
    QVERIFY(statistics.out.contains(QLatin1String("inf in float16")));

    const CliRun unknown = runCli({ QStringLiteral("inspect"), model, QStringLiteral("--stats"), QStringLiteral("fc.nothing") });
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains(QLatin1String("\"fc.nothing\"")), qPrintable(unknown.err));
}

void TestCli::inspectJsonForCheckpoint()
{
    const CliRun run = runCli({ QStringLiteral("inspect"), QStringLiteral(HALFSCOPE_CHECKPOINT_FIXTURES "/nested.pt"),
                                QStringLiteral("--json"), QStringLiteral("--stats"), QStringLiteral("head.bias") });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject root = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(root.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.inspect"));
    QCOMPARE(root.value(QStringLiteral("kind")).toString(), QStringLiteral("checkpoint"));
    QCOMPARE(root.value(QStringLiteral("summary")).toObject().value(QStringLiteral("tensors")).toInt(), 9);
    QCOMPARE(root.value(QStringLiteral("tensors")).toArray().size(), 9);
    const QJsonArray statistics = root.value(QStringLiteral("statistics")).toArray();
    QCOMPARE(statistics.size(), 1);
    QCOMPARE(statistics.first().toObject().value(QStringLiteral("elements")).toInt(), 5);
}

void TestCli::reportsPartialFailures()
{
    QTemporaryDir folder;
    QVERIFY(QFile::copy(test::demoPhoto(QStringLiteral("coffee.png")), folder.filePath(QStringLiteral("coffee.png"))));
    QFile text(folder.filePath(QStringLiteral("readme.png")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not an image");
    text.close();

    const CliRun run = runCli({ QStringLiteral("compare"), test::demoModel(), folder.path(), QStringLiteral("--repeat"),
                                QStringLiteral("0"), QStringLiteral("--device"), QStringLiteral("cpu") });

    QCOMPARE(run.exitCode, 3);
    QVERIFY2(run.err.contains(folder.filePath(QStringLiteral("readme.png"))), qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("espresso")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("1 compared, 1 failed")), qPrintable(run.out));
}

void TestCli::evaluatesLabelledFolders()
{
    QTemporaryDir folder;
    for (const auto &[label, photo] : { std::pair { "Egyptian cat", "chelsea.png" }, std::pair { "espresso", "coffee.png" } }) {
        QVERIFY(QDir(folder.path()).mkpath(QLatin1String(label)));
        QVERIFY(QFile::copy(test::demoPhoto(QLatin1String(photo)),
                            folder.filePath(QLatin1String(label) + QLatin1Char('/') + QLatin1String(photo))));
    }

    const CliRun run = runCli({ QStringLiteral("compare"), test::demoModel(), folder.path(), QStringLiteral("--ground-truth"),
                                QStringLiteral("folders"), QStringLiteral("--repeat"), QStringLiteral("0") });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("Evaluation on 2 labelled images")), qPrintable(run.out));
    QVERIFY(QRegularExpression(QStringLiteral("Mode\\s+Time \\(s\\)\\s+Loss\\s+Top-1\\s+Top-5")).match(run.out).hasMatch());
    QVERIFY2(QRegularExpression(QStringLiteral("float32\\s+[0-9.]+\\s+0\\.[0-9]+\\s+100\\.0%\\s+100\\.0%")).match(run.out).hasMatch(),
             qPrintable(run.out));
    QVERIFY(QRegularExpression(QStringLiteral("float16\\s+[0-9.]+\\s+0\\.[0-9]+\\s+100\\.0%\\s+100\\.0%")).match(run.out).hasMatch());
}

void TestCli::readsCustomPresetFile()
{
    QTemporaryDir folder;
    const QString presetPath = folder.filePath(QStringLiteral("mine.json"));
    QFile file(presetPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format": "halfscope.preprocess", "version": 1, "name": "mine", "resize_mode": "shorter_side",
                   "shorter_side": 230, "crop_width": 200, "crop_height": 200, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]})");
    file.close();

    const CliRun run = runCli({ QStringLiteral("compare"), test::demoModel(), test::demoPhoto(QStringLiteral("coffee.png")),
                                QStringLiteral("--preset"), presetPath, QStringLiteral("--repeat"), QStringLiteral("0") });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("Preprocess  mine: shorter side 230, center crop 200x200, bilinear, scale 0..1, mean/std")),
             qPrintable(run.out));
}

void TestCli::rejectsInvalidArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expectedPhrase");

    const QString model = test::demoModel();
    const QString images = test::demoFolder() + QStringLiteral("/images");
    QTest::newRow("no command") << QStringList {} << 2 << QStringLiteral("Usage: halfscope-cli");
    QTest::newRow("unknown command") << QStringList { QStringLiteral("convertify") } << 2
                                     << QStringLiteral("unknown command \"convertify\"");
    QTest::newRow("no images") << QStringList { QStringLiteral("compare"), model } << 2
                               << QStringLiteral("at least one image");
    QTest::newRow("fp32 target") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--dtype"), QStringLiteral("fp32") }
                                 << 2 << QStringLiteral("invalid value \"fp32\" for --dtype");
    QTest::newRow("unknown tta") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--tta"), QStringLiteral("rotate") }
                                 << 2 << QStringLiteral("Invalid TTA \"rotate\": unknown transform");
    QTest::newRow("unknown merge") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--merge"), QStringLiteral("median") }
                                   << 2 << QStringLiteral("invalid value \"median\" for --merge");
    QTest::newRow("zero batch") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--batch"), QStringLiteral("0") }
                                << 2 << QStringLiteral("invalid value \"0\" for --batch");
    QTest::newRow("unknown preset") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--preset"), QStringLiteral("vgg") }
                                    << 2 << QStringLiteral("unknown preset \"vgg\"");
    QTest::newRow("missing preset file") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--preset"), QStringLiteral("/nonexistent/mine.json") }
                                         << 2 << QStringLiteral("Cannot read the preprocessing file /nonexistent/mine.json");
    QTest::newRow("unknown option") << QStringList { QStringLiteral("compare"), QStringLiteral("--speed") }
                                    << 2 << QStringLiteral("Unknown option 'speed'");
    QTest::newRow("missing model") << QStringList { QStringLiteral("inspect"), QStringLiteral("/nonexistent/model.pt") }
                                   << 1 << QStringLiteral("Model file not found: /nonexistent/model.pt");
    QTest::newRow("image as model") << QStringList { QStringLiteral("inspect"), test::demoPhoto(QStringLiteral("rocket.jpg")) }
                                    << 1 << QStringLiteral("is neither a TorchScript model");
    QTest::newRow("missing images") << QStringList { QStringLiteral("compare"), model, QStringLiteral("/nonexistent/photos") }
                                    << 1 << QStringLiteral("not found: /nonexistent/photos");
    QTest::newRow("too many threads") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--threads"), QStringLiteral("99999") }
                                      << 2 << QStringLiteral("invalid value \"99999\" for --threads: use 1 to 256");
    QTest::newRow("unknown memory format") << QStringList { QStringLiteral("bench"), model, QStringLiteral("--memory-format"), QStringLiteral("nchwc") }
                                           << 2 << QStringLiteral("invalid value \"nchwc\" for --memory-format: use channels_last or contiguous");
    QTest::newRow("plots without report") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--plots"), QStringLiteral("png") }
                                          << 2 << QStringLiteral("--plots writes into the report folder; add --report FOLDER");
    QTest::newRow("unknown plot format") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--report"), QStringLiteral("/tmp"), QStringLiteral("--plots"), QStringLiteral("png,gif") }
                                         << 2 << QStringLiteral("invalid plot format \"gif\" in --plots: use png, pdf or svg");
    QTest::newRow("json into missing folder") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--json"), QStringLiteral("/nonexistent/report.json") }
                                              << 2 << QStringLiteral("the folder /nonexistent does not exist");
    QTest::newRow("json is a folder") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--json"), images }
                                      << 2 << QStringLiteral("is a folder");
    QTest::newRow("convert without output") << QStringList { QStringLiteral("convert"), model }
                                            << 2 << QStringLiteral("an output file (-o OUT.pt)");
    QTest::newRow("convert onto its input") << QStringList { QStringLiteral("convert"), model, QStringLiteral("-o"), model }
                                            << 1 << QStringLiteral("Refusing to overwrite");
    QTest::newRow("bench without model") << QStringList { QStringLiteral("bench") } << 2 << QStringLiteral("bench needs exactly one MODEL");
    QTest::newRow("bench two warm-ups") << QStringList { QStringLiteral("bench"), model, QStringLiteral("--warmup"), QStringLiteral("2"), QStringLiteral("--warmup-seconds"), QStringLiteral("1") }
                                        << 2 << QStringLiteral("--warmup and --warmup-seconds exclude each other");
    QTest::newRow("bench bad sweep") << QStringList { QStringLiteral("bench"), model, QStringLiteral("--batches"), QStringLiteral("1,0") }
                                     << 2 << QStringLiteral("Invalid batch size \"0\" in \"1,0\"");
    QTest::newRow("bench one iteration") << QStringList { QStringLiteral("bench"), model, QStringLiteral("--iterations"), QStringLiteral("1") }
                                         << 2 << QStringLiteral("invalid value \"1\" for --iterations");
    QTest::newRow("bench fp32") << QStringList { QStringLiteral("bench"), model, QStringLiteral("--dtype"), QStringLiteral("fp32") }
                                << 2 << QStringLiteral("invalid value \"fp32\" for --dtype");
    QTest::newRow("report into a file") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--report"), model }
                                        << 2 << QStringLiteral("is a file; give a folder");
    QTest::newRow("report under missing folder") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--report"), QStringLiteral("/nonexistent/out") }
                                                 << 2 << QStringLiteral("the folder /nonexistent does not exist");
    QTest::newRow("frozen onto its input") << QStringList { QStringLiteral("convert"), model, QStringLiteral("--freeze"), QStringLiteral("-o"), model }
                                           << 1 << QStringLiteral("Refusing to overwrite");
    QTest::newRow("missing labels") << QStringList { QStringLiteral("compare"), model, images, QStringLiteral("--labels"), QStringLiteral("/nonexistent/labels.txt") }
                                    << 1 << QStringLiteral("Cannot read the labels file /nonexistent/labels.txt");
}

void TestCli::rejectsInvalidArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, expectedPhrase);

    const CliRun run = runCli(arguments);

    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(expectedPhrase), qPrintable(run.err));
    QVERIFY2(!run.err.contains(QLatin1String("Exception raised from")), qPrintable(run.err));
}

void TestCli::explainsEveryOption()
{
    const CliRun run = runCli({ QStringLiteral("compare"), QStringLiteral("--help") });

    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(QLatin1String("Usage: halfscope-cli compare")));
    for (const char *option : { "--dtype", "--tta", "--preset", "--labels", "--batch", "--top-k", "--warmup",
                                "--repeat", "--threads", "--device", "--json" }) {
        QVERIFY2(run.out.contains(QLatin1String(option)), option);
    }
    QVERIFY(run.out.contains(QLatin1String("Default: fp16")));
    QVERIFY(run.out.contains(QLatin1String("milliseconds")));
}

void TestCli::benchmarksDemoAsText()
{
    const CliRun run = runCli({ QStringLiteral("bench"), test::demoModel(), QStringLiteral("--dtype"), QStringLiteral("bf16"),
                                QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--iterations"), QStringLiteral("3"),
                                QStringLiteral("--warmup"), QStringLiteral("1"), QStringLiteral("--threads"), QStringLiteral("2"),
                                QStringLiteral("--batches"), QStringLiteral("1,2"), QStringLiteral("--sweep-iterations"), QStringLiteral("1"),
                                QStringLiteral("--images"), test::demoPhoto(QStringLiteral("coffee.png")), QStringLiteral("--device"),
                                QStringLiteral("cpu") });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("Device      cpu, 2 intra-op threads")), qPrintable(run.out));
    QVERIFY(run.out.contains(QLatin1String("3 timed calls per precision after 1 warm-up")));
    QVERIFY(QRegularExpression(QStringLiteral("float32\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")).match(run.out).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("bfloat16\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")).match(run.out).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("Speed-up float32 / bfloat16: [0-9.]+x, 95% interval [0-9.]+-[0-9.]+")).match(run.out).hasMatch());
    QVERIFY2(run.out.contains(QLatin1String("per image (median)")), qPrintable(run.out));
    QVERIFY(run.out.contains(QLatin1String("Batch-size sweep")));
}

void TestCli::benchmarksDemoAsJson()
{
    const CliRun run = runCli({ QStringLiteral("bench"), test::demoModel(), QStringLiteral("--dtype"), QStringLiteral("bf16"),
                                QStringLiteral("--batch"), QStringLiteral("1"), QStringLiteral("--iterations"), QStringLiteral("2"),
                                QStringLiteral("--warmup-seconds"), QStringLiteral("0.1"), QStringLiteral("--batches"),
                                QStringLiteral("1,2,3"), QStringLiteral("--sweep-iterations"), QStringLiteral("1"),
                                QStringLiteral("--memory-format"), QStringLiteral("contiguous"), QStringLiteral("--json") });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.benchmark"));
    QCOMPARE(json.value(QStringLiteral("schema_version")).toInt(), 2);
    QCOMPARE(json.value(QStringLiteral("sweep")).toArray().size(), 3);
    const QJsonObject reference = json.value(QStringLiteral("reference")).toObject();
    QCOMPARE(reference.value(QStringLiteral("samples_ms")).toArray().size(), 2);
    QVERIFY(reference.value(QStringLiteral("median_ms")).toDouble() > 0.0);
    const QJsonObject settings = json.value(QStringLiteral("settings")).toObject();
    QVERIFY(settings.value(QStringLiteral("input")).toString().contains(QLatin1String("random")));
    QCOMPARE(settings.value(QStringLiteral("memory_format")).toString(), QStringLiteral("contiguous"));
}

void TestCli::writesReportFolder()
{
    QTemporaryDir folder;
    for (const auto &[label, photo] : { std::pair { "Egyptian cat", "chelsea.png" }, std::pair { "espresso", "coffee.png" } }) {
        QVERIFY(QDir(folder.path()).mkpath(QLatin1String(label)));
        QVERIFY(QFile::copy(test::demoPhoto(QLatin1String(photo)),
                            folder.filePath(QLatin1String(label) + QLatin1Char('/') + QLatin1String(photo))));
    }
    const QString reportFolder = folder.filePath(QStringLiteral("report"));

    const CliRun run = runCli({ QStringLiteral("compare"), test::demoModel(), folder.filePath(QStringLiteral("Egyptian cat")),
                                folder.filePath(QStringLiteral("espresso")), QStringLiteral("--ground-truth"), QStringLiteral("folders"),
                                QStringLiteral("--repeat"), QStringLiteral("2"), QStringLiteral("--report"), reportFolder });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QFile jsonFile(reportFolder + QStringLiteral("/report.json"));
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(jsonFile.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.comparison"));
    QCOMPARE(json.value(QStringLiteral("schema_version")).toInt(), 3);
    QVERIFY(json.value(QStringLiteral("timing")).toObject().contains(QStringLiteral("pipeline")));

    QFile csvFile(reportFolder + QStringLiteral("/report.csv"));
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csvFile.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines[0].startsWith(QLatin1String("path,status,error,reference_top1_class,reference_top1_name,")), qPrintable(lines[0]));
    QVERIFY(lines[1].contains(QLatin1String(",ok,")));
    QVERIFY(lines[2].contains(QLatin1String(",espresso,")));

    QFile markdownFile(reportFolder + QStringLiteral("/report.md"));
    QVERIFY(markdownFile.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(markdownFile.readAll());
    QVERIFY2(markdown.contains(QLatin1String("| Mode | Time (s) | Loss | Accuracy |")), qPrintable(markdown));
    QVERIFY(markdown.contains(QLatin1String("No plots were rendered")));
}

void TestCli::writesPlotsIntoReport()
{
    QTemporaryDir folder;
    const QString reportFolder = folder.filePath(QStringLiteral("report"));
    const QStringList images { test::demoPhoto(QStringLiteral("chelsea.png")), test::demoPhoto(QStringLiteral("rocket.jpg")) };

    const CliRun run = runCli(QStringList { QStringLiteral("compare"), test::demoModel() } + images
                              + QStringList { QStringLiteral("--dtype"), QStringLiteral("bf16"), QStringLiteral("--tta"),
                                              QStringLiteral("hflip"), QStringLiteral("--repeat"), QStringLiteral("3"),
                                              QStringLiteral("--report"), reportFolder, QStringLiteral("--plots"),
                                              QStringLiteral("png,pdf,svg") });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QStringList plots { QStringLiteral("drift-histogram"), QStringLiteral("probability-scatter"),
                              QStringLiteral("image-drift"), QStringLiteral("view-drift"),
                              QStringLiteral("latency"), QStringLiteral("speedup") };
    for (const QString &plot : plots) {
        QFile png(reportFolder + QLatin1Char('/') + plot + QStringLiteral(".png"));
        QVERIFY2(png.open(QIODevice::ReadOnly), qPrintable(png.fileName()));
        const QByteArray header = png.read(24);
        QVERIFY(header.startsWith("\x89PNG\r\n\x1a\n"));
        // IHDR: big-endian width and height at bytes 16 and 20.
        const auto readBigEndian = [&header](int offset) {
            return (uchar(header[offset]) << 24) | (uchar(header[offset + 1]) << 16)
                | (uchar(header[offset + 2]) << 8) | uchar(header[offset + 3]);
        };
        QCOMPARE(readBigEndian(16), 800);
        QCOMPARE(readBigEndian(20), 600);
        QFile pdf(reportFolder + QLatin1Char('/') + plot + QStringLiteral(".pdf"));
        QVERIFY2(pdf.open(QIODevice::ReadOnly), qPrintable(pdf.fileName()));
        QVERIFY(pdf.read(5) == "%PDF-");
        QFile svg(reportFolder + QLatin1Char('/') + plot + QStringLiteral(".svg"));
        QVERIFY2(svg.open(QIODevice::ReadOnly), qPrintable(svg.fileName()));
        QVERIFY(svg.readAll().contains("<svg"));
    }
    QFile markdownFile(reportFolder + QStringLiteral("/report.md"));
    QVERIFY(markdownFile.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(markdownFile.readAll());
    QVERIFY2(markdown.contains(QLatin1String("![latency](latency.png)")), qPrintable(markdown));
    QVERIFY2(markdown.contains(QLatin1String("[speedup.pdf](speedup.pdf)")), qPrintable(markdown));
}

void TestCli::convertsWithFreeze()
{
    QTemporaryDir folder;
    const QString output = folder.filePath(QStringLiteral("frozen.pt"));

    const CliRun run = runCli({ QStringLiteral("convert"), test::demoModel(), QStringLiteral("--dtype"), QStringLiteral("fp16"),
                                QStringLiteral("--freeze"), QStringLiteral("-o"), output });

    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("float16, frozen, tensors float16 x ")), qPrintable(run.out));
    QVERIFY(run.out.contains(QLatin1String("output float16")));
    const CliRun inspect = runCli({ QStringLiteral("inspect"), output });
    QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
