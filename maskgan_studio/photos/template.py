"""The fallback mask without mediapipe: CelebA-HQ's average layout, refined from the photo.

Alignment has already put the eyes and mouth where the layout expects them, so the template is
fixed in crop fractions (DESIGN.md: eyes y 0.48, x 0.37 and 0.62; brows y 0.41; nose centroid
y 0.57; lips y 0.71 to 0.78). GrabCut, seeded by the template, then moves the boundary between the
person and the background to the photo's edges.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.labels import ID

# (class, centre x, centre y, half width, half height) as crop fractions, painted in this order.
_ELLIPSES = (
    ("hair", 0.495, 0.44, 0.38, 0.42),
    ("skin", 0.495, 0.53, 0.24, 0.31),
    ("l_ear", 0.735, 0.56, 0.035, 0.08),
    ("r_ear", 0.255, 0.56, 0.035, 0.08),
    ("l_brow", 0.625, 0.415, 0.065, 0.017),
    ("r_brow", 0.365, 0.415, 0.065, 0.017),
    ("l_eye", 0.62, 0.48, 0.045, 0.018),
    ("r_eye", 0.37, 0.48, 0.045, 0.018),
    ("u_lip", 0.495, 0.735, 0.085, 0.016),
    ("l_lip", 0.495, 0.762, 0.075, 0.019),
)
_NOSE = ((0.47, 0.47), (0.52, 0.47), (0.555, 0.62), (0.435, 0.62))
_NECK = ((0.39, 0.78), (0.60, 0.78), (0.63, 1.0), (0.36, 1.0))
_CLOTH = ((0.0, 0.88), (0.22, 0.84), (0.78, 0.84), (1.0, 0.88), (1.0, 1.0), (0.0, 1.0))


def _ellipse(labels: np.ndarray, name: str, cx: float, cy: float, rx: float, ry: float) -> None:
    size = labels.shape[0]
    cv2.ellipse(labels, (round(cx * size), round(cy * size)), (max(1, round(rx * size)), max(1, round(ry * size))),
                0, 0, 360, ID[name], thickness=-1)


def _polygon(labels: np.ndarray, name: str, points) -> None:
    cv2.fillPoly(labels, [np.rint(np.array(points) * (labels.shape[0] - 1)).astype(np.int32)], ID[name])


def layout_template(resolution: int) -> np.ndarray:
    """The average CelebA-HQ mask at ``resolution`` (uint8 ids)."""
    labels = np.zeros((resolution, resolution), np.uint8)
    _polygon(labels, "cloth", _CLOTH)
    _polygon(labels, "neck", _NECK)
    for name, *geometry in _ELLIPSES:
        _ellipse(labels, name, *geometry)
    _polygon(labels, "nose", _NOSE)
    return labels


GRABCUT_SIZE = 128
"""GrabCut runs at this size at most: its graph cut slows down steeply on large, flat pictures
(48 s on a flat grey 512 px crop, 0.05 s at 128), and the outline it finds is coarse anyway."""


def _person_outline(crop: np.ndarray) -> np.ndarray:
    """Where GrabCut, seeded by the template, finds the person (bool, at the crop's size)."""
    size = crop.shape[0]
    small = min(size, GRABCUT_SIZE)
    labels = layout_template(small)
    person = labels != ID["background"]
    inner = cv2.erode(person.astype(np.uint8), np.ones((small // 10, small // 10), np.uint8)) > 0
    seeds = np.where(person, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    seeds[inner] = cv2.GC_FGD
    border = max(2, small // 64)
    seeds[:border, :] = seeds[:, :border] = seeds[:, -border:] = cv2.GC_BGD
    seeds[labels == ID["skin"]] = cv2.GC_FGD
    background_model = np.zeros((1, 65), np.float64)
    foreground_model = np.zeros((1, 65), np.float64)
    picture = cv2.resize(crop, (small, small), interpolation=cv2.INTER_AREA) if small < size else crop
    cv2.setRNGSeed(0)  # GrabCut seeds its colour models by k-means: same photo, same mask
    cv2.grabCut(np.ascontiguousarray(picture[..., ::-1]), seeds, None, background_model, foreground_model,
                3, cv2.GC_INIT_WITH_MASK)
    found = ((seeds == cv2.GC_FGD) | (seeds == cv2.GC_PR_FGD)).astype(np.uint8)
    return cv2.resize(found, (size, size), interpolation=cv2.INTER_NEAREST) > 0


def template_mask(crop: np.ndarray) -> np.ndarray:
    """The template, with the person's outline taken from the photo by GrabCut."""
    size = crop.shape[0]
    labels = layout_template(size)
    person = labels != ID["background"]
    found = _person_outline(crop)
    grown = found & ~person  # the photo's person reaches past the template: hair above, clothes below
    ys = np.arange(size)[:, None]
    labels[grown & (ys < 0.8 * size)] = ID["hair"]
    labels[grown & (ys >= 0.8 * size)] = ID["cloth"]
    keep_face = np.isin(labels, [ID["skin"], ID["nose"], ID["l_eye"], ID["r_eye"], ID["l_brow"], ID["r_brow"],
                                 ID["u_lip"], ID["l_lip"], ID["neck"]])
    labels[~found & ~keep_face] = ID["background"]
    return labels
