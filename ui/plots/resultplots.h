// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "plots/plotexport.h"
#include "plots/resultplot.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace halfscope {

/// One kind of plot that a comparison result fills.
struct ResultPlotKind
{
    /// Untranslated tab title in the window, such as "Drift histogram";
    /// translate it in the context "ResultPlots".
    const char *title = nullptr;
    QString objectName; ///< QObject name of the window's instance, such as "driftPlot".
    std::function<ResultPlot *()> create; ///< Returns a new, parentless plot.
};

/// Returns every result plot kind, in the order of the window's tabs.
const std::vector<ResultPlotKind> &resultPlotKinds();

/// Files written by writeResultPlots() and the plots that failed.
struct ResultPlotFiles
{
    QStringList writtenPaths;
    QStringList errors; ///< One sentence per file that could not be written.
};

/// Fills a new plot of every kind with result and writes each in every
/// format into folder, named after PlotWidget::fileBaseName() with the
/// format's suffix. Each file is written atomically; a failure leaves the
/// other files. Needs a QApplication, so the caller's thread must be the
/// GUI thread (the offscreen platform is enough).
ResultPlotFiles writeResultPlots(const ComparisonResult &result, const QString &folder,
                                 const QList<PlotFormat> &formats, const PlotExportSettings &size);

} // namespace halfscope
