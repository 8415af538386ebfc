"""Opening a photograph that has no mask: find the faces, let the user pick one, align and mask
it, and open the aligned crop with its auto mask, remembering the full photo for the export.

All the work runs on the background jobs thread; the GUI thread only asks the questions
(which face? no face: the whole image?). The crop is 512 px, or the loaded model's working
resolution when that is larger (waiting for a model that is still loading), or the photo's own
scale when the face is larger there (``photos.pipeline.prepare_for_editing``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from maskgan_studio.app import photo_dialogs
from maskgan_studio.app.jobs import BackgroundJobs
from maskgan_studio.app.live_result import LiveResult
from maskgan_studio.app.status_bar import StatusBar
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.photo_frame import PhotoFrame
from maskgan_studio.errors import StudioError
from maskgan_studio.io import read_image
from maskgan_studio.photos import PreparedPhoto, detect_faces, mediapipe_models
from maskgan_studio.photos.pipeline import EDIT_CROP, prepare_for_editing

BUSY_TASK = "photo"


def find_faces(path: Path, image: np.ndarray | None) -> tuple[np.ndarray, list]:
    """On the jobs thread: the photo (read unless given) and its faces, largest first."""
    image = read_image(path) if image is None else image
    return image, detect_faces(image)


class PhotoOpener(QObject):
    opened = Signal(str)    # the document now holds a face from this photo
    settled = Signal()      # an open ended: opened, cancelled or failed
    failed = Signal(str)

    def __init__(self, window, document: MaskDocument, jobs: BackgroundJobs, live: LiveResult, status: StatusBar):
        super().__init__(window)
        self.window = window   # its ``interactive`` says whether questions may be asked
        self.document = document
        self.jobs = jobs
        self.live = live
        self.status = status
        self._path: Path | None = None
        self._photo: np.ndarray | None = None
        self._after_model: Callable[[int], None] | None = None
        live.model_ready.connect(self._on_model_settled)
        live.model_failed.connect(self._on_model_settled)

    @property
    def busy(self) -> bool:
        return self._path is not None

    def open_photo(self, path: str | Path, image: np.ndarray | None = None) -> bool:
        """Start opening ``path`` (``image``: its pixels when already read); False when busy."""
        if self.busy:
            self.status.showMessage(f"Still opening {self._path.name}…", 4000)
            return False
        self._path, self._photo = Path(path), None
        self.status.set_busy(BUSY_TASK, f"Finding faces in {self._path.name}…")
        self.jobs.submit(partial(find_faces, self._path, image), self._on_faces, self._on_failed)
        return True

    def _on_faces(self, found: tuple[np.ndarray, list]) -> None:
        self._photo, faces = found
        name = self._path.name
        if not faces:
            if not self._use_whole_image(name):
                self.status.showMessage(f"No face found in {name}: nothing opened.", 8000)
                self._finish()
                return
            self._prepare(None, whole_image=True)
            return
        index = 0
        if len(faces) > 1 and self.window.interactive:
            index = photo_dialogs.choose_face(self.window, self._photo, faces, name)
            if index is None:
                self._finish()
                return
        self._prepare(index)

    def _use_whole_image(self, name: str) -> bool:
        detector = "mediapipe" if mediapipe_models.available() else "OpenCV's Haar cascades"
        message = (f"No face was found in {name} (searched with {detector}).\n\nEdit the whole image instead? "
                   "The model expects a face framed like its training photos, so the result may be poor.")
        if not self.window.interactive:
            self.failed.emit(message.splitlines()[0])
            return False
        return photo_dialogs.ask_whole_image(self.window, message)

    def _prepare(self, face_index: int | None, whole_image: bool = False) -> None:
        what = "the whole image" if whole_image else "the face"
        self.status.set_busy(BUSY_TASK, f"Aligning and masking {what}…")
        photo = self._photo

        def start(resolution: int) -> None:
            job = partial(prepare_for_editing, photo, face_index=face_index, model_resolution=resolution,
                          whole_image=whole_image)
            self.jobs.submit(job, self._on_prepared, self._on_failed)

        if self.live.model_loading:
            self.status.set_busy(BUSY_TASK, "Waiting for the model's resolution…")
            self._after_model = start
        else:
            start(self._resolution())

    def _resolution(self) -> int:
        info = self.live.workspace.model
        return info.resolution if info else EDIT_CROP

    def _on_model_settled(self, *_loaded_or_failed) -> None:
        start, self._after_model = self._after_model, None
        if start is not None:
            self.status.set_busy(BUSY_TASK, "Aligning and masking…")
            start(self._resolution())

    def _on_prepared(self, prepared: PreparedPhoto) -> None:
        path = self._path
        try:
            frame = PhotoFrame(self._photo, prepared.transform.matrix, prepared.transform.method)
            self.document.replace_source(prepared.image, prepared.mask, photo=frame)
        except StudioError as error:
            self._on_failed(str(error))
            return
        self.status.showMessage(f"{path.name}: {prepared.description}. Paint to correct the mask.", 12000)
        self.opened.emit(str(path))
        self._finish()

    def _on_failed(self, message: str) -> None:
        self.status.showMessage(f"Cannot open the photo: {message}", 12000)
        self.failed.emit(message)
        self._finish()
        if self.window.interactive:
            QMessageBox.warning(self.window, "Cannot open the photo", message)

    def _finish(self) -> None:
        self._path = self._photo = None
        self.status.set_busy(BUSY_TASK, None)
        self.settled.emit()
