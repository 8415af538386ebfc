"""The style panel: the gallery of style faces and, per group of classes, the face it takes its style from.

A thin view over ``document.gallery`` and ``document.style_map``: the rows' menus and drops go
through ``StyleAssigner`` (undoable); faces are dragged from the gallery onto a row, a class of
the palette or a region of the mask canvas.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maskgan_studio.app.icons import icon
from maskgan_studio.app.style_drag import StyleAssigner, dropped_key, face_mime, thumbnail
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.style_map import GROUPS

THUMB = 48
KEY_ROLE = Qt.ItemDataRole.UserRole


class FaceGallery(QListWidget):
    """The faces as a scrollable strip of thumbnails; each can be dragged away, and image files
    dropped on it are added (``files_dropped``)."""

    files_dropped = Signal(list)   # [Path]

    def __init__(self, document: MaskDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setObjectName("style_gallery")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 10, THUMB + 10))
        self.setFixedHeight(THUMB + 30)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        document.gallery.events.faces.connect(self.fill)
        self.fill()

    def fill(self) -> None:
        self.clear()
        for face in self.document.gallery.faces:
            item = QListWidgetItem(QIcon(thumbnail(face, THUMB * 2)), "")
            item.setData(KEY_ROLE, face.key)
            origin = "built-in" if face.builtin else "opened"
            item.setToolTip(f"{face.name} ({origin}): drag it onto a row, a class in the palette or a region "
                            "of the mask")
            self.addItem(item)

    def mimeData(self, items) -> object:
        return face_mime(items[0].data(KEY_ROLE)) if items else None

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def dragEnterEvent(self, event) -> None:
        if _local_files(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if _local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = _local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


def _local_files(mime) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


class StyleRow(QWidget):
    """One group (hair, skin…): its name and a menu of sources; a face dropped on it is chosen."""

    def __init__(self, group: str, assigner: StyleAssigner, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = group
        self.assigner = assigner
        self.label = QLabel(group.capitalize())
        self.choice = QComboBox()
        self.choice.setIconSize(QSize(20, 20))
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setMinimumContentsLength(7)
        self.choice.setToolTip(f"The face the {group} takes its style from")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.choice, 2)
        self.setAcceptDrops(True)
        self.choice.activated.connect(lambda index: self.choose(self.choice.itemData(index)))

    def choose(self, key: str | None) -> bool:
        return self.assigner.assign(GROUPS[self.group], key, self.group)

    def fill(self) -> None:
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(icon("mdi6.image-outline"), "Photo", None)
        for face in self.assigner.document.gallery.faces:
            self.choice.addItem(QIcon(thumbnail(face, 40)), face.name, face.key)
        self.choice.blockSignals(False)
        self.show_source()

    def show_source(self) -> None:
        """The source of the group's first class (a project or the command line may give the
        group's classes different ones)."""
        key = self.assigner.document.style_map.source(GROUPS[self.group][0])
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(max(self.choice.findData(key), 0))
        self.choice.blockSignals(False)

    def dragEnterEvent(self, event) -> None:
        if dropped_key(event.mimeData(), self.assigner.document) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        key = dropped_key(event.mimeData(), self.assigner.document)
        if key is not None:
            event.acceptProposedAction()
            self.choose(key)


class StylePanel(QWidget):
    add_requested = Signal()

    def __init__(self, document: MaskDocument, assigner: StyleAssigner, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.assigner = assigner
        self.gallery = FaceGallery(document)
        self.rows = {group: StyleRow(group, assigner) for group in GROUPS}
        self.gallery.setToolTip("Drag a face onto a row, a class in the palette or a region of the mask")
        self.add = QPushButton(icon("mdi6.account-plus-outline"), "Add face…")
        self.add.setToolTip("Open a face and its mask as a style face")
        self.clear = QPushButton(icon("mdi6.close"), "")
        self.clear.setToolTip("Every region back to the photo's own style")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add, 1)
        buttons.addWidget(self.clear)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for index, row in enumerate(self.rows.values()):
            grid.addWidget(row, index // 2, index % 2)
        grid.addLayout(buttons, len(self.rows) // 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.gallery)
        layout.addLayout(grid)
        self.add.clicked.connect(self.add_requested)
        self.clear.clicked.connect(self._clear)
        document.gallery.events.faces.connect(self._fill)
        document.events.style_map.connect(self._show)
        self._fill()

    def _clear(self) -> None:
        self.assigner.assign([class_id for class_id, _ in self.document.style_map.pairs], None, "every region")

    def _fill(self) -> None:
        for row in self.rows.values():
            row.fill()
        self._show()

    def _show(self) -> None:
        for row in self.rows.values():
            row.show_source()
        self.clear.setEnabled(bool(self.document.style_map))
