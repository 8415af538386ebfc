"""Adding faces to the gallery of style faces (Style per region > Add face…, or image files
dropped on the gallery).

A face with its mask (chosen with it or lying beside it) is added at once. A photo without one
is found, aligned and masked on the background jobs thread, as ``edit --style-ref`` does (the
largest face, a 512 px crop); the GUI thread never waits for it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from maskgan_studio.app.files import IMAGE_FILTER, looks_like_mask
from maskgan_studio.app.jobs import BackgroundJobs
from maskgan_studio.app.status_bar import StatusBar
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.style_gallery import StyleFace
from maskgan_studio.errors import StudioError
from maskgan_studio.io.masks import find_mask_beside
from maskgan_studio.photos.style_faces import read_style_face

BUSY_TASK = "style face"


class StyleFaceOpener(QObject):
    added = Signal(object)    # the gallery's StyleFace
    settled = Signal()        # an add ended: added or failed

    def __init__(self, window, document: MaskDocument, jobs: BackgroundJobs, status: StatusBar):
        super().__init__(window)
        self.window = window   # its ``interactive`` says whether a failure may open a dialog
        self.document = document
        self.jobs = jobs
        self.status = status

    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Add a style face (and its mask)", "", IMAGE_FILTER)
        if paths:
            self.open_paths([Path(p) for p in paths])

    def open_paths(self, paths: list[Path]) -> None:
        """The first image among ``paths``, with the first mask among them or the one beside it."""
        masks = [p for p in paths if looks_like_mask(p)]
        images = [p for p in paths if p not in masks] or paths
        image, mask = Path(images[0]), masks[0] if masks else find_mask_beside(images[0])
        if mask is None:
            self.status.set_busy(BUSY_TASK, f"Finding the face in {image.name}…")
            self.jobs.submit(partial(read_style_face, image), self._add, self._failed)
            return
        try:
            face = read_style_face(image, mask)
        except StudioError as error:
            self._failed(str(error))
            return
        self._add(face)

    def _add(self, face: StyleFace) -> None:
        self.status.set_busy(BUSY_TASK, None)
        face = self.document.gallery.add(face)
        self.status.showMessage(f"{face.name} is in the style gallery: drag it onto a region.", 6000)
        self.added.emit(face)
        self.settled.emit()

    def _failed(self, message: str) -> None:
        self.status.set_busy(BUSY_TASK, None)
        self.status.showMessage(f"Cannot add the style face: {message}", 12000)
        self.settled.emit()
        if self.window.interactive:
            QMessageBox.warning(self.window, "Cannot add the style face", message)
