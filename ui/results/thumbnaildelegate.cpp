// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/thumbnaildelegate.h"

#include "resultstablemodel.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

namespace halfscope {

namespace {

constexpr int kMargin = 6;
constexpr int kTextLines = 3;

struct Mark
{
    QString text;
    QColor colour;
};

Mark markFor(ResultsTableModel::Status status)
{
    switch (status) {
    case ResultsTableModel::Status::Agrees:
        return { QStringLiteral("✓ agree"), QColor(0x1e, 0x7d, 0x32) };
    case ResultsTableModel::Status::Disagrees:
        return { QStringLiteral("✗ differ"), QColor(0xc6, 0x28, 0x28) };
    case ResultsTableModel::Status::NonFinite:
        return { QStringLiteral("NaN/inf"), QColor(0xe6, 0x51, 0x00) };
    case ResultsTableModel::Status::Failed:
        return { QStringLiteral("failed"), QColor(0xc6, 0x28, 0x28) };
    case ResultsTableModel::Status::NotRun:
        break;
    }
    return { QStringLiteral("not run"), QColor(0x75, 0x75, 0x75) };
}

} // namespace

ThumbnailDelegate::ThumbnailDelegate(int side, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_side(side)
{
}

QSize ThumbnailDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const int lineHeight = option.fontMetrics.height();
    return { m_side + 2 * kMargin + 16, m_side + 2 * kMargin + (kTextLines + 1) * lineHeight };
}

void ThumbnailDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    painter->save();
    const QRect cell = option.rect.adjusted(2, 2, -2, -2);
    const bool selected = option.state & QStyle::State_Selected;
    painter->fillRect(cell, selected ? option.palette.highlight() : option.palette.base());
    painter->setPen(option.palette.mid().color());
    painter->drawRect(cell.adjusted(0, 0, -1, -1));

    const auto status = ResultsTableModel::Status(index.data(ResultsTableModel::StatusRole).toInt());
    const Mark mark = markFor(status);
    const QRect imageArea(cell.left() + kMargin, cell.top() + kMargin, cell.width() - 2 * kMargin,
                          m_side);
    const QImage thumbnail = index.data(ResultsTableModel::ThumbnailRole).value<QImage>();
    if (!thumbnail.isNull()) {
        const QSize size = thumbnail.size().scaled(imageArea.size(), Qt::KeepAspectRatio);
        const QRect target(imageArea.center().x() - size.width() / 2 + 1,
                           imageArea.center().y() - size.height() / 2 + 1, size.width(),
                           size.height());
        painter->drawImage(target, thumbnail);
    } else {
        painter->fillRect(imageArea, option.palette.alternateBase());
    }

    // The mark sits on a badge over the image's top-right corner.
    const QFontMetrics metrics = option.fontMetrics;
    const QRect badge(imageArea.right() - metrics.horizontalAdvance(mark.text) - 8,
                      imageArea.top(), metrics.horizontalAdvance(mark.text) + 8,
                      metrics.height() + 2);
    painter->fillRect(badge, mark.colour);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, mark.text);

    const QColor textColour = selected ? option.palette.highlightedText().color()
                                       : option.palette.text().color();
    const int lineHeight = metrics.height();
    QRect line(cell.left() + kMargin, imageArea.bottom() + kMargin, imageArea.width(), lineHeight);
    auto drawLine = [&](const QString &text, const QColor &colour) {
        painter->setPen(colour);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(text, Qt::ElideMiddle, line.width()));
        line.translate(0, lineHeight);
    };

    const QAbstractItemModel *model = index.model();
    auto cellText = [&](int column) {
        return model->index(index.row(), column, index.parent()).data().toString();
    };
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    drawLine(cellText(ResultsTableModel::ImageColumn), textColour);
    painter->setFont(option.font);
    const QString referenceHeader
        = model->headerData(ResultsTableModel::ReferenceColumn, Qt::Horizontal).toString();
    const QString convertedHeader
        = model->headerData(ResultsTableModel::ConvertedColumn, Qt::Horizontal).toString();
    drawLine(referenceHeader.section(QLatin1Char(' '), 0, 0) + QStringLiteral(": ")
                 + cellText(ResultsTableModel::ReferenceColumn),
             textColour);
    if (status != ResultsTableModel::Status::Failed && status != ResultsTableModel::Status::NotRun) {
        drawLine(convertedHeader.section(QLatin1Char(' '), 0, 0) + QStringLiteral(": ")
                     + cellText(ResultsTableModel::ConvertedColumn),
                 status == ResultsTableModel::Status::Agrees ? textColour : mark.colour);
    }
    painter->restore();
}

} // namespace halfscope
