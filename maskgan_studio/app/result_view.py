"""The live result: the edited face, with a split slider and hold-to-compare against the source."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from maskgan_studio.app.qt_images import rgb_to_pixmap
from maskgan_studio.app.zoom_view import ZoomView
from maskgan_studio.core.workspace import StageResult, Workspace


class SplitImage(QGraphicsItem):
    """The source left of ``split`` (a fraction of the width), the result right of it."""

    def __init__(self):
        super().__init__()
        self.source = QPixmap()
        self.result = QPixmap()
        self.split = 0.0
        self.show_source = False

    def boundingRect(self) -> QRectF:
        return QRectF(self.source.rect())

    def set_source(self, pixmap: QPixmap) -> None:
        self.prepareGeometryChange()
        self.source = pixmap
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        bounds = self.boundingRect()
        if self.show_source or self.result.isNull():
            painter.drawPixmap(bounds, self.source, QRectF(self.source.rect()))
            return
        painter.drawPixmap(bounds, self.result, QRectF(self.result.rect()))
        if self.split > 0:
            cut = bounds.width() * self.split
            left = QRectF(0, 0, cut, bounds.height())
            scale = self.source.width() / max(bounds.width(), 1)
            painter.drawPixmap(left, self.source, QRectF(0, 0, cut * scale, self.source.height()))
            pen = QPen(QColor(255, 255, 255, 220), 0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawLine(int(cut), 0, int(cut), int(bounds.height()))


class ResultView(ZoomView):
    """Shows the workspace's newest image (a preview or a finished stage) over the source face."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setViewportUpdateMode(ZoomView.ViewportUpdateMode.FullViewportUpdate)
        self.item = SplitImage()
        self.scene().addItem(self.item)
        self.stage = ""
        self.note = "Loading the model…"
        self.document = workspace.document
        self.set_source(self.document.source_image)
        self.document.events.source.connect(self._on_source)
        workspace.events.shown.connect(self._on_shown)

    def _on_source(self) -> None:
        self.set_source(self.document.source_image)
        self.set_note("Drawing…")

    def _on_shown(self, result: StageResult) -> None:
        self.set_result(result.image, result.stage)

    def set_source(self, rgb: np.ndarray) -> None:
        self.item.set_source(rgb_to_pixmap(rgb))
        self.item.result = QPixmap()
        self.setSceneRect(QRectF(0, 0, rgb.shape[1], rgb.shape[0]))
        self.viewport().update()

    def set_result(self, rgb: np.ndarray, stage: str) -> None:
        pixmap = rgb_to_pixmap(rgb)
        if pixmap.size() != self.item.source.size():
            pixmap = pixmap.scaled(self.item.source.size(), Qt.AspectRatioMode.IgnoreAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.item.result = pixmap
        self.stage = stage
        self.note = ""
        self.item.update()
        self.viewport().update()

    def set_note(self, note: str) -> None:
        self.note = note
        self.viewport().update()

    def set_split(self, fraction: float) -> None:
        self.item.split = min(max(fraction, 0.0), 1.0)
        self.item.update()

    def set_show_source(self, on: bool) -> None:
        self.item.show_source = on
        self.item.update()
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """Badges in view coordinates: "Source" while comparing, "Preview", or a note."""
        text = "Source" if self.item.show_source else (self.note or ("Preview" if self.stage == "preview" else ""))
        if not text:
            return
        painter.save()
        painter.resetTransform()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.95)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRectF(12, 12, metrics.horizontalAdvance(text) + 20, metrics.height() + 10)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 21, 25, 200))
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(QColor("#e6e6e6"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
