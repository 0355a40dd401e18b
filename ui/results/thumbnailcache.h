// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>

class QThreadPool;

namespace halfscope {

/// Thumbnails of image files, decoded on worker threads and kept in memory.
///
/// thumbnail() returns at once: the cached image, or a null image after
/// queuing the file for decoding, once per file. thumbnailReady() announces
/// each finished one. Files that cannot be decoded are remembered and not
/// tried again.
class ThumbnailCache : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThumbnailCache)

public:
    /// side is the largest width or height of a thumbnail, in pixels.
    explicit ThumbnailCache(int side, QObject *parent = nullptr);
    ~ThumbnailCache() override;

    int side() const { return m_side; }
    QImage thumbnail(const QString &path);
    bool hasFailed(const QString &path) const { return m_failed.contains(path); }
    /// Returns how many files were queued for decoding since construction.
    int requestCount() const { return m_requestCount; }
    /// Returns the worker pool, shared with other image previews.
    QThreadPool *pool() const { return m_pool; }

Q_SIGNALS:
    void thumbnailReady(const QString &path);

private:
    void store(const QString &path, const QImage &image);

    int m_side;
    QThreadPool *m_pool;
    QCache<QString, QImage> m_cache;
    QSet<QString> m_pending;
    QSet<QString> m_failed;
    int m_requestCount = 0;
};

} // namespace halfscope
