// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/thumbnailcache.h"

#include "common/error.h"
#include "common/logging.h"
#include "imaging/imagepreview.h"

#include <QThreadPool>
#include <QtConcurrent>

namespace halfscope {

namespace {

// Cache cost is in KiB. 256 MiB fits roughly 5,000 thumbnails of 128 pixels.
constexpr int kCacheKib = 256 * 1024;

QImage toImage(const RgbPixels &pixels)
{
    const QImage view(reinterpret_cast<const uchar *>(pixels.data.constData()), pixels.width,
                      pixels.height, pixels.width * 3, QImage::Format_RGB888);
    return view.copy();
}

} // namespace

ThumbnailCache::ThumbnailCache(int side, QObject *parent)
    : QObject(parent)
    , m_side(side)
    , m_pool(new QThreadPool(this))
    , m_cache(kCacheKib)
{
    m_pool->setMaxThreadCount(2);
}

ThumbnailCache::~ThumbnailCache()
{
    m_pool->clear();
    m_pool->waitForDone();
}

QImage ThumbnailCache::thumbnail(const QString &path)
{
    if (const QImage *cached = m_cache.object(path))
        return *cached;
    if (m_pending.contains(path) || m_failed.contains(path))
        return QImage();

    m_pending.insert(path);
    ++m_requestCount;
    const int side = m_side;
    // The destructor waits for the pool, so the cache outlives every task, and
    // a queued call whose context object is gone is dropped.
    m_pool->start([this, path, side] {
        QImage image;
        try {
            image = toImage(readThumbnail(path, side));
        } catch (const Error &error) {
            qCDebug(lcUi) << "No thumbnail for" << path << ":" << error.message();
        }
        QMetaObject::invokeMethod(
            this, [this, path, image] { store(path, image); }, Qt::QueuedConnection);
    });
    return QImage();
}

void ThumbnailCache::store(const QString &path, const QImage &image)
{
    m_pending.remove(path);
    if (image.isNull())
        m_failed.insert(path);
    else
        m_cache.insert(path, new QImage(image), int(image.sizeInBytes() / 1024) + 1);
    Q_EMIT thumbnailReady(path);
}

} // namespace halfscope
