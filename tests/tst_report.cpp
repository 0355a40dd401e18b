// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "model/model.h"
#include "report/csvreport.h"
#include "report/jsonreport.h"
#include "report/markdownreport.h"
#include "report/reportfolder.h"
#include "run/comparison.h"
#include "run/groundtruth.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

/// Splits one CSV line into fields (RFC 4180 quoting, no line breaks inside fields).
QStringList parseCsvLine(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    return fields << field;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void csvHasRowPerImage();
    void csvQuotesSpecialCharacters();
    void markdownHasEvaluationTable();
    void markdownListsPlotsOrNote();
    void jsonHasPipelineAndMemory();
    void measuresDecodeAndPreprocessTime();
    void writesReportFolder();
    void rejectsFileAsReportFolder();

private:
    QTemporaryDir m_folder;
    QStringList m_images;
    ComparisonResult m_result;
};

void TestReport::initTestCase()
{
    const QStringList layout { QStringLiteral("Egyptian cat/chelsea.png"), QStringLiteral("espresso/coffee.png"),
                               QStringLiteral("espresso/cup, \"large\".png") };
    const QStringList photos { QStringLiteral("chelsea.png"), QStringLiteral("coffee.png"), QStringLiteral("coffee.png") };
    for (qsizetype i = 0; i < layout.size(); ++i) {
        const QString path = m_folder.filePath(layout[i]);
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        QVERIFY(QFile::copy(test::demoPhoto(photos[i]), path));
        m_images << path;
    }
    const QString broken = m_folder.filePath(QStringLiteral("espresso/broken.png"));
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not an image");
    file.close();
    m_images << broken;

    const Model reference = Model::load(test::demoModel());
    ComparisonOptions options;
    options.preset = *reference.embeddedPreset();
    options.classNames = reference.classNames();
    options.batchSize = 2;
    options.timedIterations = 2;
    const GroundTruth truth = groundTruthFromFolders(m_images, options.classNames);
    m_result = compareModels(reference, reference.convertedTo(Precision::Float16), m_images, options, {}, truth.classes);
    QCOMPARE(m_result.comparedCount(), 3);
}

void TestReport::csvHasRowPerImage()
{
    const QStringList lines = QString::fromUtf8(comparisonToCsv(m_result)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);

    QCOMPARE(lines.size(), 1 + m_images.size());
    QCOMPARE(parseCsvLine(lines[0]), comparisonCsvColumns());
    const QStringList columns = comparisonCsvColumns();
    const QStringList cat = parseCsvLine(lines[1]);
    QCOMPARE(cat.size(), columns.size());
    QCOMPARE(cat[columns.indexOf(QStringLiteral("path"))], m_images[0]);
    QCOMPARE(cat[columns.indexOf(QStringLiteral("status"))], QStringLiteral("ok"));
    QCOMPARE(cat[columns.indexOf(QStringLiteral("reference_top1_name"))], QStringLiteral("Egyptian cat"));
    QCOMPARE(cat[columns.indexOf(QStringLiteral("top1_agrees"))], QStringLiteral("true"));
    QCOMPARE(cat[columns.indexOf(QStringLiteral("target_name"))], QStringLiteral("Egyptian cat"));
    QCOMPARE(cat[columns.indexOf(QStringLiteral("reference_target_rank"))], QStringLiteral("0"));
    // Nine significant digits restore a float exactly.
    QCOMPARE(cat[columns.indexOf(QStringLiteral("converted_top1_probability"))].toFloat(), m_result.images[0].converted.top1Probability());
    QCOMPARE(cat[columns.indexOf(QStringLiteral("max_abs_logit_delta"))].toFloat(), m_result.images[0].maxLogitDelta);

    const QStringList broken = parseCsvLine(lines[4]);
    QCOMPARE(broken.size(), columns.size());
    QCOMPARE(broken[columns.indexOf(QStringLiteral("status"))], QStringLiteral("failed"));
    QVERIFY(!broken[columns.indexOf(QStringLiteral("error"))].isEmpty());
    QVERIFY(broken[columns.indexOf(QStringLiteral("max_abs_logit_delta"))].isEmpty());
}

void TestReport::csvQuotesSpecialCharacters()
{
    const QStringList lines = QString::fromUtf8(comparisonToCsv(m_result)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);

    QVERIFY2(lines[3].startsWith(QLatin1Char('"')), qPrintable(lines[3]));
    QVERIFY(lines[3].contains(QLatin1String("\"\"large\"\"")));
    QCOMPARE(parseCsvLine(lines[3]).first(), m_images[2]);
}

