"""Painting operations on label masks (numpy and OpenCV, in place, each returning its dirty rect).

The brush is exact and resolution-independent: a round brush of diameter ``size`` dragged from
``p0`` to ``p1`` covers every pixel whose centre lies within ``size / 2`` of that segment, plus
the pixels under the two end points (so a 1-pixel brush never paints nothing). Points are in
mask pixel coordinates, ``(x, y)``, where pixel ``(col, row)`` spans ``[col, col + 1)``.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.core.geometry import Rect

MIN_BRUSH = 1
MAX_BRUSH = 256

Point = tuple[float, float]


def brush_footprint(shape: tuple[int, ...], p0: Point, p1: Point, size: float) -> tuple[Rect, np.ndarray]:
    """The pixels a round brush of diameter ``size`` covers along ``p0 -> p1``.

    Returns the clipped bounding rect and a boolean array of that rect's shape.
    """
    radius = max(float(size), 1.0) / 2.0
    (ax, ay), (bx, by) = p0, p1
    rect = Rect(
        int(np.floor(min(ay, by) - radius)), int(np.floor(min(ax, bx) - radius)),
        int(np.ceil(max(ay, by) + radius)) + 1, int(np.ceil(max(ax, bx) + radius)) + 1,
    ).clip(shape)
    if rect.is_empty:
        return rect, np.zeros((0, 0), dtype=bool)
    ys = np.arange(rect.y0, rect.y1, dtype=np.float32)[:, None] + 0.5
    xs = np.arange(rect.x0, rect.x1, dtype=np.float32)[None, :] + 0.5
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 > 0:
        t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / length2, 0.0, 1.0)
        dist2 = (xs - (ax + t * dx)) ** 2 + (ys - (ay + t * dy)) ** 2
    else:
        dist2 = (xs - ax) ** 2 + (ys - ay) ** 2
    covered = dist2 <= radius * radius
    for x, y in (p0, p1):
        row, col = int(np.floor(y)) - rect.y0, int(np.floor(x)) - rect.x0
        if 0 <= row < covered.shape[0] and 0 <= col < covered.shape[1]:
            covered[row, col] = True
    return rect, covered


def paint_segment(mask: np.ndarray, p0: Point, p1: Point, size: float, class_id: int) -> Rect:
    """Paint ``class_id`` along the segment; returns the rect that may have changed."""
    rect, covered = brush_footprint(mask.shape, p0, p1, size)
    if not rect.is_empty:
        mask[rect.slices][covered] = class_id
    return rect


def copy_segment(mask: np.ndarray, source: np.ndarray, p0: Point, p1: Point, size: float) -> Rect:
    """Copy ``source``'s labels into ``mask`` under the brush (eraser: the source mask; clone:
    the reference mask)."""
    rect, covered = brush_footprint(mask.shape, p0, p1, size)
    if not rect.is_empty:
        mask[rect.slices][covered] = source[rect.slices][covered]
    return rect


def flood_fill(mask: np.ndarray, point: Point, class_id: int) -> Rect:
    """Fill the 4-connected region of equal labels around ``point`` with ``class_id``."""
    height, width = mask.shape
    col, row = int(np.floor(point[0])), int(np.floor(point[1]))
    if not (0 <= row < height and 0 <= col < width) or mask[row, col] == class_id:
        return Rect.empty()
    border = np.zeros((height + 2, width + 2), dtype=np.uint8)
    _, _, _, (x, y, w, h) = cv2.floodFill(mask, border, (col, row), int(class_id), 0, 0, 4)
    return Rect(y, x, y + h, x + w)


def label_at(mask: np.ndarray, point: Point) -> int | None:
    """The class under ``point``, or None outside the mask."""
    col, row = int(np.floor(point[0])), int(np.floor(point[1]))
    if 0 <= row < mask.shape[0] and 0 <= col < mask.shape[1]:
        return int(mask[row, col])
    return None


def changed_pixels(source_mask: np.ndarray, edited_mask: np.ndarray) -> np.ndarray:
    """Boolean map of the pixels the user changed."""
    return source_mask != edited_mask
