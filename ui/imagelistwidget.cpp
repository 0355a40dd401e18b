// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagelistwidget.h"

#include "common/error.h"
#include "imaging/imagefiles.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QHash>
#include <QMimeData>
#include <QPainter>
#include <QSet>

namespace halfscope {

bool isModelFileName(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    return suffix == QLatin1String("pt") || suffix == QLatin1String("pth")
        || suffix == QLatin1String("ts") || suffix == QLatin1String("torchscript")
        || suffix == QLatin1String("ckpt") || suffix == QLatin1String("safetensors");
}

/// Returns the last count components of an absolute path joined by '/', or
/// the whole path when it has fewer.
QString trailingComponents(const QString &path, int count)
{
    const QStringList parts = QDir::fromNativeSeparators(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (count >= parts.size())
        return QDir::toNativeSeparators(path);
    return parts.mid(parts.size() - count).join(QLatin1Char('/'));
}

QStringList localPathsOf(const QMimeData *mimeData)
{
    QStringList paths;
    if (!mimeData || !mimeData->hasUrls())
        return paths;
    for (const QUrl &url : mimeData->urls()) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    return paths;
}

ImageListWidget::ImageListWidget(QWidget *parent)
    : QListWidget(parent)
{
    setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DropOnly);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformItemSizes(true);
}

QStringList ImageListWidget::addPaths(const QStringList &paths)
{
    QSet<QString> present;
    for (const QString &path : imagePaths())
        present.insert(QFileInfo(path).absoluteFilePath());

    QStringList missing;
    for (const QString &path : paths) {
        QStringList files;
        try {
            files = collectImageFiles({ path });
        } catch (const Error &) {
            missing << path;
            continue;
        }
        for (const QString &file : files) {
            const QString absolute = QFileInfo(file).absoluteFilePath();
            if (present.contains(absolute))
                continue;
            present.insert(absolute);
            auto *item = new QListWidgetItem(QFileInfo(file).fileName(), this);
            item->setData(Qt::UserRole, absolute);
            item->setToolTip(absolute);
        }
    }
    updateDisplayNames();
    Q_EMIT imagesChanged();
    return missing;
}

void ImageListWidget::updateDisplayNames()
{
    QHash<QString, QList<QListWidgetItem *>> itemsByName;
    for (int row = 0; row < count(); ++row)
        itemsByName[QFileInfo(item(row)->data(Qt::UserRole).toString()).fileName()] << item(row);

    for (const QList<QListWidgetItem *> &items : std::as_const(itemsByName)) {
        // Paths are unique, so some number of trailing components distinguishes them.
        int components = 1;
        QSet<QString> names;
        while (names.size() < items.size()) {
            names.clear();
            for (const QListWidgetItem *listed : items)
                names.insert(trailingComponents(listed->data(Qt::UserRole).toString(), components));
            ++components;
        }
        for (QListWidgetItem *listed : items)
            listed->setText(trailingComponents(listed->data(Qt::UserRole).toString(), components - 1));
    }
}

QStringList ImageListWidget::imagePaths() const
{
    QStringList paths;
    for (int row = 0; row < count(); ++row)
        paths << item(row)->data(Qt::UserRole).toString();
    return paths;
}

void ImageListWidget::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void ImageListWidget::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void ImageListWidget::dropEvent(QDropEvent *event)
{
    QStringList models;
    QStringList images;
    for (const QString &path : localPathsOf(event->mimeData()))
        (isModelFileName(path) ? models : images) << path;
    if (!images.isEmpty())
        addPaths(images);
    if (!models.isEmpty())
        Q_EMIT modelFilesDropped(models);
    event->acceptProposedAction();
}

void ImageListWidget::paintEvent(QPaintEvent *event)
{
    QListWidget::paintEvent(event);
    if (count() > 0)
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect().adjusted(12, 12, -12, -12),
                     Qt::AlignCenter | Qt::TextWordWrap,
                     tr("Drop image files or folders here\n(PNG, JPEG, TIFF, BMP, WebP, PNM)"));
}

} // namespace halfscope
