"""Paste-back: the generated picture replaces the source only where the mask changed.

The weight of the generated image is 1 on the changed pixels and on a thin ring around them
(``GROW_FRACTION`` of the image size: the anti-aliased class borders of the source belong to the
old shape), then falls smoothly to 0 over ``feather`` pixels. Everywhere the weight is 0 the
result is the source, bit for bit: an edit of the hair does not repaint the eyes.
"""

from __future__ import annotations

import cv2
import numpy as np

DEFAULT_FEATHER = 8
"""Pixels (of the source image) over which the generated picture fades into the source."""

GROW_FRACTION = 1 / 256
"""The changed region is grown by this fraction of the larger side (2 px at 512), at least 1 px."""


def grow_pixels(height: int, width: int) -> int:
    return max(1, round(max(height, width) * GROW_FRACTION))


def paste_weights(changed: np.ndarray, feather: float = DEFAULT_FEATHER) -> np.ndarray:
    """bool (H, W) changed pixels -> float32 (H, W) weight of the generated image, in [0, 1]."""
    if feather < 0:
        raise ValueError(f"feather must be 0 or more pixels, got {feather}")
    if not changed.any():
        return np.zeros(changed.shape, np.float32)
    # distance of every pixel to the nearest changed one (0 on changed pixels)
    distance = cv2.distanceTransform((~changed).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    outside = distance - grow_pixels(*changed.shape)
    if feather == 0:
        return (outside <= 0).astype(np.float32)
    ramp = np.clip(1.0 - outside / feather, 0.0, 1.0)
    return (ramp * ramp * (3.0 - 2.0 * ramp)).astype(np.float32)  # smoothstep: no visible seam


def paste_back(source: np.ndarray, generated: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """uint8 (H, W, 3) images and float (H, W) weights -> uint8; the source wherever weights are 0."""
    if source.shape != generated.shape or source.shape[:2] != weights.shape:
        raise ValueError(f"shapes differ: source {source.shape}, generated {generated.shape}, weights {weights.shape}")
    result = source.copy()
    inside = weights > 0
    w = weights[inside][:, None]
    mixed = generated[inside].astype(np.float32) * w + source[inside].astype(np.float32) * (1.0 - w)
    result[inside] = np.clip(np.rint(mixed), 0, 255).astype(np.uint8)
    return result
