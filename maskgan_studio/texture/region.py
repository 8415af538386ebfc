"""Where the texture stage works, and how its result fades into the photo.

The region is the changed pixels grown by ``grow`` pixels into every class around them, so that
the new shape's borders (new hair against the background) are themselves redrawn from the
photo's own borders rather than cut along the painted outline. The result takes the region
fully except for its outer ``feather`` pixels, where it fades into the photo; outside the
region the photo stays bit for bit.
"""

from __future__ import annotations

import cv2
import numpy as np

GROW_FRACTION = 1 / 40
"""Region growth as a share of the image side (6 px at 256, 13 px at 512)."""


def grow_pixels(height: int, width: int) -> int:
    return max(3, round(max(height, width) * GROW_FRACTION))


def texture_region(source_mask: np.ndarray, edited_mask: np.ndarray, grow: int) -> np.ndarray:
    """bool (H, W): the pixels whose class changed, grown by ``grow`` pixels (a disk)."""
    changed = (source_mask != edited_mask).astype(np.uint8)
    if grow <= 0 or not changed.any():
        return changed.astype(bool)
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
    return cv2.dilate(changed, disk).astype(bool)


def fade_weights(region: np.ndarray, feather: float) -> np.ndarray:
    """float32 (H, W): 1 deep inside the region, a smoothstep to 0 over its outer ``feather`` px,
    exactly 0 outside it."""
    if not region.any():
        return np.zeros(region.shape, np.float32)
    inside = cv2.distanceTransform(region.astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    ramp = np.clip(inside / max(feather, 1e-6), 0.0, 1.0)
    return np.where(region, ramp * ramp * (3.0 - 2.0 * ramp), 0.0).astype(np.float32)


def boundary_distance(mask: np.ndarray, limit: float) -> np.ndarray:
    """float32 (H, W): each pixel's distance to the nearest pixel of another class, clipped at
    ``limit`` and divided by it (0 on a border, 1 deep inside a class)."""
    border = np.zeros(mask.shape, bool)
    border[:, 1:] |= mask[:, 1:] != mask[:, :-1]
    border[:, :-1] |= mask[:, 1:] != mask[:, :-1]
    border[1:, :] |= mask[1:, :] != mask[:-1, :]
    border[:-1, :] |= mask[1:, :] != mask[:-1, :]
    if not border.any():
        return np.ones(mask.shape, np.float32)
    distance = cv2.distanceTransform((~border).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return np.minimum(distance / limit, 1.0).astype(np.float32)
