// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "graph/graphlayout.h"

#include <QColor>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QGraphicsView>

namespace halfscope {

/// Fill colour for boxes whose outputs have this dtype ("float16",
/// "float32", "mixed", ...); grey for unknown dtypes.
QColor dtypeColor(const QString &dtype);

/// A box of the visible graph: an operator, a graph input or output, or a
/// collapsed module (drawn with a double border and a "+" mark).
class GraphNodeItem : public QGraphicsItem
{
public:
    enum class Kind { Operator, Terminal, CollapsedModule };

    GraphNodeItem(int visibleIndex, Kind kind, const QRectF &rect, const QString &title,
                  const QString &subtitle, const QString &dtype);

    int visibleIndex() const { return m_visibleIndex; }
    Kind kind() const { return m_kind; }
    QString title() const { return m_title; }
    void setMatched(bool matched);
    void setSelectedBox(bool selected);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    int m_visibleIndex;
    Kind m_kind;
    QRectF m_rect;
    QString m_title;
    QString m_subtitle;
    QColor m_fill;
    bool m_matched = false;
    bool m_selected = false;
};

/// The frame around an expanded module's boxes, with the module path and
/// type in its header.
class GraphClusterItem : public QGraphicsItem
{
public:
    GraphClusterItem(int clusterIndex, const QRectF &rect, const QString &label, int depth);

    int clusterIndex() const { return m_clusterIndex; }
    void setHighlighted(bool highlighted);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    int m_clusterIndex;
    QRectF m_rect;
    QString m_label;
    int m_depth;
    bool m_highlighted = false;
};

/// An edge drawn along dot's spline, with an arrowhead at its tip.
class GraphEdgeItem : public QGraphicsPathItem
{
public:
    explicit GraphEdgeItem(const EdgeRoute &route);

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QPolygonF m_arrowHead;
};

/// QGraphicsView with wheel and keyboard zoom, drag to pan, and click and
/// double-click signals for graph items.
class GraphView : public QGraphicsView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphView)

public:
    explicit GraphView(QWidget *parent = nullptr);

    /// Scales the view by factor around the viewport centre, within 2 %..800 %.
    void zoomBy(double factor);
    /// Returns the smallest scale at which box labels stay readable: the
    /// ascent of the view's font is then at least 6.5 pixels.
    double readableScale() const;
    /// Shows the whole scene, at most at 100 % and at least at
    /// readableScale(). When the scene does not fit at that scale, shows
    /// focus (a scene rectangle) horizontally centred at the top of the
    /// view, or the top of the scene when focus is empty, and the rest is
    /// reached by scrolling.
    void fitAll(const QRectF &focus = QRectF());
    /// Zooms in to readableScale() when the view is zoomed out further, and
    /// centres item.
    void showReadable(const QGraphicsItem *item);

Q_SIGNALS:
    /// Emitted when the 0 key requests fitting the graph into the view.
    void fitRequested();
    void itemClicked(QGraphicsItem *item);
    void itemDoubleClicked(QGraphicsItem *item);
    void itemContextMenuRequested(QGraphicsItem *item, const QPoint &globalPosition);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    QGraphicsItem *graphItemAt(const QPoint &position) const;

    QPoint m_pressPosition;
};

} // namespace halfscope
