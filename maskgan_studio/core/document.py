"""The mask document: what the user edits, with no knowledge of Qt.

It holds the source photo and its mask, the edited mask, an optional style reference (another
face and its mask), the edit settings and, for a face cut from a larger photograph, the
``PhotoFrame`` (the full photo and the transform) that lets the edit go back into it. Every
change emits an event on ``document.events``:

- ``mask(rect)``: pixels of the edited mask inside ``rect`` changed;
- ``source()``: a new source photo and mask (everything else was reset too);
- ``reference()``: the style reference was set or cleared;
- ``style_map()``: the style per region (``style_map``: which class takes its style from which
  face of ``gallery``, a ``core.style_gallery.StyleGallery`` with its own events) changed;
- ``settings(changed)``: the names of the settings that changed;
- ``modified(modified)``: the unsaved-changes flag flipped.

Views observe these events and write back only through the document's methods.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from maskgan_studio.core.arrays import check_image, check_mask, resize_image, resize_mask
from maskgan_studio.core.events import EventGroup
from maskgan_studio.core.geometry import Rect
from maskgan_studio.core.settings import check_settings, parse_settings
from maskgan_studio.core.style_gallery import StyleGallery
from maskgan_studio.core.style_map import StyleMap
from maskgan_studio.core.strokes import StrokeAtom
from maskgan_studio.errors import StudioError

if TYPE_CHECKING:
    from maskgan_studio.core.photo_frame import PhotoFrame


@dataclass(frozen=True)
class EditSettings:
    """How the result is made and how the mask is shown (saved in projects); values are
    checked by ``core.settings.check_settings`` whenever one is made."""

    paste_back: bool = True
    feather: int = 8
    strength: float = 1.0
    mask_opacity: float = 0.6
    show_photo: bool = True
    highlight_changes: bool = False
    photo_texture: bool = True  # the texture stage redraws the edited region from the photo's own patches

    def __post_init__(self):
        check_settings(self.to_dict())

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> EditSettings:
        """Settings read from a file: known names checked (``StudioError`` otherwise), missing
        ones at their defaults, unknown ones ignored."""
        return cls(**parse_settings(data))


def fit_image(image: np.ndarray, mask_shape: tuple[int, int], what: str = "image") -> np.ndarray:
    """The photo resized to its mask's size; a different aspect ratio is refused."""
    height, width = mask_shape
    if image.shape[:2] == (height, width):
        return image
    if abs(image.shape[1] / image.shape[0] - width / height) > 0.02:
        raise StudioError(
            f"{what} is {image.shape[1]}x{image.shape[0]} but its mask is {width}x{height}: "
            "they must have the same shape"
        )
    return resize_image(image, height, width)


