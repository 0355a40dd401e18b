// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "cli/parsing.h"
#include "cli/texttable.h"

#include "common/error.h"
#include "imaging/imagefiles.h"
#include "model/classnames.h"
#include "model/model.h"
#include "plots/resultplots.h"
#include "report/atomicfile.h"
#include "report/jsonreport.h"
#include "report/reportfolder.h"
#include "run/comparison.h"
#include "run/cpufeatures.h"
#include "run/evaluation.h"
#include "run/groundtruth.h"
#include "run/threading.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

#include <cmath>
#include <cstdio>

namespace halfscope::cli {

namespace {


/// Everything "compare" reads from its command line.
struct CompareRequest
{
    QString modelPath;
    QStringList inputs;
    Precision precision = Precision::Float16;
    ComparisonOptions options;
    std::optional<PreprocessPreset> preset; ///< Empty: the model's own, else "imagenet".
    QString labelsPath;  ///< Empty: the class names stored in the model.
    QString jsonPath;    ///< Empty: no JSON report.
    QString reportFolder; ///< Empty: no report folder.
    QList<PlotFormat> plotFormats; ///< Plots rendered into reportFolder; empty: none.
    QString groundTruth; ///< "folders", a CSV path, or empty for none.
    int threads = 0;     ///< 0: LibTorch's default.
};

struct CompareOptions
{
    QCommandLineOption dtype { QStringLiteral("dtype"),
                               QStringLiteral("Precision of the converted model: fp16 or bf16. "
                                              "Default: fp16."),
                               QStringLiteral("fp16|bf16"), QStringLiteral("fp16") };
    QCommandLineOption tta { QStringLiteral("tta"),
                             QStringLiteral("Test-time augmentation: a comma-separated list of "
                                            "transforms whose views multiply: none, hflip, vflip, "
                                            "rot90 (or rot90=1,2), five-crop, ten-crop (crops of "
                                            "87.5% of the side, resized back), scales=0.9,1.1 "
                                            "(zoom at fixed size). Example: hflip,scales=0.9,1.1 "
                                            "(6 views). Default: none."),
                             QStringLiteral("SPEC"), QStringLiteral("none") };
    QCommandLineOption merge { QStringLiteral("merge"),
                               QStringLiteral("How views merge, in float32: mean (of "
                                              "probabilities), mean-logits, gmean (geometric mean "
                                              "of probabilities), max or tsharpen. Default: mean."),
                               QStringLiteral("MODE"), QStringLiteral("mean") };
    QCommandLineOption preset { QStringLiteral("preset"),
                                QStringLiteral("Preprocessing: squash224 (resize to 224x224, "
                                               "scale 0..1, no mean/std), imagenet (shorter "
                                               "side 256, center crop 224, ImageNet mean/std) or "
                                               "inception (shorter side 342, center crop 299), "
                                               "or a FILE.json in the format of the "
                                               "halfscope.preprocess.json that HalfScope stores "
                                               "in models. "
                                               "Default: the preprocessing stored in the model, "
                                               "else imagenet."),
                                QStringLiteral("NAME|FILE.json") };
    QCommandLineOption labels { QStringLiteral("labels"),
                                QStringLiteral("Class-name file, one name per line in output "
                                               "order. Default: the names stored in the model, "
                                               "else class indices."),
                                QStringLiteral("FILE") };
    QCommandLineOption batch { QStringLiteral("batch"),
                               QStringLiteral("Images per forward call, before TTA. Default: 8."),
                               QStringLiteral("N"), QStringLiteral("8") };
    QCommandLineOption topK { QStringLiteral("top-k"),
                              QStringLiteral("Classes kept per image in the JSON report. "
                                             "Default: 5."),
                              QStringLiteral("N"), QStringLiteral("5") };
    QCommandLineOption warmup { QStringLiteral("warmup"),
                                QStringLiteral("Untimed forward calls per precision before "
                                               "timing. Default: 1."),
                                QStringLiteral("N"), QStringLiteral("1") };
    QCommandLineOption repeat { QStringLiteral("repeat"),
                                QStringLiteral("Timed forward calls of the first full batch per "
                                               "precision; the median and p10-p90 are "
                                               "reported, in milliseconds per batch. 0 skips "
                                               "timing. Default: 5."),
                                QStringLiteral("N"), QStringLiteral("5") };
    QCommandLineOption threads = threadsOption();
    QCommandLineOption device = deviceOption();
    QCommandLineOption memoryFormat = memoryFormatOption();
    QCommandLineOption groundTruth { QStringLiteral("ground-truth"),
                                     QStringLiteral("True classes, for loss and top-1/top-5 accuracy "
                                                    "per precision: \"folders\" takes each image's "
                                                    "folder name as its class (root/espresso/1.jpg); "
                                                    "a CSV file gives path,label rows (label: class "
                                                    "index or name; paths relative to the CSV)."),
                                     QStringLiteral("folders|FILE.csv") };
    QCommandLineOption json { QStringLiteral("json"),
                              QStringLiteral("Also write the full report as JSON to FILE "
                                             "(schema halfscope.comparison, version 3)."),
                              QStringLiteral("FILE") };

