"""Exporting the edited face, the edited photo, the mask and a comparison sheet.

An export writes the workspace's finished result for the mask as it is now, never a preview
and never a result of an older mask. When that result is still being drawn, the export waits
with "Finishing the result…" in the status bar and writes once it arrives; a confirmation
naming the file follows every export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from maskgan_studio.app.live_result import LiveResult
from maskgan_studio.app.photo_mapping import edited_photo
from maskgan_studio.app.status_bar import StatusBar
from maskgan_studio.core.compose import comparison_sheet
from maskgan_studio.core.workspace import StageResult, Workspace
from maskgan_studio.errors import StudioError
from maskgan_studio.io import write_image, write_mask

IMAGE_EXPORT_FILTER = "PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp)"
FINISHING = "export"

Make = Callable[[np.ndarray], np.ndarray]   # the finished result at the mask's size -> the image to write


class Exports(QObject):
    def __init__(self, window: QWidget, workspace: Workspace, live: LiveResult, status: StatusBar):
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.document = workspace.document
        self.live = live
        self.status = status
        self._waiting: tuple[Path, Make] | None = None
        workspace.events.ready.connect(self._on_ready)
        live.failed.connect(self._on_cannot_finish)
        live.model_failed.connect(self._on_cannot_finish)

    @property
    def waiting(self) -> bool:
        """An export waits for the result of the mask as it is now."""
        return self._waiting is not None

    # the four exports ---------------------------------------------------------------------------
    def export_image(self, path: Path | None = None) -> bool:
        """The edited image: for a face cut from a photo, the whole photo with the edit put back.
        True when written now; an export that waits for the result writes later."""
        if self.document.photo is None:
            return self.export_crop(path)
        path = path or self._ask("Export the edited photo", "_edited", IMAGE_EXPORT_FILTER)
        return path is not None and self._export(path, lambda result: edited_photo(self.document, result))

    def export_crop(self, path: Path | None = None) -> bool:
        """The edited face at the editor's size (for a photo: the aligned crop)."""
        suffix = "_edited_face" if self.document.photo is not None else "_edited"
        path = path or self._ask("Export the edited face", suffix, IMAGE_EXPORT_FILTER)
        return path is not None and self._export(path, lambda result: result)

    def export_comparison(self, path: Path | None = None) -> bool:
        path = path or self._ask("Export a before/after comparison", "_comparison", IMAGE_EXPORT_FILTER)
        doc = self.document
        return path is not None and self._export(
            path, lambda result: comparison_sheet(doc.source_image, result, doc.source_mask, doc.edited_mask))

    def export_mask(self, path: Path | None = None) -> bool:
        path = path or self._ask("Export the edited mask", "_edited_mask", "PNG (*.png)")
        return path is not None and self._write(write_mask, path, self.document.edited_mask.copy())

    # waiting for the result ---------------------------------------------------------------------
    def _export(self, path: Path, make: Make) -> bool:
        result = self.workspace.exportable()
        if result is not None:
            return self._write_result(path, make, result)
        if self.workspace.model is None and not self.live.model_loading:
            QMessageBox.information(self.window, "No result yet", "The model has not drawn a result yet.")
            return False
        self._waiting = (path, make)
        self.status.set_busy(FINISHING, f"Finishing the result for {path.name}…")
        if self.live.idle:
            self.live.request_now()
        return False

    def _on_ready(self, result: StageResult) -> None:
        if self._waiting is None or self.workspace.exportable() is None:
            return
        (path, make), self._waiting = self._waiting, None
        self.status.set_busy(FINISHING, None)
        self._write_result(path, make, result)

    def _on_cannot_finish(self, message: str) -> None:
        if self._waiting is None:
            return
        path, self._waiting = self._waiting[0], None
        self.status.set_busy(FINISHING, None)
        self._report(StudioError(f"{path}: not exported, the result could not be drawn ({message})"))

    # writing ------------------------------------------------------------------------------------
    def _write_result(self, path: Path, make: Make, result: StageResult) -> bool:
        image = result.image
        height, width = self.document.shape
        if image.shape[:2] != (height, width):
            image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            image = make(image)
        finally:
            QApplication.restoreOverrideCursor()
        return self._write(write_image, path, image)

    def _write(self, writer, path: Path, array: np.ndarray) -> bool:
        try:
            writer(path, array)
        except StudioError as error:
            self._report(error)
            return False
        self.status.showMessage(f"Exported {path.name} to {path.parent}", 8000)
        return True

    def _report(self, error: Exception) -> None:
        self.status.showMessage(str(error), 10000)
        QMessageBox.warning(self.window, "Cannot export", str(error))

    def _ask(self, title: str, suffix: str, filters: str) -> Path | None:
        default_name = f"{self.workspace.origin.stem}{suffix}.png"
        chosen, selected = QFileDialog.getSaveFileName(self.window, title, default_name, filters)
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            extension = re.search(r"\*(\.\w+)", selected or filters)
            path = path.with_name(path.name + (extension.group(1) if extension else ".png"))
        return path
