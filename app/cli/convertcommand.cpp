// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "cli/parsing.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "model/model.h"
#include "model/modelexport.h"
#include "model/weightloading.h"

#include <QTextStream>

#include <cstdio>

namespace halfscope::cli {

namespace {

struct ConvertOptions
{
    QCommandLineOption weights { QStringLiteral("weights"),
                                 QStringLiteral("Checkpoint whose state dict is loaded into MODEL "
                                                "first: torch.save (zip or legacy) or "
                                                "safetensors. Nothing in it is executed."),
                                 QStringLiteral("CHECKPOINT") };
    QCommandLineOption stateDict { QStringLiteral("state-dict"),
                                   QStringLiteral("Key path of the state dict inside the "
                                                  "checkpoint, with / between keys (for example "
                                                  "state_dict or ema); \"/\" is the root. "
                                                  "Default: the largest dictionary of tensors "
                                                  "(\"halfscope-cli inspect CHECKPOINT\" lists them)."),
                                   QStringLiteral("PATH") };
    QCommandLineOption map { QStringLiteral("map"),
                             QStringLiteral("Replace the key prefix OLD with NEW before matching; "
                                            "repeatable. Example: --map backbone.=features."),
                             QStringLiteral("OLD=NEW") };
    QCommandLineOption noStrip { QStringLiteral("no-strip"),
                                 QStringLiteral("Keep the prefixes module. (DataParallel), model. "
                                                "(Lightning) and _orig_mod. (torch.compile) "
                                                "instead of removing them from keys that "
                                                "otherwise do not match.") };
    QCommandLineOption allowPartial { QStringLiteral("allow-partial"),
                                      QStringLiteral("Write the model even when some parameters "
                                                     "are missing, unexpected or mis-shaped; "
                                                     "those keep the architecture's values.") };
    QCommandLineOption dtype { QStringLiteral("dtype"),
                               QStringLiteral("Precision of the written model: fp16, bf16 or "
                                              "fp32. Default: fp16."),
                               QStringLiteral("fp16|bf16|fp32"), QStringLiteral("fp16") };
    QCommandLineOption freeze { QStringLiteral("freeze"),
                                QStringLiteral("Freeze the written model (torch.jit.freeze): "
                                               "weights become constants and BatchNorm is "
                                               "folded into the preceding convolution.") };
    QCommandLineOption optimize { QStringLiteral("optimize"),
                                  QStringLiteral("Freeze and optimize the written model for "
                                                 "inference (torch.jit.optimize_for_inference).") };
    QCommandLineOption output { { QStringLiteral("o"), QStringLiteral("output") },
                                QStringLiteral("TorchScript file to write (required); never the "
                                               "input file."),
                                QStringLiteral("OUT.pt") };

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({ weights, stateDict, map, noStrip, allowPartial, dtype, freeze, optimize, output });
    }
};

std::optional<WeightLoadOptions> readWeightOptions(const QCommandLineParser &parser,
                                                   const ConvertOptions &names)
{
    WeightLoadOptions options;
    if (parser.isSet(names.stateDict)) {
        options.stateDictChosen = true;
        options.stateDictPath = parser.value(names.stateDict).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    }
    for (const QString &mapping : parser.values(names.map)) {
        const qsizetype equals = mapping.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            printError(QStringLiteral("invalid value \"%1\" for --map: expected OLD=NEW, for "
                                      "example backbone.=features.")
                           .arg(mapping));
            return std::nullopt;
        }
        options.prefixMappings.push_back({ mapping.left(equals), mapping.mid(equals + 1) });
    }
    options.stripWrapperPrefixes = !parser.isSet(names.noStrip);
    return options;
}

void printReport(QTextStream &out, const ExportReport &report, const Model &converted)
{
    QStringList steps;
    if (report.frozen)
        steps << QStringLiteral("frozen");
    if (report.optimized)
        steps << QStringLiteral("optimized for inference");
    out << "Wrote " << report.path << ": " << precisionName(converted.precision());
    if (!steps.isEmpty())
        out << ", " << steps.join(QLatin1String(", "));
    out << ", tensors " << report.tensorDtypes.join(QLatin1String(", ")) << ", output " << report.outputDtype
        << ", checked after reloading.\n";
    if (report.frozen) {
        out << "Largest |Δ| of the first output (in float32, such as logits) against the unfrozen "
               "model on a sample input: "
            << QString::number(report.freezeDifference, 'g', 3) << '\n';
    }
    for (const QString &warning : report.warnings)
        out << "WARNING: " << warning << '\n';
}

} // namespace

int runConvert(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Converts a TorchScript model to float16 (or bfloat16) and writes it as a new TorchScript "
        "file. With --weights, first loads a checkpoint's state dict into the model (the usual "
        "way a training checkpoint becomes a deployable model) and prints a report of matched, "
        "missing, unexpected and mis-shaped keys; an incomplete match is refused unless "
        "--allow-partial is given. The written file is read back and checked before the "
        "command reports success: its dtypes, and its output on a sample input, must match "
        "the converted model. The class names, preprocessing and conversion settings are "
        "stored in the file."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("TorchScript archive written by torch.jit.save."));
    const ConvertOptions names;
    names.addTo(parser);
    const ParseOutcome outcome = parseCommandLine(
        parser, arguments,
        QStringLiteral("convert MODEL [--weights CHECKPOINT] [--dtype fp16] [--freeze] [--optimize] -o OUT.pt"));
    if (outcome != ParseOutcome::Proceed)
        return outcome == ParseOutcome::HelpShown ? ExitSuccess : ExitUsage;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(names.output)) {
        printError(QStringLiteral("convert needs one MODEL and an output file (-o OUT.pt). Run "
                                  "\"halfscope-cli convert --help\" for the usage."));
        return ExitUsage;
    }
    const std::optional<Precision> precision = parsePrecision(parser.value(names.dtype));
    if (!precision) {
        printError(QStringLiteral("invalid value \"%1\" for --dtype: use fp16, bf16 or fp32.")
                       .arg(parser.value(names.dtype)));
        return ExitUsage;
    }
    const std::optional<WeightLoadOptions> weightOptions = readWeightOptions(parser, names);
    if (!weightOptions)
        return ExitUsage;

    QTextStream out(stdout);
    try {
        Model model = Model::load(parser.positionalArguments().first());
        if (parser.isSet(names.weights)) {
            const Checkpoint checkpoint = Checkpoint::open(parser.value(names.weights));
            // On an incomplete match the error carries the report.
            WeightLoadReport report;
            model = loadWeights(model, checkpoint, *weightOptions, parser.isSet(names.allowPartial), &report);
            out << report.describe() << '\n';
        }
        const Model converted = model.convertedTo(*precision);
        ExportOptions exportOptions;
        exportOptions.freeze = parser.isSet(names.freeze);
        exportOptions.optimizeForInference = parser.isSet(names.optimize);
        const ExportReport report = exportModel(converted, parser.value(names.output), exportOptions);
        printReport(out, report, converted);
    } catch (const Error &error) {
        printError(error.message());
        return ExitFailure;
    }
    return ExitSuccess;
}

} // namespace halfscope::cli
