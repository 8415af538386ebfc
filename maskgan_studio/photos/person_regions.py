"""Hair, ears, neck, clothes and background from person segmentation, colour models and face geometry.

Colour alone cannot tell dark hair from a dark suit, so each class also has the place CelebA-HQ
crops give it: hair above the jaw or beside the neck, the neck in a column under the chin, clothes
below. Hair is separated from the rest with GrabCut, seeded by the person pixels above the forehead.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.photos import colour_model
from maskgan_studio.photos import landmarks as lm


@dataclasses.dataclass(frozen=True)
class FaceGeometry:
    """Where the face sits in the crop, from the mesh (pixels)."""

    top: float
    chin: float
    brow_y: float
    nose_bottom: float
    centre_x: float
    jaw_left: float
    jaw_right: float
    oval_left: float
    oval_right: float

    @property
    def height(self) -> float:
        return self.chin - self.top

    @property
    def jaw_width(self) -> float:
        return self.jaw_right - self.jaw_left

    @classmethod
    def from_mesh(cls, mesh: np.ndarray) -> FaceGeometry:
        return cls(top=mesh[10, 1], chin=mesh[152, 1], brow_y=mesh[[105, 334], 1].mean(),
                   nose_bottom=mesh[2, 1], centre_x=mesh[1, 0],
                   jaw_left=mesh[[172, 58, 132], 0].min(), jaw_right=mesh[[397, 288, 361], 0].max(),
                   oval_left=mesh[234, 0], oval_right=mesh[454, 0])


def _kernel(size: int) -> np.ndarray:
    return np.ones((max(size, 1), max(size, 1)), np.uint8)


def _touching(candidates: np.ndarray, anchor: np.ndarray) -> np.ndarray:
    """The connected parts of ``candidates`` that overlap ``anchor``."""
    count, components = cv2.connectedComponents(candidates.astype(np.uint8))
    keep = np.zeros(count, bool)
    keep[np.unique(components[anchor & candidates])] = True
    keep[0] = False
    return keep[components]


def _grabcut_hair(rgb: np.ndarray, person: np.ndarray, sure_hair: np.ndarray, sure_not: np.ndarray,
                  likely_not: np.ndarray) -> np.ndarray:
    seeds = np.full(person.shape, cv2.GC_BGD, np.uint8)
    seeds[person] = cv2.GC_PR_FGD
    seeds[person & likely_not] = cv2.GC_PR_BGD
    seeds[sure_hair] = cv2.GC_FGD
    seeds[sure_not] = cv2.GC_BGD
    if not (seeds == cv2.GC_FGD).any():
        return person & ~likely_not
    background_model = np.zeros((1, 65), np.float64)
    foreground_model = np.zeros((1, 65), np.float64)
    cv2.grabCut(np.ascontiguousarray(rgb[..., ::-1]), seeds, None, background_model, foreground_model,
                3, cv2.GC_INIT_WITH_MASK)
    return person & ((seeds == cv2.GC_FGD) | (seeds == cv2.GC_PR_FGD))


def paint_person_regions(labels: np.ndarray, rgb: np.ndarray, mesh: np.ndarray, person: np.ndarray,
                         oval: np.ndarray, features: np.ndarray) -> None:
    """Paint, in place, background, clothes, neck, hair, ears and skin; the inner-face parts go on top later."""
    height, width = labels.shape
    geo = FaceGeometry.from_mesh(mesh)
    ys, xs = np.mgrid[0:height, 0:width]
    lab = colour_model.to_lab(rgb)
    step = max(3, height // 40)

    cheeks = (cv2.erode(oval.astype(np.uint8), _kernel(step)) > 0) & (cv2.dilate(features.astype(np.uint8), _kernel(step)) == 0)
    skin_model = colour_model.fit(lab, cheeks) or colour_model.fit(lab, oval)
    skin_ll = skin_model.log_likelihood(lab)
    near_face = cv2.dilate(oval.astype(np.uint8), _kernel(3 * step)) > 0
    hair_seed = person & ~near_face & (ys < geo.top + 0.1 * geo.height)
    hair_model = colour_model.fit(lab, hair_seed)
    hair_ll = hair_model.log_likelihood(lab) if hair_model else np.full(labels.shape, -np.inf, np.float32)
    skin_like = skin_ll > np.maximum(hair_ll, np.percentile(skin_ll[cheeks], 3) if cheeks.any() else -np.inf)

    hair = _grabcut_hair(rgb, person, hair_seed & ~skin_like, cheeks | features, skin_like)
    neck_column = (xs > geo.jaw_left + 0.12 * geo.jaw_width) & (xs < geo.jaw_right - 0.12 * geo.jaw_width)
    hair &= ~((ys > geo.chin + 0.12 * geo.height) & neck_column)

    cloth_seed = person & (ys > 0.93 * height) & ~neck_column
    cloth_model = colour_model.fit(lab, cloth_seed)
    cloth_ll = cloth_model.log_likelihood(lab) if cloth_model else None
    if cloth_model and hair_model:
        hair &= (ys < geo.chin + 0.12 * geo.height) | (hair_ll > cloth_ll)

    labels[:] = ID["background"]
    labels[person] = ID["cloth"]
    labels[person & (ys < geo.chin)] = ID["hair"]
    labels[hair] = ID["hair"]

    below_jaw = person & ~oval & (ys > mesh[[lm.FACE_OVAL[24], lm.FACE_OVAL[12]], 1].min())
    jaw_zone = below_jaw & (xs > geo.jaw_left - 0.05 * geo.jaw_width) & (xs < geo.jaw_right + 0.05 * geo.jaw_width)
    neck = _touching(jaw_zone & skin_like, near_face)
    column = below_jaw & (xs > geo.jaw_left + 0.15 * geo.jaw_width) & (xs < geo.jaw_right - 0.15 * geo.jaw_width) \
        & (ys < geo.chin + 0.45 * geo.height)
    neck |= column & (skin_ll > cloth_ll - 2) if cloth_model else column
    labels[neck] = ID["neck"]

    skin_outside = person & skin_like & (ys < geo.chin) & ~hair
    labels[skin_outside] = ID["skin"]
    ear_band = (ys > geo.brow_y) & (ys < geo.nose_bottom + 0.1 * geo.height) & ~oval
    ears = skin_outside & ear_band & ((xs < geo.oval_left) | (xs > geo.oval_right))
    labels[ears & (xs < geo.centre_x)] = ID["r_ear"]
    labels[ears & (xs >= geo.centre_x)] = ID["l_ear"]
    bangs = oval & hair & (ys < geo.brow_y)
    labels[oval & ~bangs] = ID["skin"]
