"""The mask canvas: the edited mask over the source photo, where the user paints."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsPixmapItem, QGraphicsScene, QWidget

from maskgan_studio.app.mask_layer import MaskLayer
from maskgan_studio.app.qt_images import rgb_to_pixmap
from maskgan_studio.app.tool_state import Tool, ToolState
from maskgan_studio.app.tools import ToolController
from maskgan_studio.app.zoom_view import ZoomView
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.geometry import Rect


class BrushOutline(QGraphicsEllipseItem):
    """A two-tone circle the size of the brush (visible on any colour), drawn above the mask."""

    def __init__(self):
        super().__init__()
        light = QPen(QColor(255, 255, 255, 230), 0)
        light.setCosmetic(True)
        self.setPen(light)
        self._dark = QGraphicsEllipseItem(self)
        dark = QPen(QColor(0, 0, 0, 200), 0, Qt.PenStyle.DashLine)
        dark.setCosmetic(True)
        self._dark.setPen(dark)
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def place(self, centre: QPointF, size: float) -> None:
        rect = QRectF(-size / 2, -size / 2, size, size)
        self.setRect(rect)
        self._dark.setRect(rect)
        self.setPos(centre)


class MaskCanvas(ZoomView):
    cursor_moved = Signal(int, int)   # mask pixel under the pointer, (-1, -1) when outside

    def __init__(self, document: MaskDocument, state: ToolState, tools: ToolController,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.state = state
        self.tools = tools
        self.setScene(QGraphicsScene(self))
        self.photo = QGraphicsPixmapItem()
        self.photo.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.mask_layer = MaskLayer(document)
        self.outline = BrushOutline()
        for item in (self.photo, self.mask_layer, self.outline):
            self.scene().addItem(item)
        self.outline.hide()
        document.events.source.connect(self._on_source)
        document.events.mask.connect(self._on_mask)
        document.events.settings.connect(self._on_settings)
        state.tool_changed.connect(self._on_tool)
        state.size_changed.connect(lambda _size: self._update_outline())
        self._last_scene_pos: QPointF | None = None
        self._on_source()
        self._on_settings({"mask_opacity", "show_photo", "highlight_changes"})
        self._on_tool(state.tool)

    # document -> view -----------------------------------------------------------------------
    def _on_source(self) -> None:
        height, width = self.document.shape
        self.photo.setPixmap(rgb_to_pixmap(self.document.source_image))
        self.mask_layer.reset()
        self.setSceneRect(QRectF(0, 0, width, height))
        self.fit()

    def _on_mask(self, rect: Rect) -> None:
        self.mask_layer.refresh(rect)

    def _on_settings(self, changed) -> None:
        settings = self.document.settings
        self.photo.setVisible(settings.show_photo)
        self.mask_layer.setOpacity(settings.mask_opacity if settings.show_photo else 1.0)
        self.mask_layer.set_highlight_changes(settings.highlight_changes)

    def _on_tool(self, tool: Tool) -> None:
        self.viewport().setCursor(self.idle_cursor())
        self._update_outline()

    def idle_cursor(self) -> Qt.CursorShape:
        tool = self.state.tool
        if tool is Tool.HAND:
            return Qt.CursorShape.OpenHandCursor
        if tool.uses_brush:
            return Qt.CursorShape.BlankCursor if self.zoom * self.state.size >= 6 else Qt.CursorShape.CrossCursor
        return Qt.CursorShape.CrossCursor if tool is Tool.FILL else Qt.CursorShape.PointingHandCursor

    def _update_outline(self) -> None:
        visible = self._last_scene_pos is not None and self.state.tool.uses_brush and not self.panning
        self.outline.setVisible(visible)
        if visible:
            self.outline.place(self._last_scene_pos, self.state.size)
        if not self.panning and not self._space_held:
            self.viewport().setCursor(self.idle_cursor())

    # pointer ------------------------------------------------------------------------------
    def _mask_point(self, event: QMouseEvent) -> tuple[float, float]:
        scene = self.mapToScene(event.position().toPoint())
        return scene.x(), scene.y()

    def wants_pan(self, event: QMouseEvent) -> bool:
        left_with_hand = event.button() == Qt.MouseButton.LeftButton and self.state.tool is Tool.HAND
        return super().wants_pan(event) or left_with_hand

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.wants_pan(event):
            self.outline.hide()
            self.start_pan(event)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.tools.press(self._mask_point(event), shift)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.panning:
            super().mouseMoveEvent(event)
            return
        x, y = self._mask_point(event)
        self._last_scene_pos = QPointF(x, y)
        if self.tools.stroking:
            self.tools.move((x, y))
        self._update_outline()
        height, width = self.document.shape
        inside = 0 <= x < width and 0 <= y < height
        self.cursor_moved.emit(int(x) if inside else -1, int(y) if inside else -1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.panning:
            super().mouseReleaseEvent(event)
            self._update_outline()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self.tools.release()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event) -> None:
        self._last_scene_pos = None
        self.outline.hide()
        self.cursor_moved.emit(-1, -1)
        super().leaveEvent(event)

    def set_zoom(self, zoom: float, anchor=None) -> None:
        super().set_zoom(zoom, anchor)
        self._update_outline()
