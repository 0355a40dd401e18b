// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/imagedetailspanel.h"

#include "common/error.h"
#include "imaging/imagepreview.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QTextBrowser>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

constexpr int kInputSide = 150;

QString number(float value, int decimals = 4)
{
    return std::isnan(value) ? QStringLiteral("NaN") : QString::number(double(value), 'f', decimals);
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

ImageDetailsPanel::ImageDetailsPanel(QThreadPool *pool, QWidget *parent)
    : QWidget(parent)
    , m_pool(pool)
    , m_inputLabel(new QLabel)
    , m_inputCaption(new QLabel)
    , m_details(new QTextBrowser)
    , m_inputWatcher(new QFutureWatcher<InputPreview>(this))
{
    setObjectName(QStringLiteral("imageDetailsPanel"));
    m_inputLabel->setObjectName(QStringLiteral("modelInputLabel"));
    m_inputLabel->setAlignment(Qt::AlignCenter);
    m_inputLabel->setFixedSize(kInputSide, kInputSide);
    m_inputLabel->setWordWrap(true);
    m_inputCaption->setWordWrap(true);
    m_inputCaption->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_details->setObjectName(QStringLiteral("imageDetailsText"));
    m_details->setOpenLinks(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_inputLabel);
    inputRow->addWidget(m_inputCaption, 1);
    layout->addLayout(inputRow);
    layout->addWidget(m_details, 1);

    connect(m_inputWatcher, &QFutureWatcher<InputPreview>::finished, this,
            &ImageDetailsPanel::onInputDecoded);
    clear();
}

ImageDetailsPanel::~ImageDetailsPanel()
{
    m_inputWatcher->waitForFinished();
}

void ImageDetailsPanel::clear()
{
    m_inputPath.clear();
    m_input = QImage();
    m_inputLabel->clear();
    m_inputLabel->setVisible(false);
    m_inputCaption->clear();
    m_inputCaption->setVisible(false);
    m_details->setHtml(tr("<p>Select an image to see its top-5 classes, its drift and the "
                          "input the model received.</p>"));
}

QString ImageDetailsPanel::detailsText() const
{
    return m_details->toPlainText();
}

void ImageDetailsPanel::showImage(const ComparisonResult &result, int imageIndex)
{
    if (imageIndex < 0 || imageIndex >= int(result.images.size())) {
        clear();
        return;
    }
    const ImageComparison &image = result.images[size_t(imageIndex)];
    m_details->setHtml(detailsHtml(result, image));
    m_inputLabel->setVisible(true);
    m_inputCaption->setVisible(true);

    const PreprocessPreset preset = result.options.preset;
    m_inputCaption->setText(tr("Model input: %1%2")
                                .arg(preset.describe(),
                                     result.options.tta.viewCount() > 1
                                         ? tr("; before TTA's %1 views")
                                               .arg(result.options.tta.viewCount())
                                         : QString()));
    if (image.path == m_inputPath)
        return;
    m_inputPath = image.path;
    m_input = QImage();
    m_inputLabel->setText(tr("Decoding…"));
    const QString path = image.path;
    m_inputWatcher->setFuture(QtConcurrent::run(m_pool, [path, preset] {
        InputPreview preview;
        try {
            preview.pixels = readPreprocessedPixels(path, preset);
        } catch (const Error &error) {
            preview.error = error.message();
        }
        return preview;
    }));
}

void ImageDetailsPanel::onInputDecoded()
{
    const InputPreview preview = m_inputWatcher->result();
    if (preview.error.isEmpty()) {
        const RgbPixels &pixels = preview.pixels;
        m_input = QImage(reinterpret_cast<const uchar *>(pixels.data.constData()), pixels.width,
                         pixels.height, pixels.width * 3, QImage::Format_RGB888)
                      .copy();
        const QSize shownSize = m_input.size().scaled(kInputSide, kInputSide, Qt::KeepAspectRatio);
        m_inputLabel->setPixmap(QPixmap::fromImage(
            m_input.scaled(shownSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        m_inputLabel->setToolTip(tr("%1 x %2 pixels").arg(m_input.width()).arg(m_input.height()));
    } else {
        m_inputLabel->setText(tr("No preview: %1").arg(preview.error));
    }
    Q_EMIT inputImageChanged();
}

QString ImageDetailsPanel::detailsHtml(const ComparisonResult &result,
                                       const ImageComparison &image) const
{
    QString html = QStringLiteral("<h3>%1</h3><p style='color:gray'>%2</p>")
                       .arg(escaped(QFileInfo(image.path).fileName()), escaped(image.path));
    if (!image.ok())
        return html + tr("<p style='color:#c62828'><b>Failed:</b> %1</p>").arg(escaped(image.error));
    if (!image.compared())
        return html + tr("<p>Not compared: the run was cancelled before this image.</p>");

    const QString converted = precisionLabel(result.precision);
    if (image.nonFinite) {
        html += tr("<p style='color:#e65100'><b>Non-finite outputs:</b> a model produced NaN or "
                   "infinite logits, so the drift is undefined.</p>");
    }
    html += tr("<p><b>Top-1 %1.</b> Max |Δ logit| %2, max |Δ probability| %3.</p>")
                .arg(image.top1Agrees ? tr("agrees") : tr("differs"),
                     number(image.maxLogitDelta), number(image.maxProbabilityDelta));

    html += QStringLiteral("<table cellspacing='0' cellpadding='3' border='1'>"
                           "<tr><th>#</th><th>FP32</th><th>p</th><th>%1</th><th>p</th></tr>")
                .arg(converted);
    const size_t rows = std::max(image.reference.classes.size(), image.converted.classes.size());
    for (size_t rank = 0; rank < rows; ++rank) {
        auto cells = [&](const Prediction &prediction) {
            if (rank >= prediction.classes.size())
                return QStringLiteral("<td></td><td></td>");
            const bool target = prediction.classes[rank] == image.targetClass;
            return QStringLiteral("<td>%1%2%3</td><td align='right'>%4</td>")
                .arg(target ? QStringLiteral("<b>") : QString(),
                     escaped(result.className(prediction.classes[rank])),
                     target ? QStringLiteral("</b>") : QString(),
                     number(prediction.probabilities[rank]));
        };
        html += QStringLiteral("<tr><td>%1</td>%2%3</tr>")
                    .arg(rank + 1)
                    .arg(cells(image.reference), cells(image.converted));
    }
    html += QStringLiteral("</table>");

    if (image.targetClass >= 0) {
        html += tr("<p><b>Ground truth:</b> %1. Probability FP32 %2 (rank %3), %4 %5 (rank %6).</p>")
                    .arg(escaped(result.className(image.targetClass)),
                         number(image.referenceTarget.probability))
                    .arg(image.referenceTarget.rank + 1)
                    .arg(converted, number(image.convertedTarget.probability))
                    .arg(image.convertedTarget.rank + 1);
    }

    const auto &views = result.options.tta.views;
    if (views.size() > 1 && image.viewProbabilityDeltas.size() == views.size()) {
        html += tr("<p><b>Drift per TTA view</b> (max |Δ probability| before merging):</p>"
                   "<table cellspacing='0' cellpadding='3' border='1'>");
        for (size_t view = 0; view < views.size(); ++view) {
            html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td></tr>")
                        .arg(escaped(views[view].name()), number(image.viewProbabilityDeltas[view]));
        }
        html += QStringLiteral("</table>");
    }
    return html;
}

} // namespace halfscope
