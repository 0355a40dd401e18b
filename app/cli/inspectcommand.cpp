// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"
#include "cli/parsing.h"
#include "cli/texttable.h"

#include "common/error.h"
#include "model/model.h"

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

} // namespace

int runInspect(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lists a TorchScript model's parameters and buffers (name, kind, shape, "
                       "dtype, element count, bytes) and sums them per dtype."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("TorchScript archive written by torch.jit.save."));
    const ParseOutcome outcome = parseCommandLine(parser, arguments, QStringLiteral("inspect MODEL"));
    if (outcome != ParseOutcome::Proceed)
        return outcome == ParseOutcome::HelpShown ? ExitSuccess : ExitUsage;
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("inspect needs exactly one MODEL file. Run \"halfscope-cli "
                                  "inspect --help\" for the usage."));
        return ExitUsage;
    }

    try {
        const Model model = Model::load(parser.positionalArguments().first());
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
