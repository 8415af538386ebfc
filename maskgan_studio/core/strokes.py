"""Strokes and their undo atoms.

A ``Stroke`` paints into a document (brush, eraser, clone, line, fill) and, when it ends,
becomes one ``StrokeAtom``: the tight rectangle of changed pixels with its labels before and
after, zlib-compressed (label maps compress 10-50x), never a full-mask snapshot.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from maskgan_studio.core import painting
from maskgan_studio.core.geometry import Rect

if TYPE_CHECKING:
    from maskgan_studio.core.document import MaskDocument


@dataclass(frozen=True)
class StrokeAtom:
    """One undoable change: ``rect`` held ``before`` and now holds ``after``."""

    rect: Rect
    _before: bytes
    _after: bytes
    label: str = "Paint"

    @classmethod
    def from_arrays(cls, rect: Rect, before: np.ndarray, after: np.ndarray, label: str = "Paint") -> StrokeAtom:
        return cls(rect, zlib.compress(before.tobytes(), 1), zlib.compress(after.tobytes(), 1), label)

    @classmethod
    def between(cls, before: np.ndarray, after: np.ndarray, label: str = "Paint") -> StrokeAtom | None:
        """The atom turning a whole mask ``before`` into ``after`` (their tight changed
        rectangle), or None when they are equal."""
        rect = _tight(Rect.full(before.shape), before, after)
        if rect.is_empty:
            return None
        return cls.from_arrays(rect, before[rect.slices], after[rect.slices], label)

    def _unpack(self, data: bytes) -> np.ndarray:
        return np.frombuffer(zlib.decompress(data), dtype=np.uint8).reshape(self.rect.height, self.rect.width)

    @property
    def before(self) -> np.ndarray:
        return self._unpack(self._before)

    @property
    def after(self) -> np.ndarray:
        return self._unpack(self._after)

    @property
    def nbytes(self) -> int:
        return len(self._before) + len(self._after)


def _tight(rect: Rect, before: np.ndarray, after: np.ndarray) -> Rect:
    """Shrink ``rect`` to the rows and columns where ``before`` and ``after`` differ."""
    diff = before[rect.slices] != after[rect.slices]
    rows, cols = np.flatnonzero(diff.any(axis=1)), np.flatnonzero(diff.any(axis=0))
    if rows.size == 0:
        return Rect.empty()
    return Rect(rect.y0 + int(rows[0]), rect.x0 + int(cols[0]),
                rect.y0 + int(rows[-1]) + 1, rect.x0 + int(cols[-1]) + 1)


class Stroke:
    """Paints into ``document`` as the pointer moves; ``finish()`` returns the undo atom.

    The mask before the stroke is copied once at the start (a 512x512 mask copies in
    microseconds), so each dab costs only its own footprint.
    """

    def __init__(self, document: MaskDocument, label: str = "Paint"):
        self._document = document
        self._before = document.edited_mask.copy()
        self._rect = Rect.empty()
        self.label = label

    def _changed(self, rect: Rect) -> Rect:
        if not rect.is_empty:
            self._rect = self._rect.union(rect)
            self._document.notify_mask_changed(rect)
        return rect

    def paint(self, p0: painting.Point, p1: painting.Point, size: float, class_id: int) -> Rect:
        return self._changed(painting.paint_segment(self._document.edited_mask, p0, p1, size, class_id))

    def erase(self, p0: painting.Point, p1: painting.Point, size: float) -> Rect:
        """Restore the source mask under the brush."""
        doc = self._document
        return self._changed(painting.copy_segment(doc.edited_mask, doc.source_mask, p0, p1, size))

    def clone(self, p0: painting.Point, p1: painting.Point, size: float) -> Rect:
        """Copy the reference mask under the brush (no reference: nothing happens)."""
        doc = self._document
        if doc.reference_mask is None:
            return Rect.empty()
        return self._changed(painting.copy_segment(doc.edited_mask, doc.reference_mask, p0, p1, size))

    def fill(self, point: painting.Point, class_id: int) -> Rect:
        return self._changed(painting.flood_fill(self._document.edited_mask, point, class_id))

    def finish(self) -> StrokeAtom | None:
        """The atom for everything this stroke changed, or None when nothing changed."""
        after = self._document.edited_mask
        rect = _tight(self._rect, self._before, after)
        if rect.is_empty:
            return None
        return StrokeAtom.from_arrays(rect, self._before[rect.slices], after[rect.slices], self.label)
