// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultstablemodel.h"

#include "results/thumbnailcache.h"

#include <QBrush>
#include <QColor>
#include <QDir>
#include <QFileInfo>

namespace halfscope {

ResultsTableModel::ResultsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ResultsTableModel::setResult(ComparisonResult result)
{
    beginResetModel();
    m_result = std::move(result);
    m_rowsByPath.clear();
    m_repeatedNames.clear();
    QHash<QString, QString> folderByName;
    for (int row = 0; row < int(m_result.images.size()); ++row) {
        const QFileInfo info(m_result.images[size_t(row)].path);
        m_rowsByPath[info.filePath()].append(row);
        const auto known = folderByName.constFind(info.fileName());
        if (known == folderByName.constEnd())
            folderByName.insert(info.fileName(), info.path());
        else if (*known != info.path())
            m_repeatedNames.insert(info.fileName());
    }
    endResetModel();
}

void ResultsTableModel::setThumbnailCache(ThumbnailCache *cache)
{
    if (m_thumbnails)
        disconnect(m_thumbnails, nullptr, this, nullptr);
    m_thumbnails = cache;
    if (cache)
        connect(cache, &ThumbnailCache::thumbnailReady, this, &ResultsTableModel::onThumbnailReady);
}

void ResultsTableModel::onThumbnailReady(const QString &path)
{
    for (int row : m_rowsByPath.value(path)) {
        const QModelIndex cell = index(row, ImageColumn);
        Q_EMIT dataChanged(cell, cell, { ThumbnailRole });
    }
}

ResultsTableModel::Status ResultsTableModel::status(const ImageComparison &image)
{
    if (!image.ok())
        return Status::Failed;
    if (!image.compared())
        return Status::NotRun;
    if (image.nonFinite)
        return Status::NonFinite;
    return image.top1Agrees ? Status::Agrees : Status::Disagrees;
}

QString ResultsTableModel::displayName(const ImageComparison &image) const
{
    const QFileInfo info(image.path);
    if (!m_repeatedNames.contains(info.fileName()))
        return info.fileName();
    // Two folders contain a file of this name, so the parent folder distinguishes them.
    return info.dir().dirName() + QLatin1Char('/') + info.fileName();
}

void ResultsTableModel::clear()
{
    setResult(ComparisonResult());
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.images.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::displayData(const ImageComparison &image, int column, int role) const
{
    const bool sorting = role == SortRole;
    auto top1 = [this](const Prediction &prediction) {
        return QStringLiteral("%1 (%2)")
            .arg(m_result.className(prediction.top1()))
            .arg(prediction.top1Probability(), 0, 'f', 3);
    };

    if (column == ImageColumn)
        return displayName(image);
    if (!image.compared()) {
        if (column == ReferenceColumn)
            return image.ok() ? tr("not run (cancelled)") : tr("failed: %1").arg(image.error);
        return sorting ? QVariant(-1.0) : QVariant();
    }
    switch (column) {
    case ReferenceColumn:
        return top1(image.reference);
    case ConvertedColumn:
        return top1(image.converted);
    case AgreementColumn:
        return sorting ? QVariant(image.top1Agrees ? 1 : 0)
                       : QVariant(image.top1Agrees ? tr("yes") : tr("no"));
    case LogitDeltaColumn:
        return sorting ? QVariant(double(image.maxLogitDelta))
                       : QVariant(QString::number(image.maxLogitDelta, 'g', 3));
    case ProbabilityDeltaColumn:
        return sorting ? QVariant(double(image.maxProbabilityDelta))
                       : QVariant(QString::number(image.maxProbabilityDelta, 'g', 3));
    }
    return QVariant();
}

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const ImageComparison &image = m_result.images[size_t(index.row())];

    if (role == Qt::DisplayRole || role == SortRole)
        return displayData(image, index.column(), role);
    if (role == StatusRole)
        return int(status(image));
    if (role == PathRole)
        return image.path;
    if (role == ThumbnailRole && index.column() == ImageColumn && m_thumbnails)
        return m_thumbnails->thumbnail(QFileInfo(image.path).filePath());
    if (role == Qt::ToolTipRole)
        return image.ok() ? image.path : image.path + QLatin1Char('\n') + image.error;
    if (role == Qt::ForegroundRole && !image.ok())
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::ForegroundRole && index.column() == AgreementColumn && image.compared()
        && !image.top1Agrees)
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() >= LogitDeltaColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return QVariant();
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case ImageColumn:
        return tr("Image");
    case ReferenceColumn:
        return tr("FP32 top-1");
    case ConvertedColumn:
        return tr("%1 top-1").arg(precisionLabel(m_result.precision));
    case AgreementColumn:
        return tr("Agree");
    case LogitDeltaColumn:
        return tr("Max |Δ logit|");
    case ProbabilityDeltaColumn:
        return tr("Max |Δ prob|");
    }
    return QVariant();
}

} // namespace halfscope
