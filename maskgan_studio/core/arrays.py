"""The one home of array checks and of resampling, for the editor, the engine and training alike.

Images are uint8 (H, W, 3) RGB; masks uint8 (H, W) class ids. Resampling follows one rule, so
that training and inference feed the networks the same pixels for the same face: images shrink
with area averaging (no aliasing) and grow bicubically; masks take the nearest pixel
(``INTER_NEAREST``, what the bundled model was trained on), so they keep exact class ids.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.errors import StudioError
from maskgan_studio.labels import MAX_ID


class ArrayError(StudioError, ValueError):
    """An array of the wrong kind: one line for a user's file, a ValueError for a caller's bug."""


def check_image(image: np.ndarray, what: str = "image") -> np.ndarray:
    """A contiguous uint8 (H, W, 3) image, or ArrayError."""
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ArrayError(f"{what} must be 8-bit RGB (H, W, 3), got {image.dtype} {image.shape}")
    return np.ascontiguousarray(image)


def check_mask(mask: np.ndarray, shape: tuple[int, int] | None = None, what: str = "mask") -> np.ndarray:
    """A contiguous uint8 (H, W) map of class ids (of ``shape`` when given), or ArrayError."""
    mask = np.asarray(mask)
    if mask.dtype != np.uint8 or mask.ndim != 2:
        raise ArrayError(f"{what} must be an 8-bit label map (H, W), got {mask.dtype} {mask.shape}")
    if shape is not None and mask.shape != tuple(shape):
        raise ArrayError(f"{what} is {mask.shape[1]}x{mask.shape[0]}, the source is {shape[1]}x{shape[0]}")
    if mask.size and int(mask.max()) > MAX_ID:
        raise ArrayError(f"{what} holds class id {int(mask.max())}; ids run 0-{MAX_ID}")
    return np.ascontiguousarray(mask)


def resize_image(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 (H, W, 3) -> uint8 (height, width, 3): area when shrinking, bicubic when growing."""
    if image.shape[:2] == (height, width):
        return image
    shrinking = height * width < image.shape[0] * image.shape[1]
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
    return cv2.resize(image, (width, height), interpolation=interpolation)


def resize_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 (H, W) ids -> (height, width), nearest pixel."""
    if mask.shape == (height, width):
        return mask
    return cv2.resize(mask, (width, height), interpolation=cv2.INTER_NEAREST)
