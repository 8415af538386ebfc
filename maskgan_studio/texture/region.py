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

from maskgan_studio.labels import ID, NUM_CLASSES
from maskgan_studio.texture.patchmatch import PAD_LABEL

GROW_FRACTION = 1 / 40
"""Region growth as a share of the image side (6 px at 256, 13 px at 512)."""
SOFT_BORDER_FRACTION = 1 / 256
"""Half the width of a soft border as a share of the image side (1 px at 256, 2 px at 512)."""


def grow_pixels(height: int, width: int) -> int:
    return max(3, round(max(height, width) * GROW_FRACTION))


def texture_region(source_mask: np.ndarray, edited_mask: np.ndarray, grow: int,
                   restyled: np.ndarray | None = None) -> np.ndarray:
    """bool (H, W): the pixels whose class changed, and those of ``restyled`` classes (bool
    (NUM_CLASSES,): styled from another face) in the edit, grown by ``grow`` pixels (a disk)."""
    changed = source_mask != edited_mask
    if restyled is not None:
        changed |= restyled[edited_mask]
    changed = changed.astype(np.uint8)
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


def soft_borders(edited_mask: np.ndarray, region: np.ndarray, lendable: np.ndarray | None = None) -> np.ndarray:
    """uint8 (H, W): for pixels of the region near a border of hair (the class whose edge a brush
    cannot draw: strands, flyaways), the class across that border, which the pixel may take
    instead when ``lendable`` (bool per class; default all) allows it; ``PAD_LABEL`` elsewhere.
    The texture stage then lets the photo's own hair edges decide the outline there, instead of
    the painted one."""
    lendable = np.ones(NUM_CLASSES, bool) if lendable is None else lendable
    alternative = np.full(edited_mask.shape, PAD_LABEL, np.uint8)
    hair = edited_mask == ID["hair"]
    if not hair.any() or hair.all():
        return alternative
    width = max(1.0, SOFT_BORDER_FRACTION * max(edited_mask.shape))
    for inside in (hair, ~hair):
        # each pixel of ``inside``: its distance to, and the nearest pixel of, the other side
        distance, nearest = cv2.distanceTransformWithLabels(
            inside.astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL)
        ys, xs = np.nonzero(~inside)
        band = inside & region & (distance <= width)
        across = edited_mask[ys[nearest[band] - 1], xs[nearest[band] - 1]]
        alternative[band] = np.where(lendable[across], across, PAD_LABEL)
    return alternative