    QCommandLineOption report { QStringLiteral("report"),
                                QStringLiteral("Write report.json, report.csv (one row per image) and "
                                               "report.md (a Markdown summary) into FOLDER, "
                                               "creating it when missing."),
                                QStringLiteral("FOLDER") };
    QCommandLineOption plots { QStringLiteral("plots"),
                               QStringLiteral("Also render the window's result plots (drift "
                                              "histogram, scatter, drift per image and per view, "
                                              "latency, speed-up) into the --report FOLDER, at "
                                              "800x600 in each listed format: png, pdf, svg, "
                                              "comma-separated. Needs no display."),
                               QStringLiteral("FORMATS") };

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({ dtype, tta, merge, preset, labels, groundTruth, batch, topK, warmup, repeat,
                            threads, device, memoryFormat, json, report, plots });
    }
};

/// Checks before the run that a report can be written to path, so that a
/// long comparison does not end in a failed write.
bool checkOutputPath(const QString &path, const QString &option)
{
    const QFileInfo info(path);
    QString problem;
    if (path.isEmpty())
        problem = QStringLiteral("the file name is empty");
    else if (info.isDir())
        problem = QStringLiteral("%1 is a folder; give a file name inside it").arg(path);
    else if (!info.absoluteDir().exists())
        problem = QStringLiteral("the folder %1 does not exist").arg(info.absolutePath());
    if (problem.isEmpty())
        return true;
    printError(QStringLiteral("invalid value for %1: %2.").arg(option, problem));
    return false;
}

/// Parses a comma-separated list of plot formats such as "png,svg".
std::optional<QList<PlotFormat>> parsePlotFormats(const QString &text)
{
    QList<PlotFormat> formats;
    for (const QString &entry : text.split(QLatin1Char(','))) {
        const auto format = plotFormatForFileName(QStringLiteral("plot.") + entry.trimmed());
        if (!format) {
            printError(QStringLiteral("invalid plot format \"%1\" in --plots: use png, pdf or svg, "
                                      "comma-separated, for example png,svg.")
                           .arg(entry.trimmed()));
            return std::nullopt;
        }
        if (!formats.contains(*format))
            formats << *format;
    }
    return formats;
}

std::optional<CompareRequest> readRequest(const QCommandLineParser &parser,
                                          const CompareOptions &names)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2) {
        printError(QStringLiteral("compare needs a MODEL and at least one image file or folder. "
                                  "Run \"halfscope-cli compare --help\" for the usage."));
        return std::nullopt;
    }

    CompareRequest request;
    request.modelPath = positional.first();
    request.inputs = positional.mid(1);

    const auto precision = parsePrecision(parser.value(names.dtype));
    if (!precision || *precision == Precision::Float32) {
        printError(QStringLiteral("invalid value \"%1\" for --dtype: use fp16 or bf16.")
                       .arg(parser.value(names.dtype)));
        return std::nullopt;
    }
    request.precision = *precision;

    const auto merge = parseMergeMode(parser.value(names.merge));
    if (!merge) {
        printError(QStringLiteral("invalid value \"%1\" for --merge: use mean, mean-logits, gmean, "
                                  "max or tsharpen.")
                       .arg(parser.value(names.merge)));
        return std::nullopt;
    }
    try {
        request.options.tta = TtaPlan::parse(parser.value(names.tta), *merge);
    } catch (const Error &error) {
        printError(error.message());
        return std::nullopt;
    }

    const QString presetName = parser.value(names.preset);
    if (presetName.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        try {
            request.preset = PreprocessPreset::readFile(presetName);
        } catch (const Error &error) {
            printError(error.message());
            return std::nullopt;
        }
    } else if (!presetName.isEmpty()) {
        request.preset = PreprocessPreset::builtin(presetName);
        if (!request.preset) {
            printError(QStringLiteral("unknown preset \"%1\" for --preset: use %2, or a JSON file.")
                           .arg(presetName, PreprocessPreset::builtinNames().join(QLatin1String(", "))));
            return std::nullopt;
        }
    }

    const auto device = parseDevice(parser.value(names.device));
    if (!device)
        return std::nullopt;
    request.options.device = *device;
    const auto memoryFormat = parseMemoryFormatValue(parser.value(names.memoryFormat));
    if (!memoryFormat)
        return std::nullopt;
    request.options.memoryFormat = *memoryFormat;

    const auto batch = parseCount(parser.value(names.batch), names.batch.names().first(), 1);
    const auto topK = parseCount(parser.value(names.topK), names.topK.names().first(), 1);
    const auto warmup = parseCount(parser.value(names.warmup), names.warmup.names().first(), 0);
    const auto repeat = parseCount(parser.value(names.repeat), names.repeat.names().first(), 0);
    if (!batch || !topK || !warmup || !repeat)
        return std::nullopt;
    request.options.batchSize = *batch;
    request.options.topK = *topK;
    request.options.warmupIterations = *warmup;
    request.options.timedIterations = *repeat;
    if (parser.isSet(names.threads)) {
        const auto threads = parseThreads(parser.value(names.threads));
        if (!threads)
            return std::nullopt;
        request.threads = *threads;
    }

    request.labelsPath = parser.value(names.labels);
    request.groundTruth = parser.value(names.groundTruth);
    if (parser.isSet(names.json) && !checkOutputPath(parser.value(names.json), QStringLiteral("--json")))
        return std::nullopt;
    request.jsonPath = parser.value(names.json);
    if (parser.isSet(names.report)) {
        const QFileInfo folder(parser.value(names.report));
        if (folder.exists() && !folder.isDir()) {
            printError(QStringLiteral("invalid value for --report: %1 is a file; give a folder.")
                           .arg(parser.value(names.report)));
            return std::nullopt;
        }
        if (!folder.exists() && !folder.absoluteDir().exists()) {
            printError(QStringLiteral("invalid value for --report: the folder %1 does not exist.")
                           .arg(folder.absolutePath()));
            return std::nullopt;
        }
        request.reportFolder = parser.value(names.report);
    }
    if (parser.isSet(names.plots)) {
        const auto formats = parsePlotFormats(parser.value(names.plots));
        if (!formats)
            return std::nullopt;
        if (request.reportFolder.isEmpty()) {
            printError(QStringLiteral("--plots writes into the report folder; add --report FOLDER."));
            return std::nullopt;
        }
        request.plotFormats = *formats;
    }
    return request;
}

