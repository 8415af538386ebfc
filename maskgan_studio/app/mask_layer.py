"""The edited mask as a scene item: an 8-bit indexed image over a numpy buffer, no per-pixel Python.

The display buffer holds ``label`` for changed pixels and ``label + 19`` for unchanged ones, so
one colour table switch shows all classes or only the changed pixels (unchanged entries
transparent). A dab rewrites only its own rectangle of the buffer and repaints only that.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.geometry import Rect
from maskgan_studio.labels import NUM_CLASSES, PALETTE


def _colour_table(highlight_changes: bool) -> list[int]:
    opaque = [0xFF000000 | (int(r) << 16) | (int(g) << 8) | int(b) for r, g, b in PALETTE]
    unchanged = [0x00000000] * NUM_CLASSES if highlight_changes else opaque
    return opaque + unchanged


class MaskLayer(QGraphicsItem):
    """Draws ``document.edited_mask``; call ``refresh(rect)`` after pixels change."""

    def __init__(self, document: MaskDocument):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._document = document
        self._highlight = False
        self._rebuild()

    def _rebuild(self) -> None:
        self.prepareGeometryChange()
        height, width = self._document.shape
        self._buffer = np.zeros((height, width), dtype=np.uint8)
        self._image = QImage(self._buffer.data, width, height, width, QImage.Format.Format_Indexed8)
        self._image.setColorTable(_colour_table(self._highlight))
        self._bounds = QRectF(0, 0, width, height)
        self.refresh(Rect.full(self._document.shape))

    def reset(self) -> None:
        """The document got a new source (maybe a new size)."""
        self._rebuild()
        self.update()

    def set_highlight_changes(self, on: bool) -> None:
        if on != self._highlight:
            self._highlight = on
            self._image.setColorTable(_colour_table(on))
            self.update()

    def refresh(self, rect: Rect) -> None:
        rect = rect.clip(self._buffer.shape)
        if rect.is_empty:
            return
        edited = self._document.edited_mask[rect.slices]
        unchanged = edited == self._document.source_mask[rect.slices]
        np.add(edited, unchanged.view(np.uint8) * np.uint8(NUM_CLASSES), out=self._buffer[rect.slices])
        self.update(QRectF(rect.x0, rect.y0, rect.width, rect.height))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        exposed = option.exposedRect.toAlignedRect().intersected(self._image.rect())
        if not exposed.isEmpty():
            painter.drawImage(exposed, self._image, exposed)

    def image(self) -> QImage:
        """The colourised mask as shown (for tests and the screenshot)."""
        return self._image.copy()
