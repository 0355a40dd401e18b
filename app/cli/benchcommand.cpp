// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "cli/parsing.h"
#include "cli/texttable.h"

#include "common/error.h"
#include "imaging/imagefiles.h"
#include "model/model.h"
#include "report/benchmarkreport.h"
#include "run/benchmark.h"

#include <QJsonDocument>
#include <QTextStream>

namespace halfscope::cli {

namespace {


struct BenchOptions
{
    QCommandLineOption dtype { QStringLiteral("dtype"),
                               QStringLiteral("Precision of the converted model: fp16 or bf16. "
                                              "Default: fp16."),
                               QStringLiteral("fp16|bf16"), QStringLiteral("fp16") };
    QCommandLineOption batch { QStringLiteral("batch"),
                               QStringLiteral("Inputs per timed forward call. Default: 8."),
                               QStringLiteral("N"), QStringLiteral("8") };
    QCommandLineOption batches { QStringLiteral("batches"),
                                 QStringLiteral("Batch-size sweep after the main timing: "
                                                "comma-separated sizes, for example 1,2,4,8; "
                                                "each is timed --sweep-iterations times per "
                                                "precision."),
                                 QStringLiteral("LIST") };
    QCommandLineOption sweepIterations { QStringLiteral("sweep-iterations"),
                                         QStringLiteral("Timed forward calls per precision and "
                                                        "sweep batch size. Default: 10."),
                                         QStringLiteral("N"), QStringLiteral("10") };
    QCommandLineOption iterations { QStringLiteral("iterations"),
                                    QStringLiteral("Timed forward calls per precision, "
                                                   "alternating between the precisions; at "
                                                   "least 2. Default: 20."),
                                    QStringLiteral("N"), QStringLiteral("20") };
    QCommandLineOption block { QStringLiteral("block"),
                               QStringLiteral("Consecutive timed calls of one precision before "
                                              "the other's turn. 1 alternates every call, which "
                                              "keeps the machine's drift out of the speed-up; "
                                              "larger blocks keep each model's weights in the "
                                              "caches, as a loop over one model does. Default: 1."),
                               QStringLiteral("N"), QStringLiteral("1") };
    QCommandLineOption warmup { QStringLiteral("warmup"),
                                QStringLiteral("Untimed forward calls per precision before "
                                               "timing (at least one always runs). Default: 3."),
                                QStringLiteral("N"), QStringLiteral("3") };
    QCommandLineOption warmupSeconds { QStringLiteral("warmup-seconds"),
                                       QStringLiteral("Warm up for this many seconds instead of "
                                                      "a number of calls."),
                                       QStringLiteral("S") };
    QCommandLineOption threads = threadsOption();
    QCommandLineOption device = deviceOption();
    QCommandLineOption memoryFormat = memoryFormatOption();
    QCommandLineOption images { QStringLiteral("images"),
                                QStringLiteral("Image file or folder for the input batch, "
                                               "repeatable; the images repeat to fill the "
                                               "batch, and their decode and preprocessing times "
                                               "are measured. Default: uniform random values."),
                                QStringLiteral("PATH") };
    QCommandLineOption preset { QStringLiteral("preset"),
                                QStringLiteral("Preprocessing that sets the input size: "
                                               "squash224, imagenet, inception, or a FILE.json. "
                                               "Default: the preprocessing stored in the model, "
                                               "else imagenet."),
                                QStringLiteral("NAME|FILE.json") };
    QCommandLineOption json { QStringLiteral("json"),
                              QStringLiteral("Print the result as JSON (schema "
                                             "halfscope.benchmark, version 2) instead of text.") };

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({ dtype, batch, batches, sweepIterations, iterations, block, warmup, warmupSeconds,
                            threads, device, memoryFormat, images, preset, json });
    }
};

struct BenchRequest
{
    QString modelPath;
    Precision precision = Precision::Float16;
    BenchmarkOptions options;
    QStringList imageInputs;
    std::optional<PreprocessPreset> preset;
    bool json = false;
};

bool readCounts(const QCommandLineParser &parser, const BenchOptions &names, BenchRequest &request)
{
    const auto batch = parseCount(parser.value(names.batch), names.batch.names().first(), 1);
    const auto iterations = parseCount(parser.value(names.iterations), names.iterations.names().first(), 2);
    const auto warmup = parseCount(parser.value(names.warmup), names.warmup.names().first(), 0);
    const auto sweepIterations = parseCount(parser.value(names.sweepIterations), names.sweepIterations.names().first(), 1);
    const auto block = parseCount(parser.value(names.block), names.block.names().first(), 1);
    if (!batch || !iterations || !warmup || !sweepIterations || !block)
        return false;
    request.options.blockSize = *block;
    request.options.batchSize = *batch;
    request.options.timedIterations = *iterations;
    request.options.warmupIterations = *warmup;
    request.options.sweepIterations = *sweepIterations;
    if (parser.isSet(names.threads)) {
        const auto threads = parseThreads(parser.value(names.threads));
        if (!threads)
            return false;
        request.options.intraOpThreads = *threads;
    }
    return true;
}

bool readWarmupSeconds(const QCommandLineParser &parser, const BenchOptions &names, BenchRequest &request)
{
    if (!parser.isSet(names.warmupSeconds))
        return true;
    if (parser.isSet(names.warmup)) {
        printError(QStringLiteral("--warmup and --warmup-seconds exclude each other; give one."));
        return false;
    }
    bool ok = false;
    const double seconds = parser.value(names.warmupSeconds).toDouble(&ok);
    if (!ok || seconds <= 0.0 || seconds > 3600.0) {
        printError(QStringLiteral("invalid value \"%1\" for --warmup-seconds: use a number of "
                                  "seconds above 0 and at most 3600.")
                       .arg(parser.value(names.warmupSeconds)));
        return false;
    }
    request.options.warmupSeconds = seconds;
    return true;
}

bool readChoices(const QCommandLineParser &parser, const BenchOptions &names, BenchRequest &request)
{
    const auto precision = parsePrecision(parser.value(names.dtype));
    if (!precision || *precision == Precision::Float32) {
        printError(QStringLiteral("invalid value \"%1\" for --dtype: use fp16 or bf16.").arg(parser.value(names.dtype)));
        return false;
    }
    request.precision = *precision;

    const auto device = parseDevice(parser.value(names.device));
    if (!device)
        return false;
    request.options.device = *device;
    const auto memoryFormat = parseMemoryFormatValue(parser.value(names.memoryFormat));
    if (!memoryFormat)
        return false;
    request.options.memoryFormat = *memoryFormat;

    const QString presetName = parser.value(names.preset);
    try {
        if (parser.isSet(names.batches))
            request.options.sweepBatchSizes = parseBatchSizes(parser.value(names.batches));
        if (presetName.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
            request.preset = PreprocessPreset::readFile(presetName);
    } catch (const Error &error) {
        printError(error.message());
        return false;
    }
    if (!presetName.isEmpty() && !request.preset) {
        request.preset = PreprocessPreset::builtin(presetName);
        if (!request.preset) {
            printError(QStringLiteral("unknown preset \"%1\" for --preset: use %2, or a JSON file.")
                           .arg(presetName, PreprocessPreset::builtinNames().join(QLatin1String(", "))));
            return false;
        }
    }
    return true;
}

std::optional<BenchRequest> readRequest(const QCommandLineParser &parser, const BenchOptions &names)
{
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("bench needs exactly one MODEL. Run \"halfscope-cli bench --help\" "
                                  "for the usage."));
        return std::nullopt;
    }
    BenchRequest request;
    request.modelPath = parser.positionalArguments().first();
    request.imageInputs = parser.values(names.images);
    request.json = parser.isSet(names.json);
    if (!readCounts(parser, names, request) || !readWarmupSeconds(parser, names, request)
        || !readChoices(parser, names, request)) {
        return std::nullopt;
    }
    return request;
}

