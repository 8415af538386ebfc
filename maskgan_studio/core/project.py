"""Project files (``.maskgan``): one zip holding everything needed to resume an edit.

Entries: ``project.json`` (format name, version, settings, free-form ``extra``),
``source.png``, ``source_mask.png``, ``edited_mask.png`` and, when a style reference is set,
``reference.png`` and ``reference_mask.png``; for a face cut from a photograph, ``photo.png``
(the full photo) with its transform under ``photo`` in ``project.json``; for a style per region,
the map and the names of the gallery faces it uses under ``style`` in ``project.json`` and each
such face as ``style/<key>.png`` and ``style/<key>_mask.png``. Entries that a reader
does not know are ignored, so older projects open unchanged. Masks are 8-bit greyscale PNGs of
class ids.
Written atomically; a broken or foreign file raises ``InputFileError`` and nothing is loaded.
Declared sizes are checked before decompressing (``MAX_ENTRY_BYTES``, ``MAX_PIXELS``), and
settings through ``core.settings``, so no file can exhaust memory or hand the editor a bad value.
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

from maskgan_studio.core.arrays import check_image, check_mask
from maskgan_studio.core.document import EditSettings, MaskDocument
from maskgan_studio.core.photo_frame import PhotoFrame
from maskgan_studio.core.style_gallery import StyleFace
from maskgan_studio.core.style_map import StyleMap
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
    style_map: StyleMap = field(default_factory=StyleMap)
    style_faces: tuple[StyleFace, ...] = ()   # the gallery faces ``style_map`` names

    @classmethod
    def of(cls, document: MaskDocument, extra: dict | None = None) -> ProjectState:
        """A snapshot (copies; the read-only photo frame is shared) of ``document``, safe to
        write from another thread."""
        copy = lambda a: None if a is None else a.copy()  # noqa: E731
        return cls(document.source_image.copy(), document.source_mask.copy(),
                   document.edited_mask.copy(), document.settings,
                   copy(document.reference_image), copy(document.reference_mask), dict(extra or {}),
                   document.photo, document.style_map, document.gallery.in_use(document.style_map))

    def to_document(self) -> MaskDocument:
        document = MaskDocument(self.source_image, self.source_mask, self.edited_mask, self.settings, self.photo)
        self.apply_to(document)
        return document

    def apply_to(self, document: MaskDocument) -> None:
        """Load this state into an existing document (its views stay connected)."""
        document.replace_source(self.source_image, self.source_mask, self.edited_mask, self.photo)
        document.set_reference(self.reference_image, self.reference_mask)
        document.update_settings(**self.settings.to_dict())
        document.gallery.add_all(self.style_faces)
        document.set_style_map(self.style_map)
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
    if state.style_map:
        manifest["style"] = {"map": state.style_map.to_dict(), "faces": {f.key: f.name for f in state.style_faces}}
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
    for face in state.style_faces:
        entries[f"style/{face.key}.png"] = _png(face.image)
        entries[f"style/{face.key}_mask.png"] = _png(face.mask)
    with atomic_write(path, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


MAX_ENTRY_BYTES = 512 * 2**20
"""The most one entry may declare (a large photo's PNG is well under it)."""
MAX_MANIFEST_BYTES = 2**20
MAX_PIXELS = 100_000_000
"""The most pixels one image may declare (a 10000 x 10000 photo)."""


def _entry(path, archive: zipfile.ZipFile, name: str, limit: int) -> zipfile.ZipInfo:
    """The entry's declared size is checked before anything is decompressed."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise InputFileError(path, f"damaged project: {name} is missing") from None
    if info.file_size > limit:
        raise InputFileError(path, f"refused: {name} declares {info.file_size / 2**20:,.0f} MiB, more than a "
                                   f"project entry may hold ({limit / 2**20:,.0f} MiB)")
    return info


def _png_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR; None when ``head`` is not a PNG's start (the decoder then
    says what is wrong)."""
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _decode(path, archive: zipfile.ZipFile, name: str, mode: str, size: tuple[int, int] | None = None) -> np.ndarray:
    """One PNG entry as an array; its header's dimensions are checked (against ``MAX_PIXELS`` and
    the expected ``size`` (width, height)) before its pixels are decoded."""
    info = _entry(path, archive, name, MAX_ENTRY_BYTES)
    try:
        with archive.open(info) as stream:
            declared = _png_size(stream.read(24))
            if declared is not None:
                width, height = declared
                if width * height > MAX_PIXELS:
                    raise InputFileError(path, f"refused: {name} declares {width}x{height} pixels, more than "
                                               f"{MAX_PIXELS // 1_000_000} million")
                if size is not None and declared != size:
                    raise InputFileError(path, "damaged project: its images and masks differ in size")
            stream.seek(0)
            with Image.open(stream, formats=["PNG"]) as image:
                image.load()
                if image.mode != mode:
                    raise InputFileError(path, f"damaged project: {name} is {image.mode}, expected {mode}")
                return np.asarray(image).copy()
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error, zipfile.BadZipFile) as exc:
        raise InputFileError(path, f"damaged project: cannot decode {name} ({exc})") from None


