"""Edit > Auto mask: a fresh mask for the source face, computed off the GUI thread, applied as one
undo step (the changed rectangle before and after, like a stroke), so the user corrects it by
painting and Ctrl+Z brings the previous mask back.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from maskgan_studio.app.jobs import BackgroundJobs
from maskgan_studio.app.status_bar import StatusBar
from maskgan_studio.app.undo import StrokeCommand
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.photos import auto_mask, mediapipe_models

BUSY_TASK = "auto mask"
METHOD_NOTES = {
    "landmarks": "landmarks (mediapipe face mesh and person segmentation)",
    "template": "template (the average face layout fitted to the photo)",
    "parser": "parser (the face-parsing network)",
}


class AutoMasker(QObject):
    running_changed = Signal(bool)
    applied = Signal(str)   # the method that ran
    failed = Signal(str)

    def __init__(self, window, document: MaskDocument, jobs: BackgroundJobs, undo_stack: QUndoStack,
                 status: StatusBar):
        super().__init__(window)
        self.window = window   # its ``interactive`` says whether errors may open a dialog
        self.document = document
        self.jobs = jobs
        self.undo_stack = undo_stack
        self.status = status
        self.running = False
        self._source_generation = 0
        document.events.source.connect(self._on_source)

    def _on_source(self) -> None:
        self._source_generation += 1

    def run(self) -> bool:
        """Start masking the open face; False when a run is already going."""
        if self.running:
            return False
        self._set_running(True)
        job = partial(auto_mask, self.document.source_image.copy())   # runs on the jobs thread
        self.jobs.submit(job, partial(self._on_mask, self._source_generation), self._on_failed)
        return True

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.status.set_busy(BUSY_TASK, "Auto mask…" if running else None)
        self.running_changed.emit(running)

    def _on_mask(self, generation: int, found: tuple[np.ndarray, str]) -> None:
        self._set_running(False)
        labels, method = found
        if generation != self._source_generation:
            self.status.showMessage("Auto mask dropped: another face was opened meanwhile.", 6000)
            return
        atom = self.document.replace_edited_mask(labels, f"Auto mask ({method})")
        if atom is not None:
            self.undo_stack.push(StrokeCommand(self.document, atom))
        changed = "no pixel changed" if atom is None else "paint to correct it, Ctrl+Z brings the old mask back"
        message = f"Auto mask by {METHOD_NOTES.get(method, method)}: {changed}."
        if not mediapipe_models.available():
            message += f" {mediapipe_models.FALLBACK_NOTE}."
        self.status.showMessage(message, 15000)
        self.applied.emit(method)

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.status.showMessage(f"Auto mask failed: {message}", 12000)
        self.failed.emit(message)
        if self.window.interactive:
            QMessageBox.warning(self.window, "Auto mask failed", message)
