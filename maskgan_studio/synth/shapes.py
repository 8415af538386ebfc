"""Geometry for drawing face parts: the face's pose, smooth outlines and painting helpers.

Parts are described in *face coordinates*: the origin lies between the eyes, x points to the
image's right, y down, and 1.0 is the image width for an upright face at scale 1. A ``Pose``
maps them to pixels, so the same part drawers serve the mask generator (random poses) and
the edits (poses estimated from a mask).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

_SUBPIXEL_BITS = 4  # cv2 fill precision: 1/16 px, so small parts keep their shape


@dataclass(frozen=True)
class Pose:
    cx: float  # pixel position of the face origin
    cy: float
    scale: float  # pixels per face unit
    roll: float  # radians, clockwise on screen

    def to_pixels(self, points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        c, s = math.cos(self.roll), math.sin(self.roll)
        x = points[:, 0] * c - points[:, 1] * s
        y = points[:, 0] * s + points[:, 1] * c
        return np.stack([self.cx + self.scale * x, self.cy + self.scale * y], axis=1)

    def to_face(self, pixels: np.ndarray) -> np.ndarray:
        pixels = np.asarray(pixels, dtype=np.float64).reshape(-1, 2)
        x = (pixels[:, 0] - self.cx) / self.scale
        y = (pixels[:, 1] - self.cy) / self.scale
        c, s = math.cos(self.roll), math.sin(self.roll)
        return np.stack([x * c + y * s, -x * s + y * c], axis=1)

    def face_grid(self, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """Face coordinates (u, v) of every pixel centre, float32 arrays of ``shape``."""
        ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
        xs = (xs - self.cx) / self.scale
        ys = (ys - self.cy) / self.scale
        c, s = math.cos(self.roll), math.sin(self.roll)
        return xs * c + ys * s, -xs * s + ys * c


def catmull_rom(points, closed: bool = True, steps: int = 10) -> np.ndarray:
    """A smooth curve through ``points`` (N, 2): Catmull-Rom, ``steps`` samples per segment."""
    p = np.asarray(points, dtype=np.float64)
    if closed:
        ext = np.concatenate([p[-1:], p, p[:2]])
    else:
        ext = np.concatenate([2 * p[:1] - p[1:2], p, 2 * p[-1:] - p[-2:-1]])
    t = np.linspace(0, 1, steps, endpoint=False)[:, None]
    t2, t3 = t * t, t * t * t
    segments = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        segments.append(
            0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (3 * p1 - p0 - 3 * p2 + p3) * t3)
        )
    if not closed:
        segments.append(p[-1:])
    return np.concatenate(segments)


def mirrored(half) -> np.ndarray:
    """A closed outline from its right half (top to bottom, x >= 0): mirrored onto the left."""
    half = np.asarray(half, dtype=np.float64)
    left = half[::-1].copy()
    left[:, 0] *= -1
    keep = np.abs(left[:, 0]) > 1e-9
    return np.concatenate([half, left[keep]])


def ellipse(center, axes, steps: int = 32, start: float = 0.0, end: float = 2 * math.pi) -> np.ndarray:
    t = np.linspace(start, end, steps, endpoint=False)
    return np.stack([center[0] + axes[0] * np.cos(t), center[1] + axes[1] * np.sin(t)], axis=1)


def _fixed(pixels: np.ndarray) -> np.ndarray:
    return np.round(pixels * (1 << _SUBPIXEL_BITS)).astype(np.int32).reshape(-1, 1, 2)


def _fill(canvas: np.ndarray, pose: Pose, outline, value: int) -> None:
    cv2.fillPoly(canvas, [_fixed(pose.to_pixels(outline) - 0.5)], value, cv2.LINE_8, _SUBPIXEL_BITS)


def polygon_mask(shape, pose: Pose, outline) -> np.ndarray:
    """A uint8 0/1 mask of ``outline`` (face coordinates) drawn in ``pose``."""
    canvas = np.zeros(shape, np.uint8)
    _fill(canvas, pose, outline, 1)
    return canvas


def stroke_mask(shape, pose: Pose, curve, thickness: float) -> np.ndarray:
    """A uint8 0/1 mask of an open polyline ``curve`` of ``thickness`` face units."""
    canvas = np.zeros(shape, np.uint8)
    width = max(1, int(round(thickness * pose.scale)))
    cv2.polylines(canvas, [_fixed(pose.to_pixels(curve) - 0.5)], False, 1, width, cv2.LINE_8, _SUBPIXEL_BITS)
    return canvas


def label_set(mask: np.ndarray, labels) -> np.ndarray:
    """Bool map of the pixels whose id is in ``labels`` (a look-up table: faster than np.isin)."""
    table = np.zeros(256, np.uint8)
    table[list(labels)] = 1
    return cv2.LUT(mask, table).view(bool)


def paint(mask: np.ndarray, region: np.ndarray, label: int, over=None) -> None:
    """Set ``region`` pixels of ``mask`` to ``label``; only over the ids in ``over`` if given."""
    where = region.astype(bool, copy=False)
    if over is not None:
        where = where & label_set(mask, over)
    mask[where] = label


def paint_polygon(mask, pose, outline, label, over=None) -> None:
    if over is None:
        _fill(mask, pose, outline, label)
    else:
        paint(mask, polygon_mask(mask.shape, pose, outline), label, over)


def paint_stroke(mask, pose, curve, thickness, label, over=None) -> None:
    paint(mask, stroke_mask(mask.shape, pose, curve, thickness), label, over)
