// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commands.h"

#include <QApplication>
#include <QTextStream>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

const char *const kUsage = R"(Usage: halfscope-cli COMMAND [OPTIONS] ...

Inspects PyTorch TorchScript models and compares them in float32 and half
precision on real images.

Commands:
  inspect FILE                  For a TorchScript model, list its parameters and
                                buffers with their dtypes; for a checkpoint
                                (torch.save or safetensors), show its structure
                                and state dicts. Never runs code from the file.
  compare MODEL IMAGES...       Convert the model to float16 (or bfloat16),
                                run images through both precisions and report
                                top-1 agreement, output drift and latency.
  convert MODEL -o OUT.pt       Write a float16 (or bfloat16) copy of the model,
                                optionally after loading a checkpoint's weights
                                into it (--weights CHECKPOINT); --freeze and
                                --optimize export a frozen, inference-optimized
                                model.
  bench MODEL                   Time the model's forward calls in float32 and
                                float16 (or bfloat16) on a fixed batch, with
                                memory use and an optional batch-size sweep.

Run "halfscope-cli COMMAND --help" for a command's options.
Logging: set QT_LOGGING_RULES, for example "halfscope.*.debug=true".
)";

/// Returns true when the command line requests plots, which QCustomPlot
/// renders only inside a QApplication.
bool rendersPlots(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--plots") == 0 || std::strncmp(argv[i], "--plots=", 8) == 0)
            return true;
    }
    return false;
}

std::unique_ptr<QCoreApplication> createApplication(int &argc, char *argv[])
{
    if (!rendersPlots(argc, argv))
        return std::make_unique<QCoreApplication>(argc, argv);
    // Plots go to files, so no display is needed unless the user picks a platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

int main(int argc, char *argv[])
{
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("halfscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HALFSCOPE_VERSION));

    const QStringList arguments = app->arguments().mid(1);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.isEmpty()) {
        err << "halfscope-cli: missing command.\n\n" << kUsage;
        return halfscope::cli::ExitUsage;
    }

    const QString command = arguments.first();
    if (command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        out << kUsage;
        return halfscope::cli::ExitSuccess;
    }
    if (command == QLatin1String("--version")) {
        out << "halfscope-cli " << HALFSCOPE_VERSION << '\n';
        return halfscope::cli::ExitSuccess;
    }
    if (command == QLatin1String("inspect"))
        return halfscope::cli::runInspect(arguments);
    if (command == QLatin1String("compare"))
        return halfscope::cli::runCompare(arguments);
    if (command == QLatin1String("convert"))
        return halfscope::cli::runConvert(arguments);
    if (command == QLatin1String("bench"))
        return halfscope::cli::runBench(arguments);

    err << "halfscope-cli: unknown command \"" << command
        << "\". Use \"inspect\", \"compare\", \"convert\" or \"bench\"; run \"halfscope-cli --help\" for details.\n";
    return halfscope::cli::ExitUsage;
}
