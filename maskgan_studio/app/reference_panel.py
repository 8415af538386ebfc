"""The style reference: another face (and its mask) whose style the result takes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from maskgan_studio.app.icons import icon
from maskgan_studio.app.qt_images import rgb_to_pixmap
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.labels import colorize

THUMB = 96


class ReferencePanel(QWidget):
    load_requested = Signal()

    def __init__(self, document: MaskDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.photo = QLabel()
        self.mask = QLabel()
        for label in (self.photo, self.mask):
            label.setFixedSize(THUMB, THUMB)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setObjectName("thumbnail")
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.load = QPushButton(icon("mdi6.account-switch-outline"), "Load…")
        self.load.setToolTip("Load another face and its mask: the result takes its style")
        self.clear = QPushButton(icon("mdi6.close"), "Clear")
        self.clear.setToolTip("Back to the source photo's own style")
        thumbs = QHBoxLayout()
        thumbs.addWidget(self.photo)
        thumbs.addWidget(self.mask)
        thumbs.addStretch()
        buttons = QHBoxLayout()
        buttons.addWidget(self.load)
        buttons.addWidget(self.clear)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(thumbs)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.load.clicked.connect(self.load_requested)
        self.clear.clicked.connect(lambda: self.document.set_reference(None, None))
        document.events.reference.connect(self._show)
        self._show()

    def _show(self) -> None:
        doc = self.document
        has = doc.reference_image is not None
        if has:
            for label, rgb in ((self.photo, doc.reference_image), (self.mask, colorize(doc.reference_mask))):
                label.setPixmap(rgb_to_pixmap(rgb).scaled(
                    THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            self.note.setText("The result takes this face's style. The Copy tool paints its mask.")
        else:
            for label in (self.photo, self.mask):
                label.clear()
            self.photo.setText("none")
            self.note.setText("No reference: the result keeps the source photo's style.")
        self.clear.setEnabled(has)
