"""Opening, saving and exporting: faces, masks, projects, recent files, drag and drop.

An image with no mask (none given, none beside it) is a photograph: it goes to ``open_photo``
(the window's ``PhotoOpener``), which finds and aligns the face. Every failure becomes a dialog
naming the file and the problem; nothing is half-loaded, because files are read completely
before the document changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from maskgan_studio.app.photo_mapping import edited_photo, mask_in_crop
from maskgan_studio.app.undo import StrokeCommand
from maskgan_studio.core.compose import comparison_sheet
from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.project import SUFFIX, ProjectState, load_project, save_project
from maskgan_studio.errors import StudioError
from maskgan_studio.io import read_image, read_mask, write_image, write_mask

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)"
OPEN_FILTER = f"Faces and projects (*{SUFFIX} *.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;" \
              f"Projects (*{SUFFIX});;{IMAGE_FILTER};;All files (*)"
IMAGE_EXPORT_FILTER = "PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp)"
MASK_SUFFIXES = ("_mask", ".mask", "-mask", "_label", "_labels", "_seg")


def find_mask_beside(image_path: Path) -> Path | None:
    """``face.png`` -> ``face_mask.png`` (or ``.mask``, ``-mask``, ``_label``…), when one exists."""
    for suffix in MASK_SUFFIXES:
        candidate = image_path.with_name(image_path.stem + suffix + ".png")
        if candidate.is_file():
            return candidate
    return None


def looks_like_mask(path: Path) -> bool:
    return any(path.stem.lower().endswith(s) for s in MASK_SUFFIXES) or "mask" in path.stem.lower()


def read_face(image_path: str | Path, mask_path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A face and its mask; the mask defaults to one lying beside the image."""
    image_path = Path(image_path)
    mask_path = Path(mask_path) if mask_path else find_mask_beside(image_path)
    image = read_image(image_path)
    if mask_path is None:
        raise StudioError(f"{image_path}: no mask found beside it (e.g. {image_path.stem}_mask.png); "
                          "give one with --mask or open the mask too")
    return image, read_mask(mask_path)


