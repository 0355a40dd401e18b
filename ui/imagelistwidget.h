// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QListWidget>
#include <QStringList>

namespace halfscope {

/// List of the images to compare; accepts dropped files and folders.
///
/// Items show the file name. Files of the same name in different folders
/// show as many trailing folders as it takes to distinguish them, and the
/// tooltip shows the full path.
class ImageListWidget : public QListWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImageListWidget)

public:
    explicit ImageListWidget(QWidget *parent = nullptr);

    /// Adds image files and the images inside folders, skipping duplicates.
    /// Returns the paths that do not exist, for the caller to report.
    QStringList addPaths(const QStringList &paths);
    QStringList imagePaths() const;

Q_SIGNALS:
    /// Emitted when model files are dropped here instead of images.
    void modelFilesDropped(const QStringList &paths);
    void imagesChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void updateDisplayNames();
};

/// Returns true for file names HalfScope opens as models or checkpoints
/// (.pt, .pth, .ts, .torchscript, .ckpt, .safetensors).
bool isModelFileName(const QString &fileName);

/// Returns the local file paths of a drop's URLs.
QStringList localPathsOf(const class QMimeData *mimeData);

} // namespace halfscope
