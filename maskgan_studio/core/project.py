"""Project files (``.maskgan``): one zip holding everything needed to resume an edit.

Entries: ``project.json`` (format name, version, settings, free-form ``extra``),
``source.png``, ``source_mask.png``, ``edited_mask.png`` and, when a style reference is set,
``reference.png`` and ``reference_mask.png``; for a face cut from a photograph, ``photo.png``
(the full photo) with its transform under ``photo`` in ``project.json``. Entries that a reader
does not know are ignored, so older projects open unchanged. Masks are 8-bit greyscale PNGs of
class ids.
Written atomically; a broken or foreign file raises ``InputFileError`` and nothing is loaded.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from maskgan_studio.core.document import EditSettings, MaskDocument, check_image, check_mask
from maskgan_studio.core.photo_frame import PhotoFrame
from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.io.atomic import atomic_write, check_writable

FORMAT = "maskgan-studio-project"
VERSION = 1
SUFFIX = ".maskgan"
_MANIFEST = "project.json"


@dataclass
class ProjectState:
    """Everything a project file holds, as arrays."""

    source_image: np.ndarray
    source_mask: np.ndarray
    edited_mask: np.ndarray
    settings: EditSettings = field(default_factory=EditSettings)
    reference_image: np.ndarray | None = None
    reference_mask: np.ndarray | None = None
    extra: dict = field(default_factory=dict)
    photo: PhotoFrame | None = None

    @classmethod
    def of(cls, document: MaskDocument, extra: dict | None = None) -> ProjectState:
        """A snapshot (copies; the read-only photo frame is shared) of ``document``, safe to
        write from another thread."""
        copy = lambda a: None if a is None else a.copy()  # noqa: E731
        return cls(document.source_image.copy(), document.source_mask.copy(),
                   document.edited_mask.copy(), document.settings,
                   copy(document.reference_image), copy(document.reference_mask), dict(extra or {}),
                   document.photo)

    def to_document(self) -> MaskDocument:
        document = MaskDocument(self.source_image, self.source_mask, self.edited_mask, self.settings, self.photo)
        self.apply_to(document)
        return document

    def apply_to(self, document: MaskDocument) -> None:
        """Load this state into an existing document (its views stay connected)."""
        document.replace_source(self.source_image, self.source_mask, self.edited_mask, self.photo)
        document.set_reference(self.reference_image, self.reference_mask)
        document.update_settings(**self.settings.to_dict())
        document.set_modified(False)


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def save_project(path: str | os.PathLike, state: ProjectState) -> None:
    check_writable(path)
    manifest = {"format": FORMAT, "version": VERSION, "settings": state.settings.to_dict(), "extra": state.extra}
    if state.photo is not None:
        manifest["photo"] = state.photo.to_dict()
    entries = {
        _MANIFEST: json.dumps(manifest, indent=2).encode(),
        "source.png": _png(state.source_image),
        "source_mask.png": _png(state.source_mask),
        "edited_mask.png": _png(state.edited_mask),
    }
    if state.reference_image is not None and state.reference_mask is not None:
        entries["reference.png"] = _png(state.reference_image)
        entries["reference_mask.png"] = _png(state.reference_mask)
    if state.photo is not None:
        entries["photo.png"] = _png(state.photo.photo)
    with atomic_write(path, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def _decode(path, archive: zipfile.ZipFile, name: str, mode: str) -> np.ndarray:
    try:
        with Image.open(io.BytesIO(archive.read(name))) as image:
            image.load()
            if image.mode != mode:
                raise InputFileError(path, f"damaged project: {name} is {image.mode}, expected {mode}")
            return np.asarray(image).copy()
    except KeyError:
        raise InputFileError(path, f"damaged project: {name} is missing") from None
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error, zipfile.BadZipFile) as exc:
        raise InputFileError(path, f"damaged project: cannot decode {name} ({exc})") from None


def _manifest(path, archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(_MANIFEST))
    except KeyError:
        raise InputFileError(path, "not a MaskGAN Studio project (no project.json inside)") from None
    except (ValueError, zipfile.BadZipFile, zlib.error) as exc:
        raise InputFileError(path, f"damaged project: project.json unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputFileError(path, "not a MaskGAN Studio project (unknown format)")
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise InputFileError(path, f"project version {version!r} is newer than this program reads ({VERSION})")
    return manifest


def load_project(path: str | os.PathLike) -> ProjectState:
    """Read a whole project or raise ``InputFileError``; nothing is returned half-read."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputFileError(path, "cannot read: permission denied") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputFileError(path, "not a MaskGAN Studio project (not a zip archive)") from None
    with archive:
        manifest = _manifest(path, archive)
        names = set(archive.namelist())
        state = ProjectState(
            source_image=_decode(path, archive, "source.png", "RGB"),
            source_mask=_decode(path, archive, "source_mask.png", "L"),
            edited_mask=_decode(path, archive, "edited_mask.png", "L"),
            settings=EditSettings.from_dict(manifest.get("settings") or {}),
            extra=manifest.get("extra") if isinstance(manifest.get("extra"), dict) else {},
        )
        if {"reference.png", "reference_mask.png"} <= names:
            state.reference_image = _decode(path, archive, "reference.png", "RGB")
            state.reference_mask = _decode(path, archive, "reference_mask.png", "L")
        if "photo" in manifest:
            state.photo = _photo_frame(path, manifest["photo"], _decode(path, archive, "photo.png", "RGB"))
    _validate(path, state)
    return state


def _photo_frame(path, data, photo: np.ndarray) -> PhotoFrame:
    try:
        return PhotoFrame.from_dict(data, photo)
    except StudioError as exc:
        raise InputFileError(path, f"damaged project: {exc}") from None


def _validate(path, state: ProjectState) -> None:
    try:
        check_image(state.source_image)
        for mask in (state.source_mask, state.edited_mask):
            check_mask(mask)
        if state.reference_mask is not None:
            check_image(state.reference_image)
            check_mask(state.reference_mask)
    except StudioError as exc:
        raise InputFileError(path, f"damaged project: {exc}") from None
    shapes = {state.source_image.shape[:2], state.source_mask.shape, state.edited_mask.shape}
    if state.reference_mask is not None:
        shapes |= {state.reference_image.shape[:2], state.reference_mask.shape}
    if len(shapes) != 1:
        raise InputFileError(path, "damaged project: its images and masks differ in size")
    height, width = state.source_mask.shape
    if state.photo is not None and height != width:
        raise InputFileError(path, "damaged project: a face cut from a photo must be square")
