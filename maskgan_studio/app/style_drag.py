"""Style per region in the editor: giving classes a gallery face's style, undoably, and dragging faces.

A gallery face travels in a drag as its key under ``MIME``. The style rows, the class palette and
the mask canvas (the class under the drop point) accept it, and all of them, like the style
rows' menus, go through ``StyleAssigner``, which pushes one undo command per change.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGraphicsView

from maskgan_studio.app.qt_images import rgb_to_pixmap
from maskgan_studio.app.undo import StyleMapCommand
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.style_gallery import StyleFace
from maskgan_studio.core.style_map import group_of

MIME = "application/x-maskgan-style-face"
_thumbnails: dict[tuple[str, int], QPixmap] = {}


def face_mime(key: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME, QByteArray(key.encode()))
    return mime


def dropped_key(mime: QMimeData, document: MaskDocument) -> str | None:
    """The gallery face a drag carries, None when it carries none (or one the gallery lacks)."""
    if not mime.hasFormat(MIME):
        return None
    key = bytes(mime.data(MIME).data()).decode(errors="replace")
    return key if key in document.gallery else None


def thumbnail(face: StyleFace, size: int) -> QPixmap:
    """``face`` scaled to ``size`` px (faces never change, so each size is drawn once)."""
    cached = _thumbnails.get((face.key, size))
    if cached is None:
        cached = rgb_to_pixmap(face.image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation)
        _thumbnails[face.key, size] = cached
    return cached


class StyleAssigner(QObject):
    """Changes the document's style map through the undo stack."""

    assigned = Signal(str)   # what changed, for the status bar

    def __init__(self, document: MaskDocument, undo_stack, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.undo_stack = undo_stack

    def assign(self, classes: Iterable[int], key: str | None, what: str) -> bool:
        """``classes`` (named ``what``) take their style from gallery face ``key`` (None: the
        photo's own); False when that is already so."""
        after = self.document.style_map.assign(classes, key)
        if after == self.document.style_map:
            return False
        source = "the photo's own style" if key is None else f"the style of {self.document.gallery[key].name}"
        label = f"{what.capitalize()}: {source}"
        self.undo_stack.push(StyleMapCommand(self.document, after, label))
        self.assigned.emit(label)
        return True

    def assign_class(self, class_id: int, key: str | None) -> bool:
        """``class_id`` and the classes styled with it (its group)."""
        name, classes = group_of(class_id)
        return self.assign(classes, key, name)


class CanvasStyleDrops(QObject):
    """Lets a gallery face be dropped on the mask canvas: the class under the drop point takes its
    style; ``hovering`` says which group a drop there would restyle."""

    hovering = Signal(str)

    def __init__(self, canvas: QGraphicsView, assigner: StyleAssigner):
        super().__init__(canvas)
        self.canvas = canvas
        self.assigner = assigner
        canvas.viewport().setAcceptDrops(True)
        canvas.viewport().installEventFilter(self)

    def class_at(self, event) -> int | None:
        point = self.canvas.mapToScene(event.position().toPoint())
        height, width = self.assigner.document.shape
        x, y = int(point.x()), int(point.y())
        if 0 <= point.x() < width and 0 <= point.y() < height:
            return int(self.assigner.document.edited_mask[y, x])
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        key = dropped_key(event.mimeData(), self.assigner.document)
        if key is None:
            return False
        class_id = None if kind == QEvent.Type.DragEnter else self.class_at(event)
        if kind == QEvent.Type.DragEnter or class_id is not None:
            event.acceptProposedAction()   # entering anywhere, so that moves over the face follow
        else:
            event.ignore()
        if kind == QEvent.Type.DragMove and class_id is not None:
            name = self.assigner.document.gallery[key].name
            self.hovering.emit(f"Drop to give {group_of(class_id)[0]} the style of {name}")
        if kind == QEvent.Type.Drop and class_id is not None:
            self.assigner.assign_class(class_id, key)
        return True
