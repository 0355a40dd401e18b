// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/resultplots.h"

#include "common/error.h"
#include "plots/drifthistogramplot.h"
#include "plots/imagedriftplot.h"
#include "plots/latencydistributionplot.h"
#include "plots/probabilityscatterplot.h"
#include "plots/speedupplot.h"
#include "plots/viewdriftplot.h"

#include <QCoreApplication>
#include <QDir>

#include <memory>

namespace halfscope {

const std::vector<ResultPlotKind> &resultPlotKinds()
{
    static const std::vector<ResultPlotKind> kinds {
        { QT_TRANSLATE_NOOP("ResultPlots", "Drift histogram"), QStringLiteral("driftPlot"), [] { return new DriftHistogramPlot; } },
        { QT_TRANSLATE_NOOP("ResultPlots", "Scatter"), QStringLiteral("scatterPlot"), [] { return new ProbabilityScatterPlot; } },
        { QT_TRANSLATE_NOOP("ResultPlots", "Per image drift"), QStringLiteral("imageDriftPlot"), [] { return new ImageDriftPlot; } },
        { QT_TRANSLATE_NOOP("ResultPlots", "Per view drift"), QStringLiteral("viewDriftPlot"), [] { return new ViewDriftPlot; } },
        { QT_TRANSLATE_NOOP("ResultPlots", "Latency"), QStringLiteral("latencyPlot"), [] { return new LatencyDistributionPlot; } },
        { QT_TRANSLATE_NOOP("ResultPlots", "Speed-up"), QStringLiteral("speedupPlot"), [] { return new SpeedupPlot; } },
    };
    return kinds;
}

ResultPlotFiles writeResultPlots(const ComparisonResult &result, const QString &folder,
                                 const QList<PlotFormat> &formats, const PlotExportSettings &size)
{
    ResultPlotFiles files;
    const QDir directory(folder);
    for (const ResultPlotKind &kind : resultPlotKinds()) {
        const std::unique_ptr<ResultPlot> plot(kind.create());
        plot->resize(size.width, size.height);
        plot->setResult(result);
        for (PlotFormat format : formats) {
            PlotExportSettings settings = size;
            settings.format = format;
            const QString path
                = directory.filePath(plot->fileBaseName() + QLatin1Char('.') + plotFormatSuffix(format));
            try {
                plot->exportTo(path, settings);
                files.writtenPaths << path;
            } catch (const Error &error) {
                files.errors << error.message();
            }
        }
    }
    return files;
}

} // namespace halfscope