QString formatMs(double milliseconds)
{
    return QString::number(milliseconds, 'f', milliseconds < 10.0 ? 2 : 1);
}

/// Formats a drift value with 3 significant digits, as the image table does.
QString formatDrift(float value)
{
    return QString::number(double(value), 'g', 3);
}

QString countOf(qsizetype count, const char *singular, const char *plural)
{
    return QStringLiteral("%1 %2").arg(count).arg(QLatin1String(count == 1 ? singular : plural));
}

QString formatTop1(const ComparisonResult &result, const Prediction &prediction)
{
    return QStringLiteral("%1 (%2)")
        .arg(result.className(prediction.top1()))
        .arg(prediction.top1Probability(), 0, 'f', 3);
}

QString labelsNote(const ComparisonResult &result, const QString &labelsSource)
{
    const int names = int(result.options.classNames.size());
    if (names == 0 || result.outputClasses == 0 || names == result.outputClasses)
        return labelsSource;
    return QStringLiteral("%1 (WARNING: %2 names for %3 model outputs; check that the labels "
                          "belong to this model)")
        .arg(labelsSource)
        .arg(names)
        .arg(result.outputClasses);
}

void printSettings(QTextStream &out, const ComparisonResult &result, const QString &labelsSource)
{
    const ComparisonOptions &options = result.options;
    const QString merge = options.tta.viewCount() > 1
        ? QStringLiteral(", merged as the %1").arg(mergeModeDescription(options.tta.merge))
        : QString();
    out << "Model       " << result.modelPath << '\n'
        << "Precisions  float32 (reference) and " << precisionName(result.precision) << " on "
        << options.device << ", " << countOf(result.intraOpThreads, "intra-op thread", "intra-op threads") << '\n'
        << "Preprocess  " << options.preset.name << ": " << options.preset.describe() << '\n'
        << "Input       " << memoryFormatName(result.memoryFormat) << " batches of "
        << countOf(options.batchSize, "image", "images") << '\n'
        << "TTA         " << options.tta.spec << " (" << countOf(options.tta.viewCount(), "view", "views") << ")" << merge << '\n'
        << "Labels      " << labelsNote(result, labelsSource) << '\n'
        << "Images      " << result.comparedCount() << " compared, " << result.failedCount()
        << " failed" << (result.cancelled ? ", cancelled" : "") << "\n\n";
}

