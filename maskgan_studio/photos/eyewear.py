"""Sunglasses: dark lenses where the eyes should be.

A lens hides the eye, so CelebAMask-HQ labels it eyeglasses and has no eye there. An eye is
taken as hidden when it and the skin under it are much darker than the cheeks (an open eye
shows its white and the iris's highlight; a lens shows nothing). The lens is then the dark
pixels around the eye, from the brow's lower edge to the cheekbone.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.photos import landmarks as lm

HIDDEN_EYE_LIGHTNESS = 0.45
"""An eye whose brightest quarter is darker than this share of the cheeks' lightness is behind a
lens, when the skin just below it (the eye's outline moved down by UNDER_EYE_SHIFT of its width)
is as dark: a lens covers both, dark eyes or lashes only the eye."""
UNDER_EYE_SHIFT = 0.35


def _lens_region(mesh: np.ndarray, eye: tuple[int, ...], brow: tuple[int, ...], shape: tuple[int, int]) -> np.ndarray:
    outline = mesh[list(eye)]
    centre = outline.mean(axis=0)
    width = np.ptp(outline[:, 0])
    brow_low = mesh[list(brow)][:, 1].max()
    box = np.array([(centre[0] - 0.85 * width, brow_low), (centre[0] + 0.85 * width, brow_low),
                    (centre[0] + 0.85 * width, centre[1] + 0.8 * width),
                    (centre[0] - 0.85 * width, centre[1] + 0.8 * width)])
    region = np.zeros(shape, np.uint8)
    cv2.fillPoly(region, [np.rint(box).astype(np.int32)], 1)
    return region > 0


def sunglasses(lightness: np.ndarray, mesh: np.ndarray, eyes: dict[str, np.ndarray],
               cheeks: np.ndarray) -> np.ndarray | None:
    """The lenses' pixels (bool) when both eyes are hidden behind dark lenses, else None."""
    if not cheeks.any():
        return None
    cheek = float(np.median(lightness[cheeks]))
    for eye in eyes.values():
        if not eye.any() or np.percentile(lightness[eye], 75) > HIDDEN_EYE_LIGHTNESS * cheek:
            return None
        under_eye = np.roll(eye, int(round(np.ptp(np.nonzero(eye)[1]) * UNDER_EYE_SHIFT)), axis=0)
        if np.median(lightness[under_eye]) > HIDDEN_EYE_LIGHTNESS * cheek:  # dark eyes, bare skin below
            return None
    lens_dark = max(float(np.percentile(lightness[eyes["l_eye"] | eyes["r_eye"]], 75)), 1.0)
    threshold = (lens_dark + cheek) / 2
    lenses = np.zeros(lightness.shape, bool)
    for eye, brow in ((lm.LEFT_EYE, lm.LEFT_BROW), (lm.RIGHT_EYE, lm.RIGHT_BROW)):
        region = _lens_region(mesh, eye, brow, lightness.shape)
        dark = region & (lightness < threshold)
        count, components = cv2.connectedComponents(dark.astype(np.uint8))
        centre = np.rint(mesh[list(eye)].mean(axis=0)).astype(int)
        label = components[centre[1], centre[0]]
        if label:
            lenses |= components == label
    lenses = cv2.morphologyEx(lenses.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) > 0
    return lenses if lenses.any() else None
