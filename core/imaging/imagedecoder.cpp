// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/imagedecoder.h"

#include "common/error.h"
#include "common/logging.h"

#include <QFile>

#include <algorithm>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace halfscope {

namespace {

/// Returns true for JPEG data whose end-of-image marker (FF D9) is missing.
/// libjpeg decodes such a file anyway, filling the lost rows with grey, and
/// only prints a warning, so the check happens here. Trailing bytes after
/// the marker (some cameras append data) are allowed within the last 4 KiB.
bool isTruncatedJpeg(const QByteArray &encoded)
{
    if (!encoded.startsWith("\xff\xd8\xff"))
        return false;
    const qsizetype searchFrom = std::max<qsizetype>(2, encoded.size() - 4096);
    return encoded.lastIndexOf("\xff\xd9") < searchFrom;
}

} // namespace

cv::Mat decodeImage(const QByteArray &encoded, const QString &source)
{
    if (encoded.isEmpty())
        throw Error(QStringLiteral("Cannot decode %1: the file is empty.").arg(source));
    if (isTruncatedJpeg(encoded)) {
        throw Error(QStringLiteral("Cannot use %1: the JPEG data is truncated (its end-of-image "
                                   "marker is missing), so part of the picture is lost. Copy the "
                                   "file again from its source.")
                        .arg(source));
    }

    const cv::Mat buffer(1, int(encoded.size()), CV_8UC1,
                         const_cast<char *>(encoded.constData()));
    cv::Mat bgr;
    try {
        bgr = cv::imdecode(buffer, cv::IMREAD_COLOR);
    } catch (const cv::Exception &error) {
        throw Error(QStringLiteral("Cannot decode %1: %2.").arg(source, firstLineOf(error.what())),
                    QString::fromUtf8(error.what()));
    }
    if (bgr.empty()) {
        throw Error(QStringLiteral("Cannot decode %1: it is not an image OpenCV can read "
                                   "(PNG, JPEG, TIFF, BMP, WebP, PNM), or it is damaged.")
                        .arg(source));
    }
    if (qint64(bgr.cols) * bgr.rows > kMaxImagePixels) {
        throw Error(QStringLiteral("Cannot use %1: %2x%3 pixels is more than the limit of %4 "
                                   "million pixels. Downscale the image first.")
                        .arg(source)
                        .arg(bgr.cols)
                        .arg(bgr.rows)
                        .arg(kMaxImagePixels / 1000000));
    }

    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

cv::Mat decodeImageFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot read the image %1: %2.").arg(path, file.errorString()));
    }
    if (file.size() > kMaxImageFileBytes) {
        throw Error(QStringLiteral("Cannot use %1: the file is %2 MiB, more than the limit of "
                                   "%3 MiB for one image.")
                        .arg(path)
                        .arg(file.size() / (1024 * 1024))
                        .arg(kMaxImageFileBytes / (1024 * 1024)));
    }
    const QByteArray encoded = file.readAll();
    if (encoded.size() != file.size()) {
        throw Error(QStringLiteral("Cannot read the image %1: %2.").arg(path, file.errorString()));
    }
    qCDebug(lcImaging) << "decoding" << path << encoded.size() << "bytes";
    return decodeImage(encoded, path);
}

} // namespace halfscope
