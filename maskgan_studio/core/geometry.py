"""Half-open pixel rectangles: the unit of dirty regions and undo atoms."""

from __future__ import annotations

from typing import NamedTuple


class Rect(NamedTuple):
    """Rows ``y0:y1`` and columns ``x0:x1`` (half-open), in mask pixels."""

    y0: int
    x0: int
    y1: int
    x1: int

    @classmethod
    def empty(cls) -> Rect:
        return cls(0, 0, 0, 0)

    @classmethod
    def full(cls, shape: tuple[int, ...]) -> Rect:
        return cls(0, 0, int(shape[0]), int(shape[1]))

    @property
    def is_empty(self) -> bool:
        return self.y1 <= self.y0 or self.x1 <= self.x0

    @property
    def height(self) -> int:
        return max(0, self.y1 - self.y0)

    @property
    def width(self) -> int:
        return max(0, self.x1 - self.x0)

    @property
    def slices(self) -> tuple[slice, slice]:
        return slice(self.y0, self.y1), slice(self.x0, self.x1)

    def union(self, other: Rect) -> Rect:
        if self.is_empty:
            return other
        if other.is_empty:
            return self
        return Rect(min(self.y0, other.y0), min(self.x0, other.x0),
                    max(self.y1, other.y1), max(self.x1, other.x1))

    def clip(self, shape: tuple[int, ...]) -> Rect:
        height, width = int(shape[0]), int(shape[1])
        clipped = Rect(max(self.y0, 0), max(self.x0, 0), min(self.y1, height), min(self.x1, width))
        return clipped if not clipped.is_empty else Rect.empty()
