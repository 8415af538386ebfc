"""Specks and ragged borders out of a pixel-wise mask, as a person would draw it.

GrabCut and the colour models decide pixel by pixel, so fair hair against a forehead or a busy
backdrop leaves islands of a few pixels and frayed borders between hair, skin and background.
CelebAMask-HQ's masks are drawn: regions are whole and their outlines smooth. Islands too small to
be drawn take the label that surrounds them most, then each pixel takes the label most common in a
small window around it.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_AREA = 0.004
"""Islands under this share of the face's height squared (90 px for a face 150 px high) are specks."""
WINDOW = 1 / 30
"""The majority window's side, as a share of the face's height (5 px for a face 150 px high)."""


def _absorb_islands(labels: np.ndarray, classes: tuple[int, ...], min_area: int) -> None:
    for class_id in classes:
        _, components, stats, _ = cv2.connectedComponentsWithStats((labels == class_id).astype(np.uint8))
        for index in np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] < min_area) + 1:
            left, top, width, height = stats[index, :4]
            box = np.s_[max(top - 1, 0) : top + height + 1, max(left - 1, 0) : left + width + 1]
            island = components[box] == index  # its bounding box and a pixel around: the rim's extent
            rim = cv2.dilate(island.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
            around = labels[box][rim & ~island]
            around = around[np.isin(around, classes)]
            if around.size:
                labels[box][island] = np.bincount(around).argmax()


def clean_regions(labels: np.ndarray, classes: tuple[int, ...], face_height: float) -> None:
    """In place: the pixels labelled one of ``classes`` lose specks and ragged borders among
    themselves; other labels neither change nor spread."""
    _absorb_islands(labels, classes, max(1, round(MIN_AREA * face_height**2)))
    window = max(3, round(WINDOW * face_height) | 1)
    votes = np.stack([cv2.blur((labels == c).astype(np.float32), (window, window)) for c in classes])
    majority = np.asarray(classes, labels.dtype)[votes.argmax(axis=0)]
    free = np.isin(labels, classes)
    labels[free] = majority[free]
