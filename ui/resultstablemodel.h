// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/comparison.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

namespace halfscope {

class ThumbnailCache;

/// Per-image comparison results, one row per image.
///
/// Failed images keep their row, with the error in the fp32 column and in
/// the tooltip. SortRole gives numbers for the drift columns. With a
/// ThumbnailCache, ThumbnailRole gives the image column's thumbnail.
class ResultsTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsTableModel)

public:
    enum Column {
        ImageColumn,
        ReferenceColumn,
        ConvertedColumn,
        AgreementColumn,
        LogitDeltaColumn,
        ProbabilityDeltaColumn,
        ColumnCount
    };
    /// Outcome of an image, for marks in views.
    enum class Status { Agrees, Disagrees, NonFinite, Failed, NotRun };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int StatusRole = Qt::UserRole + 2; ///< int(Status), any column.
    static constexpr int PathRole = Qt::UserRole + 3;   ///< Full path, any column.
    /// QImage thumbnail of the image column, or a null image until it is decoded.
    /// A role of its own, not DecorationRole, so that views measuring the
    /// table's text do not decode every image.
    static constexpr int ThumbnailRole = Qt::UserRole + 4;

    explicit ResultsTableModel(QObject *parent = nullptr);

    void setResult(ComparisonResult result);
    void clear();
    const ComparisonResult &result() const { return m_result; }
    /// Shows thumbnails from cache in the image column; the cache is not owned.
    void setThumbnailCache(ThumbnailCache *cache);
    static Status status(const ImageComparison &image);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const ImageComparison &image, int column, int role) const;
    QString displayName(const ImageComparison &image) const;
    void onThumbnailReady(const QString &path);

    ComparisonResult m_result;
    ThumbnailCache *m_thumbnails = nullptr;
    QHash<QString, QList<int>> m_rowsByPath;
    QSet<QString> m_repeatedNames; ///< File names that occur in more than one folder.
};

} // namespace halfscope
