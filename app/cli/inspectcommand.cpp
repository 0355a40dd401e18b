// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "cli/parsing.h"
#include "cli/texttable.h"

#include "checkpoint/checkpointtree.h"
#include "checkpoint/filekind.h"
#include "common/error.h"
#include "model/model.h"

#include <QFileInfo>
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

} // namespace

int runInspect(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("For a TorchScript model: lists its parameters and buffers (name, kind, "
                       "shape, dtype, element count, bytes) and sums them per dtype. For a "
                       "checkpoint (torch.save, zip or legacy format, or safetensors): prints its "
                       "nested structure, the dictionaries of tensors that could be state dicts, "
                       "and a dtype summary, without running any code from the file."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("TorchScript archive (torch.jit.save) or checkpoint file."));
    const ParseOutcome outcome = parseCommandLine(parser, arguments, QStringLiteral("inspect MODEL"));
    if (outcome != ParseOutcome::Proceed)
        return outcome == ParseOutcome::HelpShown ? ExitSuccess : ExitUsage;
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("inspect needs exactly one MODEL file. Run \"halfscope-cli "
                                  "inspect --help\" for the usage."));
        return ExitUsage;
    }

    try {
        const QString path = parser.positionalArguments().first();
        if (QFileInfo(path).isFile() && detectWeightsFileKind(path) == WeightsFileKind::Checkpoint)
            return inspectCheckpoint(path);
        const Model model = Model::load(path);
        const std::vector<TensorInfo> tensors = model.tensors();
        QTextStream out(stdout);
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
        printTensorTable(out, tensors);
        out << "\nDtype summary\n";
        printDtypeSummary(out, tensors);
    } catch (const Error &error) {
        printError(error.message());
        return ExitFailure;
    }
    return ExitSuccess;
}

} // namespace halfscope::cli
