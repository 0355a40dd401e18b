// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "cli/parsing.h"
#include "cli/texttable.h"

#include "checkpoint/checkpointtree.h"
#include "checkpoint/filekind.h"
#include "common/error.h"
#include "inspect/inspectionjson.h"
#include "inspect/inspector.h"
#include "inspect/tensorstatistics.h"
#include "model/model.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTextStream>

#include <cstdio>

namespace halfscope::cli {

namespace {

void printTensorTable(QTextStream &out, const std::vector<TensorInfo> &tensors)
{
    const QLocale locale(QLocale::English);
    TextTable table;
    table.addColumn(QStringLiteral("Name"));
    table.addColumn(QStringLiteral("Kind"));
    table.addColumn(QStringLiteral("Shape"));
    table.addColumn(QStringLiteral("Dtype"));
    table.addColumn(QStringLiteral("Elements"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Bytes"), TextTable::Align::Right);
    for (const TensorInfo &tensor : tensors) {
        table.addRow({ tensor.name, tensor.kindText(), tensor.shapeText(), tensor.dtype,
                       locale.toString(qlonglong(tensor.elementCount)),
                       locale.toString(qlonglong(tensor.bytes)) });
    }
    table.print(out);
}

void printDtypeSummary(QTextStream &out, const std::vector<TensorInfo> &tensors)
{
    const QLocale locale(QLocale::English);
    TextTable table;
    table.addColumn(QStringLiteral("Dtype"));
    table.addColumn(QStringLiteral("Tensors"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Elements"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Size"), TextTable::Align::Right);
    int64_t elements = 0;
    int64_t bytes = 0;
    for (const DtypeTotal &total : summarizeDtypes(tensors)) {
        table.addRow({ total.dtype, QString::number(total.tensorCount),
                       locale.toString(qlonglong(total.elementCount)), formatBytes(total.bytes) });
        elements += total.elementCount;
        bytes += total.bytes;
    }
    table.addRow({ QStringLiteral("total"), QString::number(tensors.size()),
                   locale.toString(qlonglong(elements)), formatBytes(bytes) });
    table.print(out);
}

void printTreeNode(QTextStream &out, const CheckpointTreeNode &node, const QString &indent)
{
    QString line = indent + node.key;
    if (!node.type.isEmpty())
        line += QStringLiteral("  (") + node.type + (node.placeholder ? QStringLiteral(", not rebuilt") : QString()) + QLatin1Char(')');
    if (!node.value.isEmpty())
        line += QStringLiteral("  ") + node.value;
    if (node.dtype.isEmpty() && node.tensorCount > 0)
        line += QStringLiteral("  [%1 tensors, %2]").arg(node.tensorCount).arg(formatBytes(node.bytes));
    else if (!node.dtype.isEmpty())
        line += QStringLiteral("  %1").arg(formatBytes(node.bytes));
    out << line << '\n';
    for (const CheckpointTreeNode &child : node.children)
        printTreeNode(out, child, indent + QStringLiteral("  "));
}

int inspectCheckpoint(const QString &path)
{
    const Checkpoint checkpoint = Checkpoint::open(path);
    const CheckpointTreeNode tree = buildCheckpointTree(checkpoint);
    QTextStream out(stdout);
    out << "Checkpoint  " << checkpoint.path() << '\n'
        << "Format      " << checkpoint.formatName() << "\n\n";
    printTreeNode(out, tree, QString());

    out << "\nState dicts (dictionaries of tensors), largest first\n";
    TextTable candidates;
    candidates.addColumn(QStringLiteral("Key path"));
    candidates.addColumn(QStringLiteral("Tensors"), TextTable::Align::Right);
    candidates.addColumn(QStringLiteral("Size"), TextTable::Align::Right);
    for (const StateDictCandidate &candidate : checkpoint.stateDicts())
        candidates.addRow({ candidate.pathText(), QString::number(candidate.tensorCount), formatBytes(candidate.bytes) });
    candidates.print(out);

    out << "\nDtype summary\n";
    TextTable dtypes;
    dtypes.addColumn(QStringLiteral("Dtype"));
    dtypes.addColumn(QStringLiteral("Tensors"), TextTable::Align::Right);
    dtypes.addColumn(QStringLiteral("Size"), TextTable::Align::Right);
    for (const CheckpointDtypeTotal &total : summarizeCheckpointDtypes(tree))
        dtypes.addRow({ total.dtype, QString::number(total.tensorCount), formatBytes(total.bytes) });
    dtypes.print(out);
    return ExitSuccess;
}


/// Output choices of "inspect", set by its options.
struct InspectRequest
{
    QString path;
    bool json = false;
    bool treeOnly = false;
    bool code = false;
    QString method; ///< "forward" or "layer1.0.forward"; empty for every method of the root.
    QStringList statistics;
};

void addTreeRows(TextTable &table, const ModuleNode &node, const QString &indent, bool kindKnown)
{
    const QLocale locale(QLocale::English);
    const QString name = node.path.isEmpty() ? QStringLiteral("(root)") : node.name;
    QStringList cells { indent + name, node.shortTypeName() };
    if (kindKnown)
        cells << QString::number(node.subtree.parameters) << QString::number(node.subtree.buffers);
    else
        cells << QString::number(node.subtree.tensors);
    cells << locale.toString(qlonglong(node.subtree.elements)) << formatBytes(node.subtree.bytes)
          << describeDtypeMix(node.dtypes);
    table.addRow(cells);
    for (const ModuleNode &child : node.children)
        addTreeRows(table, child, indent + QStringLiteral("  "), kindKnown);
}

void printModuleTree(QTextStream &out, const Inspection &inspection)
{
    TextTable table;
    table.addColumn(QStringLiteral("Module"));
    table.addColumn(QStringLiteral("Type"));
    if (inspection.kindKnown()) {
        table.addColumn(QStringLiteral("Params"), TextTable::Align::Right);
        table.addColumn(QStringLiteral("Buffers"), TextTable::Align::Right);
    } else {
        table.addColumn(QStringLiteral("Tensors"), TextTable::Align::Right);
    }
    table.addColumn(QStringLiteral("Elements"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Size"), TextTable::Align::Right);
    table.addColumn(QStringLiteral("Dtypes (by bytes)"));
    addTreeRows(table, inspection.root, QString(), inspection.kindKnown());
    table.print(out);
}

/// Prints the code of one method ("forward", "layer1.0.forward"), or of
/// every method of the root module when spec is empty.
int printCode(QTextStream &out, const Inspection &inspection, const QString &spec)
{
    if (inspection.kind == Inspection::Kind::Checkpoint) {
        printError(QStringLiteral("%1 is a checkpoint, which holds no TorchScript code. Use --code "
                                  "with a TorchScript model.")
                       .arg(inspection.path));
        return ExitFailure;
    }
    const int dot = spec.lastIndexOf(QLatin1Char('.'));
    const QString modulePath = dot < 0 ? QString() : spec.left(dot);
    const QString name = dot < 0 ? spec : spec.mid(dot + 1);
    bool printed = false;
    for (const MethodInfo &method : inspection.methods) {
        if (!method.modulePaths.contains(modulePath) || (!name.isEmpty() && method.name != name))
            continue;
        out << "# " << (modulePath.isEmpty() ? QStringLiteral("(root)") : modulePath) << '.' << method.name
            << ": " << method.schema << '\n'
            << method.code << '\n';
        printed = true;
    }
    if (!printed) {
        QStringList names;
        for (const MethodInfo &method : inspection.methods) {
            if (method.modulePaths.contains(modulePath))
                names << method.name;
        }
        printError(QStringLiteral("%1 has no method \"%2\". Methods of %3: %4.")
                       .arg(inspection.path, spec,
                            modulePath.isEmpty() ? QStringLiteral("the root module") : modulePath,
                            names.isEmpty() ? QStringLiteral("none (check the module path)")
                                            : names.join(QLatin1String(", "))));
        return ExitFailure;
    }
    return ExitSuccess;
}

TensorStatistics statisticsFor(const Inspection &inspection, const QString &name)
{
    if (inspection.kind == Inspection::Kind::Checkpoint)
        return computeTensorStatistics(Checkpoint::open(inspection.path), inspection.stateDictPath, name);
    return computeTensorStatistics(Model::load(inspection.path), name);
}

void printStatistics(QTextStream &out, const TensorStatistics &statistics)
{
    const QLocale locale(QLocale::English);
    auto count = [&locale](int64_t value) { return locale.toString(qlonglong(value)); };
    out << "Statistics of " << statistics.name << " (" << statistics.dtype << ", "
        << count(statistics.elementCount) << " elements, computed in float64)\n";
    TextTable table;
    table.addColumn(QStringLiteral("Statistic"));
    table.addColumn(QStringLiteral("Value"), TextTable::Align::Right);
    table.addRow({ QStringLiteral("min"), QString::number(statistics.min, 'g', 8) });
    table.addRow({ QStringLiteral("max"), QString::number(statistics.max, 'g', 8) });
    table.addRow({ QStringLiteral("mean"), QString::number(statistics.mean, 'g', 8) });
    table.addRow({ QStringLiteral("std"), QString::number(statistics.std, 'g', 8) });
    table.addRow({ QStringLiteral("zeros"), count(statistics.zeroCount) });
    table.addRow({ QStringLiteral("NaN"), count(statistics.nanCount) });
    table.addRow({ QStringLiteral("inf"), count(statistics.infCount) });
    table.addRow({ QStringLiteral("inf in float16 (|x| >= 65520)"), count(statistics.fp16OverflowCount) });
    table.addRow({ QStringLiteral("subnormal in float16 (|x| < 2^-14)"), count(statistics.fp16SubnormalCount) });
    table.addRow({ QStringLiteral("zero in float16 (0 < |x| <= 2^-25)"), count(statistics.fp16UnderflowCount) });
    table.print(out);
}

int printJson(const Inspection &inspection, const QStringList &statisticsNames)
{
    QJsonObject document = inspectionToJson(inspection);
    if (!statisticsNames.isEmpty()) {
        QJsonArray statistics;
        for (const QString &name : statisticsNames)
            statistics.append(statisticsToJson(statisticsFor(inspection, name)));
        document.insert(QStringLiteral("statistics"), statistics);
    }
    QTextStream out(stdout);
    out << QJsonDocument(document).toJson(QJsonDocument::Indented);
    return ExitSuccess;
}

void printModelHeader(QTextStream &out, const Model &model)
{
    out << "Model       " << model.path() << '\n'
        << "Precision   " << precisionName(model.precision()) << '\n'
        << "Classes     "
        << (model.classNames().isEmpty()
                ? QStringLiteral("no class names stored in the archive")
                : QStringLiteral("%1 names stored in the archive").arg(model.classNames().size()))
        << '\n'
        << "Preprocess  "
        << (model.embeddedPreset() ? model.embeddedPreset()->name + QStringLiteral(": ")
                    + model.embeddedPreset()->describe()
                                   : QStringLiteral("none stored in the archive"))
        << "\n\n";
}

int inspectModel(const InspectRequest &request)
{
    const Model model = Model::load(request.path);
    const Inspection inspection = halfscope::inspectModel(model);
    QTextStream out(stdout);
    if (request.json)
        return printJson(inspection, request.statistics);
    if (request.code)
        return printCode(out, inspection, request.method);
    if (!request.statistics.isEmpty()) {
        for (const QString &name : request.statistics)
            printStatistics(out, computeTensorStatistics(model, name));
        return ExitSuccess;
    }
    if (request.treeOnly) {
        printModuleTree(out, inspection);
        return ExitSuccess;
    }

    printModelHeader(out, model);
    out << "Module tree\n";
    printModuleTree(out, inspection);
    out << "\nParameters and buffers\n";
    printTensorTable(out, inspection.tensors);
    out << "\nDtype summary\n";
    printDtypeSummary(out, inspection.tensors);
    return ExitSuccess;
}

int inspectCheckpointFile(const InspectRequest &request)
{
    if (!request.json && !request.treeOnly && !request.code && request.statistics.isEmpty())
        return inspectCheckpoint(request.path);
    const Inspection inspection = halfscope::inspectCheckpoint(Checkpoint::open(request.path));
    QTextStream out(stdout);
    if (request.json)
        return printJson(inspection, request.statistics);
    if (request.code)
        return printCode(out, inspection, request.method);
    for (const QString &name : request.statistics)
        printStatistics(out, statisticsFor(inspection, name));
    if (request.treeOnly) {
        out << "Tensors of the state dict at "
            << (inspection.stateDictPath.isEmpty() ? QStringLiteral("(root)") : inspection.stateDictPath.join(QLatin1Char('/')))
            << ", grouped by name prefix\n";
        printModuleTree(out, inspection);
    }
    return ExitSuccess;
}

/// Takes the METHOD after "--code" out of the arguments when it is given as
/// a separate word ("--code forward"): a word after --code that is not an
/// option and not an existing file is the method.
QStringList takeCodeMethod(QStringList arguments, QString &method)
{
    const int index = int(arguments.indexOf(QStringLiteral("--code")));
    if (index < 0 || index + 1 >= arguments.size())
        return arguments;
    const QString next = arguments.at(index + 1);
    if (next.startsWith(QLatin1Char('-')) || QFileInfo::exists(next))
        return arguments;
    method = next;
    arguments.removeAt(index + 1);
    return arguments;
}
} // namespace

int runInspect(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("For a TorchScript model: prints the module tree (type, parameter and buffer "
                       "counts, elements, bytes and dtype mix per subtree), lists its parameters and "
                       "buffers (name, kind, shape, dtype, element count, bytes) and sums them per "
                       "dtype. For a checkpoint (torch.save, zip or legacy format, or safetensors): "
                       "prints its nested structure, the dictionaries of tensors that could be state "
                       "dicts, and a dtype summary, without running any code from the file."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("TorchScript archive (torch.jit.save) or checkpoint file."));
    parser.addOption(QCommandLineOption(
        QStringLiteral("json"),
        QStringLiteral("Print everything as one JSON document (schema \"halfscope.inspect\", version 1, "
                       "described in docs/inspect-schema.md): summary, module tree, tensors, methods "
                       "with schema, code and graph, attributes. Checkpoints use the same schema with "
                       "kind \"checkpoint\".")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("tree"),
        QStringLiteral("Print only the module tree. For a checkpoint, the tree groups the tensors of "
                       "its largest state dict by the prefixes of their names.")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("code"),
        QStringLiteral("Print the TorchScript code of the root module's methods. Follow it with a "
                       "METHOD (\"--code forward\" or \"--code layer1.0.forward\") for one method of "
                       "one module.")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("stats"),
        QStringLiteral("Print value statistics of the tensor NAME (a dotted name from the table): "
                       "min, max, mean, std, zeros, NaN, inf, and how many values become inf, "
                       "subnormal or zero in float16. Repeat for more tensors; with --json they go "
                       "into \"statistics\"."),
        QStringLiteral("NAME")));

    InspectRequest request;
    const QStringList remaining = takeCodeMethod(arguments, request.method);
    const ParseOutcome outcome = parseCommandLine(
        parser, remaining, QStringLiteral("inspect MODEL [--json] [--tree] [--code [METHOD]] [--stats NAME]"));
    if (outcome != ParseOutcome::Proceed)
        return outcome == ParseOutcome::HelpShown ? ExitSuccess : ExitUsage;
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("inspect needs exactly one MODEL file. Run \"halfscope-cli "
                                  "inspect --help\" for the usage."));
        return ExitUsage;
    }
    request.path = parser.positionalArguments().first();
    request.json = parser.isSet(QStringLiteral("json"));
    request.treeOnly = parser.isSet(QStringLiteral("tree"));
    request.code = parser.isSet(QStringLiteral("code"));
    request.statistics = parser.values(QStringLiteral("stats"));

    try {
        if (QFileInfo(request.path).isFile() && detectWeightsFileKind(request.path) == WeightsFileKind::Checkpoint)
            return inspectCheckpointFile(request);
        return inspectModel(request);
    } catch (const Error &error) {
        printError(error.message());
        return ExitFailure;
    }
}

} // namespace halfscope::cli
