// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/resultplots.h"

#include "common/error.h"
#include "plots/drifthistogramplot.h"
#include "plots/imagedriftplot.h"
#include "plots/latencydistributionplot.h"
#include "plots/probabilityscatterplot.h"
#include "plots/speedupplot.h"
#include "plots/viewdriftplot.h"

#include <QDir>

#include <memory>

namespace halfscope {

const std::vector<ResultPlotKind> &resultPlotKinds()
{
    static const std::vector<ResultPlotKind> kinds {
        { QStringLiteral("Drift histogram"), QStringLiteral("driftPlot"), [] { return new DriftHistogramPlot; } },
        { QStringLiteral("Scatter"), QStringLiteral("scatterPlot"), [] { return new ProbabilityScatterPlot; } },
        { QStringLiteral("Per image drift"), QStringLiteral("imageDriftPlot"), [] { return new ImageDriftPlot; } },
        { QStringLiteral("Per view drift"), QStringLiteral("viewDriftPlot"), [] { return new ViewDriftPlot; } },
        { QStringLiteral("Latency"), QStringLiteral("latencyPlot"), [] { return new LatencyDistributionPlot; } },
        { QStringLiteral("Speed-up"), QStringLiteral("speedupPlot"), [] { return new SpeedupPlot; } },
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