class MaskDocument:
    """Source photo + mask, the edited mask, an optional style reference, the style per region, settings."""

    def __init__(self, source_image: np.ndarray, source_mask: np.ndarray,
                 edited_mask: np.ndarray | None = None, settings: EditSettings | None = None,
                 photo: PhotoFrame | None = None):
        self.events = EventGroup("mask", "source", "reference", "style_map", "settings", "modified")
        self.settings = settings or EditSettings()
        self.reference_image: np.ndarray | None = None
        self.reference_mask: np.ndarray | None = None
        self.gallery = StyleGallery()
        self.style_map = StyleMap()
        self.mask_version = 0    # counts changes of the edited mask
        self.style_version = 0   # counts changes of the face the style comes from (source, reference)
        self.revision = 0
        self.modified = False
        self._set_source(source_image, source_mask, edited_mask, photo)
        self._saved = self._snapshot()

    def _set_source(self, image, mask, edited, photo) -> None:
        self.source_mask = check_mask(mask, what="source mask")
        self.source_image = check_image(fit_image(check_image(image, "source image"), mask.shape))
        edited = self.source_mask.copy() if edited is None else check_mask(edited, what="edited mask").copy()
        if edited.shape != self.source_mask.shape:
            raise StudioError(f"edited mask is {edited.shape[1]}x{edited.shape[0]}, "
                              f"source mask {mask.shape[1]}x{mask.shape[0]}")
        if photo is not None and mask.shape[0] != mask.shape[1]:
            raise StudioError(f"a face cut from a photo is square, this mask is {mask.shape[1]}x{mask.shape[0]}")
        self.edited_mask = edited
        self.photo = photo

    @property
    def shape(self) -> tuple[int, int]:
        return self.source_mask.shape

    def replace_source(self, image: np.ndarray, mask: np.ndarray, edited_mask: np.ndarray | None = None,
                       photo: PhotoFrame | None = None) -> None:
        """A new face: the edited mask restarts from ``edited_mask`` (default: the source mask);
        ``photo`` is the full photograph the face was cut from, if any.

        A reference whose size no longer matches is dropped."""
        self._set_source(image, mask, edited_mask, photo)
        if self.reference_mask is not None and self.reference_mask.shape != self.shape:
            self.reference_image = self.reference_mask = None
            self.events.reference.emit()
        self.mask_version += 1
        self.style_version += 1
        self.revision += 1
        self.events.source.emit()
        self.set_modified(False)

    def set_reference(self, image: np.ndarray | None, mask: np.ndarray | None) -> None:
        """The style reference (another face); its mask is resized to ours (nearest label)."""
        if image is None or mask is None:
            self.reference_image = self.reference_mask = None
        else:
            mask = check_mask(mask, what="reference mask")
            image = check_image(fit_image(check_image(image, "reference image"), mask.shape, "reference image"))
            height, width = self.shape
            if mask.shape != (height, width):
                mask = resize_mask(mask, height, width)
                image = resize_image(image, height, width)
            self.reference_image, self.reference_mask = image, mask
        self.style_version += 1
        self.events.reference.emit()
        self.set_modified(True)

    def set_style_map(self, style_map: StyleMap) -> None:
        """Which classes take their style from which gallery face; every face it names must be in
        ``gallery`` (StudioError otherwise, and nothing changes)."""
        self.gallery.in_use(style_map)
        if style_map == self.style_map:
            return
        self.style_map = style_map
        self.events.style_map.emit()
        self.set_modified(True)

    def update_settings(self, **changes) -> None:
        """Bad values raise ``StudioError`` (``core.settings``) and change nothing."""
        settings = dataclasses.replace(self.settings, **changes)
        changed = {k for k, v in changes.items() if getattr(self.settings, k) != v}
        if not changed:
            return
        self.settings = settings
        self.events.settings.emit(changed=changed)
        self.set_modified(True)

    def notify_mask_changed(self, rect: Rect) -> None:
        """Called by whoever wrote into ``edited_mask`` (strokes, atoms)."""
        self.mask_version += 1
        self.events.mask.emit(rect=rect)
        self.set_modified(True)

    def apply_atom(self, atom: StrokeAtom, undo: bool = False) -> None:
        """Write an atom's before (undo) or after (redo) labels back."""
        self.edited_mask[atom.rect.slices] = atom.before if undo else atom.after
        self.notify_mask_changed(atom.rect)

    def reset_edits(self) -> StrokeAtom | None:
        """Back to the source mask; returns the atom that undoes it, or None if nothing changed."""
        return self.replace_edited_mask(self.source_mask, "Reset edits")

    def replace_edited_mask(self, mask: np.ndarray, label: str) -> StrokeAtom | None:
        """Make ``mask`` the edited mask as one change; returns its undo atom (the tight changed
        rectangle), or None when nothing changed."""
        mask = check_mask(mask, what="new mask")
        if mask.shape != self.shape:
            raise StudioError(f"the new mask is {mask.shape[1]}x{mask.shape[0]}, "
                              f"the document {self.shape[1]}x{self.shape[0]}")
        atom = StrokeAtom.between(self.edited_mask, mask, label)
        if atom is not None:
            self.apply_atom(atom)
        return atom

    def mark_unsaved(self) -> None:
        """The work is in no file (recovered after a crash): unsaved until it is saved."""
        self._saved = None
        self.set_modified(True)

    def _matches_saved(self) -> bool:
        if self._saved is None:
            return False
        mask, style = self._saved
        return style == self._style_state() and np.array_equal(mask, self.edited_mask)

    def _style_state(self) -> tuple:
        return self.settings, self.style_version, self.style_map

    def _snapshot(self) -> tuple:
        return self.edited_mask.copy(), self._style_state()

    def changed_pixels(self) -> np.ndarray:
        return self.edited_mask != self.source_mask

    def set_modified(self, modified: bool) -> None:
        """Every change calls this with True, so ``revision`` counts changes of any kind. A change
        that brings the work back to what was last saved (e.g. erasing back to the original) is
        not an unsaved change."""
        if modified:
            self.revision += 1
            modified = not self._matches_saved()
        else:
            self._saved = self._snapshot()
        if modified != self.modified:
            self.modified = modified
            self.events.modified.emit(modified=modified)
