// SPDX-License-Identifier: GPL-3.0-or-later
#include "graph/graphitems.h"

#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QLineF>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace halfscope {

namespace {

constexpr double kCornerRadius = 4.0;
constexpr double kArrowLength = 7.0;
constexpr double kArrowHalfWidth = 3.5;
constexpr double kMinimumScale = 0.02;
constexpr double kMaximumScale = 8.0;
constexpr int kClickSlop = 4;
constexpr double kMinimumLabelPixels = 6.5;
constexpr double kFitMargin = 10.0;

} // namespace

QColor dtypeColor(const QString &dtype)
{
    if (dtype == QLatin1String("float16"))
        return QColor(0xfd, 0xd4, 0x9e);
    if (dtype == QLatin1String("bfloat16"))
        return QColor(0xe4, 0xcc, 0xf2);
    if (dtype == QLatin1String("float32"))
        return QColor(0xcf, 0xe2, 0xf8);
    if (dtype == QLatin1String("float64"))
        return QColor(0xc8, 0xec, 0xd8);
    if (dtype == QLatin1String("mixed"))
        return QColor(0xf6, 0xe7, 0xa8);
    return QColor(0xee, 0xee, 0xee);
}

GraphNodeItem::GraphNodeItem(int visibleIndex, Kind kind, const QRectF &rect, const QString &title,
                             const QString &subtitle, const QString &dtype)
    : m_visibleIndex(visibleIndex)
    , m_kind(kind)
    , m_rect(rect)
    , m_title(title)
    , m_subtitle(subtitle)
    , m_fill(dtypeColor(dtype))
{
    setZValue(2);
    setToolTip(subtitle.isEmpty() ? title : title + QLatin1Char('\n') + subtitle);
}

void GraphNodeItem::setMatched(bool matched)
{
    m_matched = matched;
    update();
}

void GraphNodeItem::setSelectedBox(bool selected)
{
    m_selected = selected;
    update();
}

QRectF GraphNodeItem::boundingRect() const
{
    return m_rect.adjusted(-4, -4, 4, 4);
}

void GraphNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_matched) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xff, 0xe0, 0x00));
        painter->drawRoundedRect(m_rect.adjusted(-4, -4, 4, 4), kCornerRadius + 3, kCornerRadius + 3);
    }

    QPen pen(m_selected ? QColor(0xc0, 0x20, 0x20) : QColor(0x50, 0x50, 0x50));
    pen.setWidthF(m_selected ? 2.5 : (m_kind == Kind::CollapsedModule ? 1.6 : 1.0));
    painter->setPen(pen);
    painter->setBrush(m_fill);
    const double radius = m_kind == Kind::Terminal ? m_rect.height() / 2 : kCornerRadius;
    painter->drawRoundedRect(m_rect, radius, radius);
    if (m_kind == Kind::CollapsedModule) {
        // A second inner border marks a box that stands for a whole module.
        QPen inner(QColor(0x50, 0x50, 0x50));
        inner.setWidthF(0.8);
        painter->setPen(inner);
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(m_rect.adjusted(3, 3, -3, -3), kCornerRadius - 1, kCornerRadius - 1);
    }

    QFont titleFont = painter->font();
    titleFont.setBold(m_kind != Kind::Operator);
    painter->setFont(titleFont);
    painter->setPen(Qt::black);
    const QFontMetricsF metrics(titleFont);
    const double lineHeight = metrics.height();
    if (m_subtitle.isEmpty()) {
        painter->drawText(m_rect, Qt::AlignCenter, m_title);
        return;
    }
    const double top = m_rect.center().y() - lineHeight;
    painter->drawText(QRectF(m_rect.left(), top, m_rect.width(), lineHeight), Qt::AlignCenter, m_title);
    QFont subtitleFont = painter->font();
    subtitleFont.setBold(false);
    subtitleFont.setPointSizeF(subtitleFont.pointSizeF() * 0.85);
    painter->setFont(subtitleFont);
    painter->setPen(QColor(0x30, 0x30, 0x30));
    painter->drawText(QRectF(m_rect.left(), top + lineHeight, m_rect.width(), lineHeight),
                      Qt::AlignCenter, m_subtitle);
}

GraphClusterItem::GraphClusterItem(int clusterIndex, const QRectF &rect, const QString &label, int depth)
    : m_clusterIndex(clusterIndex)
    , m_rect(rect)
    , m_label(label)
    , m_depth(depth)
{
    setZValue(-10 + depth);
    setToolTip(QObject::tr("%1\nDouble-click the header or right-click to collapse.").arg(label));
}

void GraphClusterItem::setHighlighted(bool highlighted)
{
    m_highlighted = highlighted;
    update();
}

QRectF GraphClusterItem::boundingRect() const
{
    return m_rect.adjusted(-2, -2, 2, 2);
}

void GraphClusterItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const int shade = std::max(0xe0, 0xf8 - 8 * m_depth);
    QPen pen(m_highlighted ? QColor(0xc0, 0x20, 0x20) : QColor(0x90, 0x90, 0xa0));
    pen.setWidthF(m_highlighted ? 2.5 : 1.0);
    pen.setStyle(m_highlighted ? Qt::SolidLine : Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(QColor(shade, shade, 0xfc));
    painter->drawRoundedRect(m_rect, 6, 6);

    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    painter->setFont(font);
    painter->setPen(QColor(0x30, 0x30, 0x50));
    const QFontMetricsF metrics(font);
    painter->drawText(QPointF(m_rect.left() + 5, m_rect.top() + 2 + metrics.ascent()), m_label);
}

GraphEdgeItem::GraphEdgeItem(const EdgeRoute &route)
{
    QPainterPath path(route.points.front());
    for (size_t i = 1; i + 2 < route.points.size(); i += 3)
        path.cubicTo(route.points[i], route.points[i + 1], route.points[i + 2]);
    const QPointF end = route.points.back();
    QPointF tip = route.arrowTip;
    QLineF direction(end, tip);
    if (direction.length() < 0.5) {
        // No separate arrow point: point the head along the last segment.
        direction = QLineF(route.points[route.points.size() - 2], end);
        tip = end;
    } else {
        path.lineTo(tip);
    }
    setPath(path);

    if (direction.length() > 0) {
        const QLineF unit = direction.unitVector();
        const QPointF along(unit.dx(), unit.dy());
        const QPointF across(-along.y(), along.x());
        const QPointF base = tip - along * kArrowLength;
        m_arrowHead << tip << base + across * kArrowHalfWidth << base - across * kArrowHalfWidth;
    }
    QPen pen(QColor(0x40, 0x40, 0x40));
    pen.setWidthF(1.0);
    setPen(pen);
    setZValue(1);
}

QRectF GraphEdgeItem::boundingRect() const
{
    return QGraphicsPathItem::boundingRect().united(m_arrowHead.boundingRect()).adjusted(-2, -2, 2, 2);
}

void GraphEdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    painter->setRenderHint(QPainter::Antialiasing);
    QGraphicsPathItem::paint(painter, option, widget);
    painter->setPen(Qt::NoPen);
    painter->setBrush(pen().color());
    painter->drawPolygon(m_arrowHead);
}

GraphView::GraphView(QWidget *parent)
    : QGraphicsView(parent)
{
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setRenderHint(QPainter::Antialiasing);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setBackgroundBrush(Qt::white);
}

void GraphView::zoomBy(double factor)
{
    const double current = transform().m11();
    const double target = std::clamp(current * factor, kMinimumScale, kMaximumScale);
    scale(target / current, target / current);
}

double GraphView::readableScale() const
{
    return std::min(1.0, kMinimumLabelPixels / QFontMetricsF(font()).ascent());
}

void GraphView::fitAll(const QRectF &focus)
{
    if (!scene() || scene()->itemsBoundingRect().isEmpty())
        return;
    const QRectF bounds = scene()->itemsBoundingRect().adjusted(-kFitMargin, -kFitMargin, kFitMargin, kFitMargin);
    fitInView(bounds, Qt::KeepAspectRatio);
    if (transform().m11() > 1.0)
        setTransform(QTransform());
    if (transform().m11() >= readableScale())
        return;

    // Too large to read when shown whole: show the focus at a readable scale.
    const double scale = readableScale();
    setTransform(QTransform::fromScale(scale, scale));
    const QRectF target = focus.isEmpty() ? QRectF(bounds.topLeft(), QSizeF(bounds.width(), 0)) : focus;
    const double visibleHeight = viewport()->height() / scale;
    centerOn(QPointF(target.center().x(), target.top() - kFitMargin + visibleHeight / 2));
}

void GraphView::showReadable(const QGraphicsItem *item)
{
    const double current = transform().m11();
    const double readable = readableScale();
    if (current < readable)
        scale(readable / current, readable / current);
    centerOn(item);
}

void GraphView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    zoomBy(std::pow(1.2, steps));
    event->accept();
}

void GraphView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8);
        return;
    case Qt::Key_0:
        Q_EMIT fitRequested();
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

QGraphicsItem *GraphView::graphItemAt(const QPoint &position) const
{
    for (QGraphicsItem *item : items(position)) {
        if (dynamic_cast<GraphNodeItem *>(item) || dynamic_cast<GraphClusterItem *>(item))
            return item;
    }
    return nullptr;
}

void GraphView::mousePressEvent(QMouseEvent *event)
{
    m_pressPosition = event->pos();
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent *event)
{
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton
        && (event->pos() - m_pressPosition).manhattanLength() <= kClickSlop) {
        Q_EMIT itemClicked(graphItemAt(event->pos()));
    }
}

void GraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (QGraphicsItem *item = graphItemAt(event->pos())) {
        Q_EMIT itemDoubleClicked(item);
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void GraphView::contextMenuEvent(QContextMenuEvent *event)
{
    Q_EMIT itemContextMenuRequested(graphItemAt(event->pos()), event->globalPos());
    event->accept();
}

} // namespace halfscope