void TestReport::markdownHasEvaluationTable()
{
    const QString markdown = comparisonToMarkdown(m_result);

    QVERIFY(markdown.startsWith(QLatin1String("# HalfScope comparison: tinydarknet.pt")));
    QVERIFY2(markdown.contains(QLatin1String("| Mode | Time (s) | Loss | Accuracy | Top-5 accuracy |")), qPrintable(markdown));
    QVERIFY(QRegularExpression(QStringLiteral("\\| float32 \\| [0-9.]+ \\| [0-9.]+ \\| 100\\.0% \\| 100\\.0% \\|")).match(markdown).hasMatch());
    QVERIFY(QRegularExpression(QStringLiteral("\\| float16 \\| [0-9.]+ \\| [0-9.]+ \\| 100\\.0% \\| 100\\.0% \\|")).match(markdown).hasMatch());
    QVERIFY(markdown.contains(QLatin1String("Top-1 agreement: 3 of 3")));
    QVERIFY(markdown.contains(QLatin1String("| Precision | Median | p10 | p90 | Mean | Std | Images/s |")));
    QVERIFY(markdown.contains(QLatin1String("95% bootstrap interval")));
    QVERIFY(markdown.contains(QLatin1String("pipeline efficiency")));
    QVERIFY(markdown.contains(QLatin1String("| broken.png | failed: ")));
    QVERIFY2(markdown.contains(QLatin1String("| cup, \"large\".png |")), qPrintable(markdown));
}

void TestReport::markdownListsPlotsOrNote()
{
    MarkdownReportOptions options;
    options.plotsNote = QStringLiteral("Plots are exported from the window.");
    QVERIFY(comparisonToMarkdown(m_result, options).contains(QLatin1String("## Plots\n\nPlots are exported from the window.")));

    options.plotFiles = QStringList { QStringLiteral("drift.svg") };
    QVERIFY(comparisonToMarkdown(m_result, options).contains(QLatin1String("![drift](drift.svg)")));

    // PNG is shown before SVG; PDF can only be linked.
    options.plotFiles = QStringList { QStringLiteral("drift.pdf"), QStringLiteral("drift.svg"),
                                      QStringLiteral("drift.png"), QStringLiteral("latency.pdf") };
    const QString markdown = comparisonToMarkdown(m_result, options);
    QVERIFY2(markdown.contains(QLatin1String("![drift](drift.png)\n\nAlso as [drift.pdf](drift.pdf), "
                                             "[drift.svg](drift.svg)\n")),
             qPrintable(markdown));
    QVERIFY2(markdown.contains(QLatin1String("[latency.pdf](latency.pdf)\n")), qPrintable(markdown));
    QVERIFY2(!markdown.contains(QLatin1String("![latency]")), qPrintable(markdown));
}

void TestReport::jsonHasPipelineAndMemory()
{
    const QJsonObject json = comparisonToJson(m_result);

    QCOMPARE(json.value(QStringLiteral("schema_version")).toInt(), 3);
    const QJsonObject timing = json.value(QStringLiteral("timing")).toObject();
    const QJsonObject pipeline = timing.value(QStringLiteral("pipeline")).toObject();
    QVERIFY(pipeline.value(QStringLiteral("decode_total_ms")).toDouble() > 0.0);
    QVERIFY(pipeline.value(QStringLiteral("preprocess_total_ms")).toDouble() > 0.0);
    QVERIFY(pipeline.value(QStringLiteral("wall_ms")).toDouble() > 0.0);
    const double efficiency = pipeline.value(QStringLiteral("pipeline_efficiency")).toDouble();
    QVERIFY2(efficiency > 0.0 && efficiency <= 1.0, qPrintable(QString::number(efficiency)));
    const QJsonObject memory = timing.value(QStringLiteral("memory")).toObject();
    QVERIFY(memory.value(QStringLiteral("reference_parameter_bytes")).toDouble() > 4e6);
    QVERIFY(memory.value(QStringLiteral("converted_parameter_bytes")).toDouble() < 0.51 * memory.value(QStringLiteral("reference_parameter_bytes")).toDouble());
    QVERIFY(memory.value(QStringLiteral("peak_resident_bytes")).toDouble() > 0.0);
}

void TestReport::measuresDecodeAndPreprocessTime()
{
    QVERIFY(m_result.decodeTotalMs > 0.0);
    QVERIFY(m_result.preprocessTotalMs > 0.0);
    // The forward calls run one after another inside the wall time.
    QVERIFY(m_result.wallMs >= m_result.referenceTotalMs + m_result.convertedTotalMs);
    QVERIFY(m_result.endToEndImagesPerSecond() > 0.0);
    QVERIFY(m_result.endToEndImagesPerSecond() <= m_result.modelOnlyImagesPerSecond());
}

void TestReport::writesReportFolder()
{
    const QString folder = m_folder.filePath(QStringLiteral("out/nested"));

    const ComparisonReportFiles files = writeComparisonReport(m_result, folder);

    QCOMPARE(QFileInfo(files.json).fileName(), QStringLiteral("report.json"));
    const QJsonObject json = QJsonDocument::fromJson(readAll(files.json)).object();
    QCOMPARE(json.value(QStringLiteral("schema")).toString(), QStringLiteral("halfscope.comparison"));
    QCOMPARE(json.value(QStringLiteral("images")).toArray().size(), m_images.size());
    QCOMPARE(readAll(files.csv), comparisonToCsv(m_result));
    QVERIFY(QString::fromUtf8(readAll(files.markdown)).contains(QLatin1String("| Mode | Time (s) | Loss | Accuracy |")));
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 3);
}

void TestReport::rejectsFileAsReportFolder()
{
    const QString file = m_folder.filePath(QStringLiteral("plain-file"));
    QFile plain(file);
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();

    try {
        writeComparisonReport(m_result, file);
        QFAIL("writeComparisonReport wrote into a file");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("it is a file, not a folder")), qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
