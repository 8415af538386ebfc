"""The inner face from face-mesh points: exact polygons for brows, eyes, nose, lips, mouth and face."""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.photos import landmarks as lm

SUBPIXEL_BITS = 4
_SCALE = 1 << SUBPIXEL_BITS


def fill_polygon(mask: np.ndarray, points: np.ndarray, value: int) -> None:
    """Fill in place, anti-alias free but placed to 1/16 px (``points`` are pixel centres)."""
    fixed = np.rint(points * _SCALE).astype(np.int32)
    cv2.fillPoly(mask, [fixed], int(value), lineType=cv2.LINE_8, shift=SUBPIXEL_BITS)


def polygon_mask(shape: tuple[int, int], points: np.ndarray) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    fill_polygon(mask, points, 1)
    return mask.astype(bool)


def face_oval(mesh: np.ndarray) -> np.ndarray:
    return mesh[list(lm.FACE_OVAL)]


def nose_outline(mesh: np.ndarray) -> np.ndarray:
    return cv2.convexHull(mesh[list(lm.NOSE)].astype(np.float32))[:, 0, :].astype(np.float64)


def grow(points: np.ndarray, factor: float) -> np.ndarray:
    """The outline scaled about its centroid (brows and eyes are drawn a little larger in
    CelebAMask-HQ than the mesh's contour)."""
    centre = points.mean(axis=0)
    return centre + (points - centre) * factor


def paint_face_parts(labels: np.ndarray, mesh: np.ndarray) -> None:
    """Paint, in place and in CelebAMask-HQ's order, the parts the mesh outlines exactly."""
    parts = (
        ("nose", nose_outline(mesh)),
        ("l_eye", grow(mesh[list(lm.LEFT_EYE)], 1.1)),
        ("r_eye", grow(mesh[list(lm.RIGHT_EYE)], 1.1)),
        ("l_brow", grow(mesh[list(lm.LEFT_BROW)], 1.1)),
        ("r_brow", grow(mesh[list(lm.RIGHT_BROW)], 1.1)),
        ("mouth", mesh[list(lm.MOUTH_INSIDE)]),
        ("u_lip", mesh[list(lm.UPPER_LIP)]),
        ("l_lip", mesh[list(lm.LOWER_LIP)]),
    )
    for name, points in parts:
        fill_polygon(labels, points, ID[name])