class FileController(QObject):
    path_changed = Signal(str)        # the project file (or "" for none)
    recent_changed = Signal(list)
    opened = Signal(str)              # any file that was opened successfully

    def __init__(self, window: QWidget, document: MaskDocument, undo_stack, app_settings,
                 result_image: Callable[[], np.ndarray | None], open_photo: Callable[[Path], bool]):
        super().__init__(window)
        self.open_photo = open_photo
        self.window = window
        self.document = document
        self.undo_stack = undo_stack
        self.app_settings = app_settings
        self.result_image = result_image
        self.project_path: Path | None = None
        self.origin: Path | None = None

    # helpers ------------------------------------------------------------------------------
    def _report(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self.window, title, str(error))

    def _remember(self, path: Path) -> None:
        self.recent_changed.emit(self.app_settings.add_recent(path))
        self.opened.emit(str(path))

    def _set_project_path(self, path: Path | None) -> None:
        self.project_path = path
        self.path_changed.emit(str(path) if path else "")

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes", "Save the changes to this face first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # opening ------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Open a face, its mask or a project", "", OPEN_FILTER)
        if paths:
            self.open_paths([Path(p) for p in paths])

    def open_paths(self, paths: list[Path]) -> bool:
        """Dropped or chosen files: a project, a face (with its mask beside it or among the
        files), or a lone mask (it becomes the edited mask)."""
        paths = [Path(p) for p in paths]
        projects = [p for p in paths if p.suffix.lower() == SUFFIX]
        if projects:
            return self.open_project(projects[0])
        masks = [p for p in paths if looks_like_mask(p)]
        images = [p for p in paths if p not in masks]
        if images:
            return self.open_face(images[0], masks[0] if masks else None)
        if masks:
            return self.open_mask(masks[0])
        return False

    def open_face(self, image_path: Path, mask_path: Path | None = None) -> bool:
        """A face with its mask; without one, a photograph (opening it goes on in the background)."""
        if not self.maybe_save():
            return False
        if mask_path is None and find_mask_beside(image_path) is None:
            return self.open_photo(image_path)
        try:
            image, mask = read_face(image_path, mask_path)
            self.document.replace_source(image, mask)
        except StudioError as error:
            self._report("Cannot open the face", error)
            return False
        self.adopt(image_path)
        return True

    def adopt(self, image_path: Path) -> None:
        """The document now holds a new face from ``image_path``: a fresh history, no project."""
        self.undo_stack.clear()
        self.origin = Path(image_path)
        self._set_project_path(None)
        self._remember(self.origin)

    def open_mask(self, path: Path | None = None) -> bool:
        """Replace the edited mask with a mask file: one undoable step."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Open a mask", "", IMAGE_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        try:
            mask = read_mask(path)
        except StudioError as error:
            self._report("Cannot open the mask", error)
            return False
        height, width = self.document.shape
        photo = self.document.photo
        if photo is not None and mask.shape == photo.photo_size:
            mask = mask_in_crop(self.document, mask)   # a mask of the whole photo, e.g. from ``parse``
        elif mask.shape != (height, width):
            mask = cv2.resize(mask, (width, height), interpolation=cv2.INTER_NEAREST)
        atom = self.document.replace_edited_mask(mask, f"Open mask {path.name}")
        if atom is not None:
            self.undo_stack.push(StrokeCommand(self.document, atom))
        self._remember(path)
        return True

    def open_project(self, path: Path | None = None) -> bool:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Open a project", "", f"Projects (*{SUFFIX})")
            if not chosen:
                return False
            path = Path(chosen)
        if not self.maybe_save():
            return False
        try:
            state = load_project(path)   # checked whole, settings included, before the document changes
            state.apply_to(self.document)
        except StudioError as error:
            self._report("Cannot open the project", error)
            return False
        self.adopt_project(path)
        return True

    def adopt_project(self, path: Path) -> None:
        """The document now holds the project at ``path``: a fresh history, saved back there."""
        self.undo_stack.clear()
        self.origin = None
        self._set_project_path(Path(path))
        self._remember(Path(path))

    def open_reference(self) -> bool:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "Choose the reference face (and its mask)", "", IMAGE_FILTER)
        if not paths:
            return False
        paths = [Path(p) for p in paths]
        masks = [p for p in paths if looks_like_mask(p)]
        images = [p for p in paths if p not in masks]
        try:
            image, mask = read_face(images[0] if images else paths[0], masks[0] if masks else None)
            self.document.set_reference(image, mask)
        except StudioError as error:
            self._report("Cannot use that reference", error)
            return False
        return True

    # saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        return self.save_as(self.project_path) if self.project_path else self.save_as()

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            suggestion = (self.origin.with_suffix(SUFFIX).name if self.origin else f"untitled{SUFFIX}")
            chosen, _ = QFileDialog.getSaveFileName(self.window, "Save project", suggestion, f"Projects (*{SUFFIX})")
            if not chosen:
                return False
            path = Path(chosen)
            if path.suffix.lower() != SUFFIX:
                path = path.with_name(path.name + SUFFIX)
        try:
            save_project(path, ProjectState.of(self.document))
        except StudioError as error:
            self._report("Cannot save the project", error)
            return False
        self.document.set_modified(False)
        self._set_project_path(path)
        self._remember(path)
        return True

    def _export_path(self, title: str, default_name: str, filters: str) -> Path | None:
        chosen, selected = QFileDialog.getSaveFileName(self.window, title, default_name, filters)
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            extension = re.search(r"\*(\.\w+)", selected or filters)
            path = path.with_name(path.name + (extension.group(1) if extension else ".png"))
        return path

    def _stem(self) -> str:
        source = self.project_path or self.origin
        return source.stem if source else "face"

    def _result_at_mask_size(self) -> np.ndarray | None:
        result = self.result_image()
        if result is None:
            QMessageBox.information(self.window, "No result yet", "The model has not drawn a result yet.")
            return None
        height, width = self.document.shape
        if result.shape[:2] != (height, width):
            result = cv2.resize(result, (width, height), interpolation=cv2.INTER_AREA)
        return result

    def export_image(self, path: Path | None = None) -> bool:
        """The edited image: for a face cut from a photo, the whole photo with the edit put back."""
        if self.document.photo is None:
            return self.export_crop(path)
        result = self._result_at_mask_size()
        if result is None:
            return False
        path = path or self._export_path("Export the edited photo", f"{self._stem()}_edited.png", IMAGE_EXPORT_FILTER)
        if path is None:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            photo = edited_photo(self.document, result)
        finally:
            QApplication.restoreOverrideCursor()
        return self._write(write_image, path, photo)

    def export_crop(self, path: Path | None = None) -> bool:
        """The edited face at the editor's size (for a photo: the aligned crop)."""
        result = self._result_at_mask_size()
        suffix = "_edited_face" if self.document.photo is not None else "_edited"
        path = path or self._export_path("Export the edited face", f"{self._stem()}{suffix}.png", IMAGE_EXPORT_FILTER)
        return result is not None and path is not None and self._write(write_image, path, result)

    def export_mask(self, path: Path | None = None) -> bool:
        path = path or self._export_path("Export the edited mask", f"{self._stem()}_edited_mask.png", "PNG (*.png)")
        return path is not None and self._write(write_mask, path, self.document.edited_mask.copy())

    def export_comparison(self, path: Path | None = None) -> bool:
        result = self._result_at_mask_size()
        path = path or self._export_path("Export a before/after comparison", f"{self._stem()}_comparison.png",
                                         IMAGE_EXPORT_FILTER)
        if result is None or path is None:
            return False
        doc = self.document
        sheet = comparison_sheet(doc.source_image, result, doc.source_mask, doc.edited_mask)
        return self._write(write_image, path, sheet)

    def _write(self, writer, path: Path, array: np.ndarray) -> bool:
        try:
            writer(path, array)
        except StudioError as error:
            self._report("Cannot export", error)
            return False
        return True
