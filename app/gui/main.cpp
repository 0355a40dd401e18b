// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("HalfScope"));
    QApplication::setApplicationVersion(QStringLiteral(HALFSCOPE_VERSION));
    QApplication::setOrganizationName(QStringLiteral("HalfScope"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/halfscope/icons/halfscope.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Inspect a PyTorch TorchScript model, convert it to half precision and compare both "
        "precisions on real images."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOption(QStringLiteral("demo"),
                                        QStringLiteral("Open the Tiny Darknet demo model and photos."));
    parser.addOption(demoOption);
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("TorchScript model to open (optional)."),
                                 QStringLiteral("[MODEL]"));
    parser.process(app);

    halfscope::MainWindow window;
    window.show();
    if (parser.isSet(demoOption))
        window.openDemo();
    else if (!parser.positionalArguments().isEmpty())
        window.openModel(parser.positionalArguments().first());
    return app.exec();
}
