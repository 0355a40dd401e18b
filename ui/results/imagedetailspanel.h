// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/imagepreview.h"
#include "run/comparison.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QTextBrowser;
class QThreadPool;

namespace halfscope {

/// Everything known about one compared image: top-5 classes in both
/// precisions, drift after merging and per TTA view, the ground-truth
/// scores, and the preprocessed input as the model saw it (decoded on a
/// worker thread).
class ImageDetailsPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageDetailsPanel)

public:
    /// pool runs the decoding of the preprocessed input; it is not owned.
    explicit ImageDetailsPanel(QThreadPool *pool, QWidget *parent = nullptr);
    ~ImageDetailsPanel() override;

    /// Shows image number imageIndex of result; a negative index clears the panel.
    void showImage(const ComparisonResult &result, int imageIndex);
    void clear();

    /// Returns the text shown, as plain text, for tests and copying.
    QString detailsText() const;
    /// Returns the preprocessed input shown, or a null image while it loads.
    QImage inputImage() const { return m_input; }

Q_SIGNALS:
    /// Emitted when the preprocessed input has been decoded (or failed to).
    void inputImageChanged();

private:
    /// Decoded model input, or why it could not be decoded.
    struct InputPreview
    {
        RgbPixels pixels;
        QString error;
    };

    QString detailsHtml(const ComparisonResult &result, const ImageComparison &image) const;
    void onInputDecoded();

    QThreadPool *m_pool;
    QLabel *m_inputLabel;
    QLabel *m_inputCaption;
    QTextBrowser *m_details;
    QFutureWatcher<InputPreview> *m_inputWatcher;
    QImage m_input;
    QString m_inputPath;
};

} // namespace halfscope
