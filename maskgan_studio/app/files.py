"""Opening and saving: faces, masks, projects, recent files, drag and drop (exports: ``exports``).

An image with no mask (none given, none beside it) is a photograph: it goes to ``open_photo``
(the window's ``PhotoOpener``), which finds and aligns the face. Every failure becomes a dialog
naming the file and the problem; nothing is half-loaded, because files are read completely
before the document changes. Where the work came from is written into the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from maskgan_studio.app.photo_mapping import mask_in_crop
from maskgan_studio.app.undo import StrokeCommand
from maskgan_studio.core.project import SUFFIX, ProjectState, load_project, save_project
from maskgan_studio.core.workspace import Workspace
from maskgan_studio.errors import StudioError
from maskgan_studio.io import read_image, read_mask
from maskgan_studio.io.masks import MASK_SUFFIXES, find_mask_beside

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)"
OPEN_FILTER = f"Faces and projects (*{SUFFIX} *.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;" \
              f"Projects (*{SUFFIX});;{IMAGE_FILTER};;All files (*)"

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
    recent_changed = Signal(list)

    def __init__(self, window: QWidget, workspace: Workspace, undo_stack, app_settings,
                 open_photo: Callable[[Path], bool]):
        super().__init__(window)
        self.open_photo = open_photo
        self.window = window
        self.workspace = workspace
        self.document = workspace.document
        self.undo_stack = undo_stack
        self.app_settings = app_settings

    # helpers ------------------------------------------------------------------------------
    def _report(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self.window, title, str(error))

    def _remember(self, path: Path) -> None:
        self.recent_changed.emit(self.app_settings.add_recent(path))

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
        self.workspace.set_origin(file=Path(image_path).resolve())
        self._remember(Path(image_path))

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
        self.workspace.set_origin(project=Path(path).resolve())
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
        project = self.workspace.origin.project
        return self.save_as(project) if project else self.save_as()

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            origin = self.workspace.origin
            suggestion = f"{origin.stem}{SUFFIX}" if origin.path else f"untitled{SUFFIX}"
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
        self.workspace.saved_as(path.resolve())
        self._remember(path)
        return True
