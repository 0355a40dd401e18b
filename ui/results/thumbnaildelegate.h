// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace halfscope {

/// Draws one image of a ResultsTableModel as a grid cell: the thumbnail, the
/// file name, both precisions' top-1 class and probability, and a mark for
/// agreement, disagreement, non-finite output or failure.
class ThumbnailDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThumbnailDelegate)

public:
    /// side is the thumbnail's largest width or height, in pixels.
    explicit ThumbnailDelegate(int side, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_side;
};

} // namespace halfscope