QString megabytes(qint64 bytes)
{
    return bytes < 0 ? QStringLiteral("-") : QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

QString milliseconds(double value)
{
    return QString::number(value, 'f', value < 10.0 ? 2 : 1);
}

void printLatency(QTextStream &out, const BenchmarkResult &result)
{
    const LatencyStats &reference = result.reference.latency;
    out << "Model       " << result.modelPath << '\n'
        << "Device      " << result.device << ", " << result.intraOpThreads << " intra-op threads\n"
        << "Input       batch of " << result.batchSize << " at " << result.inputWidth << "x"
        << result.inputHeight << ", " << result.inputDescription << ", "
        << memoryFormatName(result.memoryFormat) << " memory format" << '\n'
        << "Timing      " << reference.samplesMs.size() << " timed calls per precision after "
        << reference.warmupIterations << " warm-up, alternating "
        << (result.blockSize == 1 ? QStringLiteral("every call") : QStringLiteral("in blocks of %1").arg(result.blockSize))
        << ", milliseconds per call\n\n";
    TextTable table;
    table.addColumn(QStringLiteral("Precision"));
    for (const char *name : { "Median", "p10", "p90", "Mean", "Std", "Images/s", "Params MiB", "Peak RSS MiB", "CUDA peak MiB" })
        table.addColumn(QString::fromLatin1(name), TextTable::Align::Right);
    for (const PrecisionBenchmark *measured : { &result.reference, &result.converted }) {
        const LatencyStats &stats = measured->latency;
        table.addRow({ precisionName(measured->precision), milliseconds(stats.medianMs), milliseconds(stats.p10Ms),
                       milliseconds(stats.p90Ms), milliseconds(stats.meanMs), milliseconds(stats.standardDeviationMs),
                       QString::number(measured->imagesPerSecond(), 'f', 1), megabytes(measured->parameterBytes),
                       megabytes(measured->peakResidentBytes), megabytes(measured->cudaPeakBytes) });
    }
    table.print(out, 2);
}

void printSummary(QTextStream &out, const BenchmarkResult &result)
{
    const QString converted = precisionName(result.converted.precision);
    if (result.speedup.isValid()) {
        out << "\n  Speed-up float32 / " << converted << ": " << QString::number(result.speedup.ratio, 'f', 2)
            << "x, 95% interval " << QString::number(result.speedup.low, 'f', 2) << "-"
            << QString::number(result.speedup.high, 'f', 2) << " (bootstrap over "
            << result.reference.latency.samplesMs.size() << " paired calls)\n";
    }
    if (result.decodeMsPerImage > 0.0) {
        out << "  Decode " << milliseconds(result.decodeMsPerImage) << " ms and preprocess "
            << milliseconds(result.preprocessMsPerImage) << " ms per image (median): "
            << QString::number(100.0 * result.preprocessShare(false), 'f', 1) << "% of the float32 and "
            << QString::number(100.0 * result.preprocessShare(true), 'f', 1) << "% of the " << converted
            << " end-to-end time per image\n";
    }
    for (const QString &warning : result.warnings)
        out << "  WARNING: " << warning << '\n';
    if (!result.slowdownExplanation.isEmpty())
        out << "  " << result.slowdownExplanation << '\n';
}

void printSweep(QTextStream &out, const BenchmarkResult &result)
{
    if (result.sweep.empty())
        return;
    const QString converted = precisionName(result.converted.precision);
    out << "\nBatch-size sweep, " << result.sweep.front().iterations << " timed calls per size and precision:\n";
    TextTable table;
    table.addColumn(QStringLiteral("Batch"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("float32 ms"), TextTable::Align::Right);
    table.addColumn(converted + QStringLiteral(" ms"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("float32 images/s"), TextTable::Align::Right);
    table.addColumn(converted + QStringLiteral(" images/s"), TextTable::Align::Right);
    for (const BatchSweepPoint &point : result.sweep) {
        table.addRow({ QString::number(point.batchSize), milliseconds(point.referenceMedianMs),
                       milliseconds(point.convertedMedianMs), QString::number(point.referenceImagesPerSecond, 'f', 1),
                       QString::number(point.convertedImagesPerSecond, 'f', 1) });
    }
    table.print(out, 2);
}

int execute(BenchRequest request)
{
    const Model reference = Model::load(request.modelPath);
    request.options.preset = request.preset.value_or(reference.embeddedPreset().value_or(PreprocessPreset::imagenet()));
    if (!request.imageInputs.isEmpty()) {
        request.options.imagePaths = collectImageFiles(request.imageInputs);
        if (request.options.imagePaths.isEmpty()) {
            printError(QStringLiteral("no image files found in %1.").arg(request.imageInputs.join(QLatin1String(", "))));
            return ExitFailure;
        }
    }
    const Model converted = reference.convertedTo(request.precision);
    const BenchmarkResult result = runBenchmark(reference, converted, request.options);

    QTextStream out(stdout);
    if (request.json) {
        out << QJsonDocument(benchmarkToJson(result)).toJson(QJsonDocument::Indented);
        return ExitSuccess;
    }
    printLatency(out, result);
    printSummary(out, result);
    printSweep(out, result);
    return ExitSuccess;
}

} // namespace

int runBench(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Times the forward calls of a TorchScript model in float32 and in float16 (or bfloat16) "
        "on one fixed batch: warm-up calls, then timed calls that alternate between the "
        "precisions. Reports the median, p10, p90, mean and standard deviation per call in "
        "milliseconds, images per second, the speed-up with a 95% bootstrap interval, parameter "
        "bytes and peak memory, and optionally a batch-size sweep. Decoding and preprocessing "
        "are not timed in the calls; with --images their time per image is reported beside them."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("TorchScript archive written by torch.jit.save."));
    const BenchOptions names;
    names.addTo(parser);
    const ParseOutcome outcome = parseCommandLine(parser, arguments, QStringLiteral("bench [OPTIONS] MODEL"));
    if (outcome != ParseOutcome::Proceed)
        return outcome == ParseOutcome::HelpShown ? ExitSuccess : ExitUsage;
    std::optional<BenchRequest> request = readRequest(parser, names);
    if (!request)
        return ExitUsage;
    try {
        return execute(std::move(*request));
    } catch (const Error &error) {
        printError(error.message());
        return ExitFailure;
    }
}

} // namespace halfscope::cli
