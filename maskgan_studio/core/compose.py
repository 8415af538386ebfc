"""Pictures made from a document for export: the before/after comparison sheet."""

from __future__ import annotations

import numpy as np

from maskgan_studio.labels import colorize

GAP = 8
GAP_COLOUR = (24, 24, 27)


def side_by_side(images: list[np.ndarray], gap: int = GAP) -> np.ndarray:
    """Equal-height RGB images in a row, ``gap`` pixels apart."""
    height = images[0].shape[0]
    if any(image.shape[0] != height for image in images):
        raise ValueError("side_by_side needs images of equal height")
    spacer = np.empty((height, gap, 3), dtype=np.uint8)
    spacer[:] = GAP_COLOUR
    parts = []
    for image in images:
        parts += [image, spacer]
    return np.concatenate(parts[:-1], axis=1)


def comparison_sheet(source_image: np.ndarray, result_image: np.ndarray,
                     source_mask: np.ndarray, edited_mask: np.ndarray, gap: int = GAP) -> np.ndarray:
    """Two rows: source photo | edited result, then source mask | edited mask (coloured)."""
    photos = side_by_side([source_image, result_image], gap)
    masks = side_by_side([colorize(source_mask), colorize(edited_mask)], gap)
    spacer = np.empty((gap, photos.shape[1], 3), dtype=np.uint8)
    spacer[:] = GAP_COLOUR
    return np.concatenate([photos, spacer, masks], axis=0)
