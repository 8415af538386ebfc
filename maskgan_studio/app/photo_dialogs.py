"""The questions a photograph can raise: which face to edit, and what to do when there is none.

``choose_face`` and ``ask_whole_image`` are module functions so tests can answer them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QMessageBox, QVBoxLayout

from maskgan_studio.app.qt_images import rgb_to_pixmap

THUMBNAIL = 96


def face_thumbnail(image: np.ndarray, box: np.ndarray, margin: float = 0.25) -> np.ndarray:
    """The face's box, grown by ``margin`` of its size and clipped to the photo."""
    x0, y0, x1, y1 = (float(v) for v in box)
    grow_x, grow_y = (x1 - x0) * margin, (y1 - y0) * margin
    height, width = image.shape[:2]
    left, top = max(int(x0 - grow_x), 0), max(int(y0 - grow_y), 0)
    right, bottom = min(int(np.ceil(x1 + grow_x)), width), min(int(np.ceil(y1 + grow_y)), height)
    if right <= left or bottom <= top:
        return image
    return np.ascontiguousarray(image[top:bottom, left:right])


class FacePickerDialog(QDialog):
    """A list of the faces found, each with a thumbnail; the largest (the first) is selected.
    Faces are numbered from 0, as ``--face`` numbers them."""

    def __init__(self, image: np.ndarray, faces: list, name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Choose a face")
        self.list = QListWidget()
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setSpacing(6)
        for index, face in enumerate(faces):
            x0, y0, x1, y1 = (int(round(float(v))) for v in face.box)
            thumbnail = rgb_to_pixmap(face_thumbnail(image, face.box)).scaled(
                THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            item = QListWidgetItem(QIcon(thumbnail), f"Face {index}\n{x1 - x0}×{y1 - y0} px")
            item.setToolTip(f"Found by {face.method} at ({x0}, {y0}); --face {index} on the command line")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name} shows {len(faces)} faces. Which one do you want to edit?"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(min(120 + len(faces) * (THUMBNAIL + 24), 720), 260)

    @property
    def chosen(self) -> int:
        return max(self.list.currentRow(), 0)


def choose_face(parent, image: np.ndarray, faces: list, name: str) -> int | None:
    """The index of the face to edit (largest first), or None when the user cancels."""
    dialog = FacePickerDialog(image, faces, name, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_whole_image(parent, message: str) -> bool:
    """No face found: True to edit the whole image instead, False to cancel."""
    box = QMessageBox(QMessageBox.Icon.Information, "No face found", message, parent=parent)
    whole = box.addButton("Use the whole image", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(whole)
    box.exec()
    return box.clickedButton() is whole