void printTiming(QTextStream &out, const ComparisonResult &result)
{
    if (!result.timingError.isEmpty()) {
        out << result.timingError << "\n\n";
        return;
    }
    if (result.referenceLatency.isEmpty()) {
        out << "Timing      skipped\n\n";
        return;
    }
    const LatencyStats &reference = result.referenceLatency;
    out << "Timing per batch of " << countOf(reference.batchImages, "image", "images") << " ("
        << countOf(reference.batchViews, "model input", "model inputs") << "), "
        << countOf(qsizetype(reference.samplesMs.size()), "timed run", "timed runs") << " after "
        << reference.warmupIterations << " warm-up, milliseconds:\n";
    TextTable table;
    table.addColumn(QStringLiteral("Precision"));
    table.addColumn(QStringLiteral("Median"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("p10"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("p90"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Images/s"), TextTable::Align::Right);
    for (auto [stats, precision] : { std::pair { &result.referenceLatency, Precision::Float32 },
                                     std::pair { &result.convertedLatency, result.precision } }) {
        table.addRow({ precisionName(precision), formatMs(stats->medianMs), formatMs(stats->p10Ms),
                       formatMs(stats->p90Ms), QString::number(stats->imagesPerSecond(), 'f', 1) });
    }
    table.print(out, 2);

    const double ratio = result.convertedLatency.medianMs / reference.medianMs;
    out << "  " << precisionName(result.precision) << " median / float32 median: "
        << QString::number(ratio, 'f', 2) << "x ("
        << (ratio < 1.0 ? QStringLiteral("faster") : QStringLiteral("slower")) << ")\n";
    const SpeedupEstimate speedup = estimateSpeedup(reference.samplesMs, result.convertedLatency.samplesMs);
    if (speedup.isValid()) {
        out << "  Speed-up float32 / " << precisionName(result.precision) << ": "
            << QString::number(speedup.ratio, 'f', 2) << "x, 95% interval "
            << QString::number(speedup.low, 'f', 2) << "-" << QString::number(speedup.high, 'f', 2)
            << " (bootstrap over " << reference.samplesMs.size() << " paired runs)\n";
    }
    for (auto [stats, precision] : { std::pair { &result.referenceLatency, Precision::Float32 },
                                     std::pair { &result.convertedLatency, result.precision } }) {
        if (stats->isSpreadTooWide()) {
            out << "  WARNING: the " << precisionName(precision) << " timings spread widely (IQR "
                << QString::number(100.0 * stats->interquartileRangeMs / stats->medianMs, 'f', 0)
                << "% of the median), so the comparison is uncertain; close other programs or "
                   "raise --repeat.\n";
        }
    }
    const QString explanation = explainSlowdown(result.precision, result.options.device, ratio,
                                                detectCpuFeatures());
    if (!explanation.isEmpty())
        out << "  " << explanation << '\n';
    out << '\n';
}

void printDrift(QTextStream &out, const ComparisonResult &result)
{
    const int compared = result.comparedCount();
    if (compared == 0)
        return;
    const double share = 100.0 * result.agreementCount() / compared;
    out << "Top-1 agreement   " << result.agreementCount() << "/" << compared << " ("
        << QString::number(share, 'f', 1) << "%)\n"
        << "Max |Δ logit|     " << formatDrift(result.maxLogitDelta()) << '\n'
        << "Max |Δ prob|      " << formatDrift(result.maxProbabilityDelta())
        << (result.options.tta.viewCount() > 1 ? " (after merging the views)" : "") << '\n';
    if (result.options.tta.viewCount() > 1) {
        QStringList perView;
        const QStringList names = result.options.tta.viewNames();
        for (int view = 0; view < names.size(); ++view) {
            float maximum = 0.0f;
            for (const ImageComparison &image : result.images) {
                if (image.compared() && size_t(view) < image.viewProbabilityDeltas.size())
                    maximum = std::isnan(image.viewProbabilityDeltas[size_t(view)]) ? image.viewProbabilityDeltas[size_t(view)]
                                                                                   : std::max(maximum, image.viewProbabilityDeltas[size_t(view)]);
            }
            perView << names.at(view) + QLatin1Char(' ') + formatDrift(maximum);
        }
        out << "Max |Δ prob| per view, before merging: " << perView.join(QLatin1String(", ")) << '\n';
    }
    if (result.nonFiniteCount() > 0) {
        out << "WARNING: " << countOf(result.nonFiniteCount(), "image", "images")
            << " gave NaN or infinite outputs. In " << precisionName(result.precision)
            << " this usually means an activation overflowed (float16 stops at 65504); keep the "
               "overflowing layers in float32 or use bfloat16.\n";
    }
    out << '\n';
}

void printEvaluation(QTextStream &out, const ComparisonResult &result)
{
    const EvaluationSummary reference = evaluate(result, false);
    if (reference.labelledImages == 0)
        return;
    out << "Evaluation on " << countOf(reference.labelledImages, "labelled image", "labelled images")
        << " (time: the comparison's forward calls, summed):\n";
    TextTable table;
    table.addColumn(QStringLiteral("Mode"));
    table.addColumn(QStringLiteral("Time (s)"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Loss"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Top-1"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Top-5"), TextTable::Align::Right);
    for (const EvaluationSummary &summary : { reference, evaluate(result, true) }) {
        table.addRow({ precisionName(summary.precision), QString::number(summary.totalMs / 1000.0, 'f', 2),
                       QString::number(summary.loss, 'f', 4),
                       QString::number(100.0 * summary.top1Accuracy, 'f', 1) + QLatin1Char('%'),
                       QString::number(100.0 * summary.top5Accuracy, 'f', 1) + QLatin1Char('%') });
    }
    table.print(out, 2);
    out << '\n';
}

void printImages(QTextStream &out, const ComparisonResult &result)
{
    TextTable table;
    table.addColumn(QStringLiteral("Image"));
    table.addColumn(QStringLiteral("float32 top-1"));
    table.addColumn(precisionName(result.precision) + QStringLiteral(" top-1"));
    table.addColumn(QStringLiteral("Agree"));
    table.addColumn(QStringLiteral("Max |Δ logit|"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Max |Δ prob|"), TextTable::Align::Right);
    for (const ImageComparison &image : result.images) {
        const QString name = QFileInfo(image.path).fileName();
        if (!image.compared()) {
            table.addRow({ name, image.ok() ? QStringLiteral("not run") : QStringLiteral("failed") });
            continue;
        }
        table.addRow({ name, formatTop1(result, image.reference), formatTop1(result, image.converted),
                       image.top1Agrees ? QStringLiteral("yes") : QStringLiteral("NO"),
                       formatDrift(image.maxLogitDelta), formatDrift(image.maxProbabilityDelta) });
    }
    table.print(out);
}

struct PlotFiles
{
    QStringList fileNames; ///< Written files, relative to the report folder.
    bool failed = false;   ///< True when a plot could not be written.
};

/// Renders the result plots into folder, creating it when missing, and
/// prints an error for each file that could not be written.
PlotFiles writePlots(const ComparisonResult &result, const QString &folder,
                     const QList<PlotFormat> &formats)
{
    PlotFiles plots;
    if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
        // main() creates a QApplication whenever --plots is on the command line.
        printError(QStringLiteral("cannot render plots: halfscope-cli started without a "
                                  "QApplication."));
        plots.failed = true;
        return plots;
    }
    if (!QDir().mkpath(folder)) {
        printError(QStringLiteral("cannot create the report folder %1; check that its parent is "
                                  "writable.")
                       .arg(folder));
        plots.failed = true;
        return plots;
    }
    const ResultPlotFiles files = writeResultPlots(result, folder, formats, PlotExportSettings());
    for (const QString &path : files.writtenPaths)
        plots.fileNames << QFileInfo(path).fileName();
    for (const QString &error : files.errors)
        printError(error);
    plots.failed = !files.errors.isEmpty();
    return plots;
}

int execute(const CompareRequest &request)
{
    if (request.threads > 0)
        setIntraOpThreadCount(request.threads);

    const Model reference = Model::load(request.modelPath);
    ComparisonOptions options = request.options;
    QString labelsSource;
    if (!request.labelsPath.isEmpty()) {
        options.classNames = readClassNames(request.labelsPath);
        labelsSource = request.labelsPath;
    } else {
        options.classNames = reference.classNames();
        labelsSource = options.classNames.isEmpty() ? QStringLiteral("none (class indices shown)")
                                                    : QStringLiteral("stored in the model");
    }
    options.preset = request.preset.value_or(reference.embeddedPreset().value_or(PreprocessPreset::imagenet()));

    const QStringList images = collectImageFiles(request.inputs);
    if (images.isEmpty()) {
        printError(QStringLiteral("no image files found in %1. HalfScope reads PNG, JPEG, TIFF, "
                                  "BMP, WebP and PNM files.")
                       .arg(request.inputs.join(QLatin1String(", "))));
        return ExitFailure;
    }

    GroundTruth truth;
    if (request.groundTruth == QLatin1String("folders"))
        truth = groundTruthFromFolders(images, options.classNames);
    else if (!request.groundTruth.isEmpty())
        truth = groundTruthFromCsv(request.groundTruth, images, options.classNames);
    for (const QString &warning : truth.warnings)
        printError(QStringLiteral("warning: ") + warning);

    const Model converted = reference.convertedTo(request.precision);
    const ComparisonResult result = compareModels(reference, converted, images, options, {}, truth.classes);

    for (const QString &warning : result.warnings)
        printError(QStringLiteral("warning: ") + warning);
    QTextStream out(stdout);
    printSettings(out, result, labelsSource);
    printTiming(out, result);
    printDrift(out, result);
    printEvaluation(out, result);
    printImages(out, result);
    out.flush();

    for (const ImageComparison &image : result.images) {
        if (!image.ok())
            printError(image.error.contains(image.path) ? image.error : image.path + QStringLiteral(": ") + image.error);
    }
    if (!request.jsonPath.isEmpty()) {
        writeFileAtomically(request.jsonPath,
                            QJsonDocument(comparisonToJson(result)).toJson(QJsonDocument::Indented));
    }
    bool plotsFailed = false;
    if (!request.reportFolder.isEmpty()) {
        MarkdownReportOptions markdown;
        markdown.plotsNote = QStringLiteral("No plots were rendered; run halfscope-cli compare with "
                                            "--plots png, or export them from the plot tabs of "
                                            "the HalfScope window.");
        if (!request.plotFormats.isEmpty()) {
            const PlotFiles plots = writePlots(result, request.reportFolder, request.plotFormats);
            markdown.plotFiles = plots.fileNames;
            plotsFailed = plots.failed;
        }
        if (result.referenceLatency.medianMs > 0.0) {
            markdown.slowdownExplanation = explainSlowdown(result.precision, result.options.device,
                                                           result.convertedLatency.medianMs / result.referenceLatency.medianMs,
                                                           detectCpuFeatures());
        }
        const ComparisonReportFiles files = writeComparisonReport(result, request.reportFolder, markdown);
        out << "\nReport: " << files.json << ", " << files.csv << ", " << files.markdown << '\n';
        out.flush();
    }
    if (result.comparedCount() == 0) {
        printError(QStringLiteral("no image could be compared; see the errors above."));
        return ExitFailure;
    }
    if (plotsFailed)
        return ExitFailure;
    return result.failedCount() > 0 ? ExitPartial : ExitSuccess;
}

} // namespace

int runCompare(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Converts a TorchScript classifier to float16 (or bfloat16), runs images through the "
        "float32 original and the converted copy, and reports per image each precision's top-1 "
        "class, whether they agree and the largest absolute logit and probability "
        "differences, then times both precisions on the first full batch.\n\n"
        "Exit status: 0 when every image was compared, 3 when some could not be (each is "
        "named on stderr), 1 on failure, 2 on invalid arguments."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("TorchScript archive written by torch.jit.save."));
    parser.addPositionalArgument(QStringLiteral("IMAGE_OR_FOLDER"),
                                 QStringLiteral("Image files, or folders searched recursively; "
                                                "one or more."),
                                 QStringLiteral("IMAGE_OR_FOLDER..."));
    const CompareOptions names;
    names.addTo(parser);
    const ParseOutcome outcome = parseCommandLine(
        parser, arguments, QStringLiteral("compare [OPTIONS] MODEL IMAGE_OR_FOLDER..."));
    if (outcome != ParseOutcome::Proceed)
        return outcome == ParseOutcome::HelpShown ? ExitSuccess : ExitUsage;

    const std::optional<CompareRequest> request = readRequest(parser, names);
    if (!request)
        return ExitUsage;
    try {
        return execute(*request);
    } catch (const Error &error) {
        printError(error.message());
        return ExitFailure;
    }
}

} // namespace halfscope::cli
