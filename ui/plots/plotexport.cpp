// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/plotexport.h"

#include "common/error.h"
#include "qcustomplotinclude.h"
#include "report/atomicfile.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace halfscope {

namespace {

constexpr int kMinSide = 16;
constexpr int kMaxSide = 20000;
constexpr double kMinScale = 0.1;
constexpr double kMaxScale = 10.0;

void checkSettings(const PlotExportSettings &settings)
{
    if (settings.width < kMinSide || settings.width > kMaxSide || settings.height < kMinSide
        || settings.height > kMaxSide) {
        throw Error(QStringLiteral("Invalid plot size %1 x %2: width and height must be %3 to %4.")
                        .arg(settings.width)
                        .arg(settings.height)
                        .arg(kMinSide)
                        .arg(kMaxSide));
    }
    if (!(settings.scale >= kMinScale && settings.scale <= kMaxScale)) {
        throw Error(QStringLiteral("Invalid plot scale %1: choose a scale from %2 to %3.")
                        .arg(settings.scale)
                        .arg(kMinScale)
                        .arg(kMaxScale));
    }
    const double scaledWidth = settings.width * settings.scale;
    const double scaledHeight = settings.height * settings.scale;
    if (scaledWidth > kMaxSide || scaledHeight > kMaxSide) {
        throw Error(QStringLiteral("Invalid plot size %1 x %2 at scale %3: the output would be "
                                   "larger than %4 on a side.")
                        .arg(settings.width)
                        .arg(settings.height)
                        .arg(settings.scale)
                        .arg(kMaxSide));
    }
}

QByteArray renderPng(QCustomPlot *plot, const PlotExportSettings &settings)
{
    // The same rendering as QCustomPlot::savePng, kept in memory so that the
    // file can be written atomically.
    const QImage image = plot->toPixmap(settings.width, settings.height, settings.scale).toImage();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG"))
        throw Error(QStringLiteral("Rendering the plot as PNG failed."));
    return bytes;
}

/// Draws plot on painter at the layout size of settings, scaled to the output.
void paintVector(QCustomPlot *plot, QCPPainter &painter, const PlotExportSettings &settings)
{
    painter.setMode(QCPPainter::pmVectorized);
    if (!qFuzzyCompare(settings.scale, 1.0)) {
        // Cosmetic pens keep their width under a scaled painter; non-cosmetic
        // ones scale with the layout, as in a PNG.
        painter.setMode(QCPPainter::pmNonCosmetic);
        painter.scale(settings.scale, settings.scale);
    }
    plot->toPainter(&painter, settings.width, settings.height);
}

QByteArray renderPdf(QCustomPlot *plot, const PlotExportSettings &settings, const QString &title)
{
    // QCustomPlot::savePdf writes to a file name only; QPdfWriter with the same
    // page set-up (full page, no margins, size in points) writes to memory.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(QStringLiteral("HalfScope"));
    writer.setTitle(title);
    writer.setResolution(72); // one device unit is one point
    const QSizeF pageSize(settings.width * settings.scale, settings.height * settings.scale);
    QPageLayout layout(QPageSize(pageSize, QPageSize::Point, QString(), QPageSize::ExactMatch),
                       QPageLayout::Portrait, QMarginsF(0, 0, 0, 0));
    layout.setMode(QPageLayout::FullPageMode);
    writer.setPageLayout(layout);
    QCPPainter painter;
    if (!painter.begin(&writer))
        throw Error(QStringLiteral("Rendering the plot as PDF failed."));
    paintVector(plot, painter, settings);
    painter.end();
    buffer.close();
    return bytes;
}

QByteArray renderSvg(QCustomPlot *plot, const PlotExportSettings &settings, const QString &title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    const QSize size(qRound(settings.width * settings.scale), qRound(settings.height * settings.scale));
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(72); // sizes are points
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("Plot exported by HalfScope"));
    QCPPainter painter;
    if (!painter.begin(&generator))
        throw Error(QStringLiteral("Rendering the plot as SVG failed."));
    paintVector(plot, painter, settings);
    painter.end();
    buffer.close();
    return bytes;
}

} // namespace

QString plotFormatSuffix(PlotFormat format)
{
    switch (format) {
    case PlotFormat::Png:
        return QStringLiteral("png");
    case PlotFormat::Pdf:
        return QStringLiteral("pdf");
    case PlotFormat::Svg:
        return QStringLiteral("svg");
    }
    return QString();
}

std::optional<PlotFormat> plotFormatForFileName(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    for (PlotFormat format : { PlotFormat::Png, PlotFormat::Pdf, PlotFormat::Svg }) {
        if (suffix == plotFormatSuffix(format))
            return format;
    }
    return std::nullopt;
}

QByteArray renderPlot(QCustomPlot *plot, const PlotExportSettings &settings, const QString &title)
{
    checkSettings(settings);
    QByteArray bytes;
    switch (settings.format) {
    case PlotFormat::Png:
        bytes = renderPng(plot, settings);
        break;
    case PlotFormat::Pdf:
        bytes = renderPdf(plot, settings, title);
        break;
    case PlotFormat::Svg:
        bytes = renderSvg(plot, settings, title);
        break;
    }
    // Rendering at another size moved the layout; lay out the widget again.
    plot->replot(QCustomPlot::rpQueuedReplot);
    return bytes;
}

void exportPlot(QCustomPlot *plot, const QString &path, const PlotExportSettings &settings)
{
    QByteArray bytes;
    try {
        bytes = renderPlot(plot, settings, QFileInfo(path).completeBaseName());
    } catch (const Error &error) {
        throw Error(QStringLiteral("Cannot export the plot to %1: %2").arg(path, error.message()));
    }
    writeFileAtomically(path, bytes);
}

} // namespace halfscope
