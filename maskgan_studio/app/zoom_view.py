"""A graphics view that zooms (Ctrl+wheel, fit, 100 %) and pans (space-drag, middle button).

Two views show the same pixels (mask canvas, result); ``link_views`` keeps their zoom and
scroll position equal.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QTransform, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

MIN_ZOOM = 0.05
MAX_ZOOM = 32.0
WHEEL_STEP = 1.2


class ZoomView(QGraphicsView):
    view_changed = Signal()
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setBackgroundBrush(QColor("#1b1c20"))
        self.setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._panning_from: QPoint | None = None
        self._space_held = False
        self._fitted = True
        self.horizontalScrollBar().valueChanged.connect(self.view_changed)
        self.verticalScrollBar().valueChanged.connect(self.view_changed)

    # zoom ---------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, zoom: float, anchor: QPoint | None = None) -> None:
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        scene_point = self.mapToScene(anchor)
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, zoom < 1.0)
        delta = self.mapToScene(anchor) - scene_point
        self._scroll_scene_by(delta)
        self.zoom_changed.emit(zoom)
        self.view_changed.emit()

    def _scroll_scene_by(self, delta: QPointF) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() - round(delta.x() * self.zoom))
        v.setValue(v.value() - round(delta.y() * self.zoom))

    def zoom_in(self) -> None:
        self._fitted = False
        self.set_zoom(self.zoom * WHEEL_STEP)

    def zoom_out(self) -> None:
        self._fitted = False
        self.set_zoom(self.zoom / WHEEL_STEP)

    def actual_size(self) -> None:
        self._fitted = False
        self.set_zoom(1.0)

    def fit(self) -> None:
        self._fitted = True
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        margin = 16
        available = self.viewport().size()
        zoom = min((available.width() - margin) / rect.width(), (available.height() - margin) / rect.height())
        self.set_zoom(max(zoom, MIN_ZOOM))
        self.centerOn(rect.center())
        self.view_changed.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self._fitted = False
                self.set_zoom(self.zoom * WHEEL_STEP ** steps, event.position().toPoint())
            event.accept()
            return
        super().wheelEvent(event)

    # pan ----------------------------------------------------------------------------------
    def set_space_held(self, held: bool) -> None:
        """Space turns the pointer into a hand while held (the window tells every view)."""
        self._space_held = held
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if held else self.idle_cursor())

    def idle_cursor(self) -> Qt.CursorShape:
        return Qt.CursorShape.ArrowCursor

    def wants_pan(self, event: QMouseEvent) -> bool:
        return event.button() == Qt.MouseButton.MiddleButton or self._space_held

    def start_pan(self, event: QMouseEvent) -> None:
        self._panning_from = event.position().toPoint()
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.wants_pan(event):
            self.start_pan(event)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning_from is not None:
            position = event.position().toPoint()
            delta = position - self._panning_from
            self._panning_from = position
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() - delta.x())
            v.setValue(v.value() - delta.y())
            self._fitted = False
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning_from is not None:
            self._panning_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space_held else self.idle_cursor())
            return
        super().mouseReleaseEvent(event)

    @property
    def panning(self) -> bool:
        return self._panning_from is not None


def link_views(a: ZoomView, b: ZoomView) -> None:
    """Keep ``b`` showing what ``a`` shows and the other way round."""
    busy = [False]

    def follow(source: ZoomView, target: ZoomView) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            target._fitted = source._fitted
            if target.transform() != source.transform():
                target.setTransform(source.transform())
                target.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, source.zoom < 1.0)
                target.zoom_changed.emit(source.zoom)
            target.horizontalScrollBar().setValue(source.horizontalScrollBar().value())
            target.verticalScrollBar().setValue(source.verticalScrollBar().value())
        finally:
            busy[0] = False

    a.view_changed.connect(lambda: follow(a, b))
    b.view_changed.connect(lambda: follow(b, a))