def _manifest(path, archive: zipfile.ZipFile) -> dict:
    try:
        info = archive.getinfo(_MANIFEST)
    except KeyError:
        raise InputFileError(path, "not a MaskGAN Studio project (no project.json inside)") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise InputFileError(path, f"refused: project.json declares {info.file_size:,} bytes")
    try:
        manifest = json.loads(archive.read(info))
    except (ValueError, zipfile.BadZipFile, zlib.error) as exc:
        raise InputFileError(path, f"damaged project: project.json unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputFileError(path, "not a MaskGAN Studio project (unknown format)")
    version = manifest.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputFileError(path, f"damaged project: version {version!r} is not a project version number")
    if version > VERSION:
        raise InputFileError(path, f"project version {version} is newer than this program reads ({VERSION})")
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
        try:
            settings = EditSettings.from_dict(manifest.get("settings", {}))
        except StudioError as exc:
            raise InputFileError(path, f"refused: {exc}") from None
        names = set(archive.namelist())
        source_image = _decode(path, archive, "source.png", "RGB")
        size = source_image.shape[1::-1]
        state = ProjectState(
            source_image=source_image,
            source_mask=_decode(path, archive, "source_mask.png", "L", size),
            edited_mask=_decode(path, archive, "edited_mask.png", "L", size),
            settings=settings,
            extra=manifest.get("extra") if isinstance(manifest.get("extra"), dict) else {},
        )
        if {"reference.png", "reference_mask.png"} <= names:
            state.reference_image = _decode(path, archive, "reference.png", "RGB", size)
            state.reference_mask = _decode(path, archive, "reference_mask.png", "L", size)
        if "photo" in manifest:
            state.photo = _photo_frame(path, manifest["photo"], _decode(path, archive, "photo.png", "RGB"))
        if "style" in manifest:
            state.style_map, state.style_faces = _style(path, archive, manifest["style"])
    _validate(path, state)
    return state


def _photo_frame(path, data, photo: np.ndarray) -> PhotoFrame:
    try:
        return PhotoFrame.from_dict(data, photo)
    except StudioError as exc:
        raise InputFileError(path, f"damaged project: {exc}") from None


def _style(path, archive: zipfile.ZipFile, data) -> tuple[StyleMap, tuple[StyleFace, ...]]:
    """The style map and the faces it names, each checked against the key it is stored under."""
    names = data.get("faces") if isinstance(data, dict) else None
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise InputFileError(path, "damaged project: style has no faces")
    try:
        style_map = StyleMap.from_dict(data.get("map"))
        faces = []
        for key, name in names.items():
            face = StyleFace.of(_decode(path, archive, f"style/{key}.png", "RGB"),
                                _decode(path, archive, f"style/{key}_mask.png", "L"), name)
            if face.key != key:
                raise StudioError(f"style face {name!r} does not match its key {key}")
            faces.append(face)
        missing = set(style_map.keys) - {face.key for face in faces}
        if missing:
            raise StudioError(f"the style map names faces the project lacks: {', '.join(sorted(missing))}")
    except InputFileError:
        raise
    except StudioError as exc:
        raise InputFileError(path, f"damaged project: {exc}") from None
    return style_map, tuple(faces)


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
