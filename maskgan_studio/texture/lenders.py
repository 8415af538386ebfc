"""The faces that lend patches to an edit, prepared once per style source for every pyramid level.

Nothing here depends on the edit: which face lends which class, the hygiene, each level's
canvas, class pools and weighted features are made the first time a level is asked for and kept,
so that a stroke's texture stage only does the work of its own region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from maskgan_studio.labels import NUM_CLASSES
from maskgan_studio.texture.exemplars import Canvas, Exemplar, build_canvas, choose_sources, class_pools
from maskgan_studio.texture.params import TextureParams


@dataclass(frozen=True)
class LevelCanvas:
    canvas: Canvas
    pool: np.ndarray  # int32 (M, 2): clean centres by class
    pool_start: np.ndarray  # int32 (NUM_CLASSES + 1,)
    features: np.ndarray  # float32 (Hc, Wc, 7): weighted colour, guide and border distance
    photo: np.ndarray  # float32 (h, w, 3) in [0, 1]: the edited face at this level
    distance_limit: float  # border distances clip at this many pixels of this level


def weights(params: TextureParams) -> np.ndarray:
    """The square roots of the colour, guide and distance weights (features are scaled by them)."""
    return np.sqrt([params.colour_weight, params.guide_weight, params.distance_weight]).astype(np.float32)


def level_count(side: int, min_side: int) -> int:
    levels = 1
    while side / 2**levels >= min_side:
        levels += 1
    return levels


def area(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if image.shape[:2] == size:
        return image.copy()
    return cv2.resize(image, size[::-1], interpolation=cv2.INTER_AREA)


def nearest(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if mask.shape[:2] == size:
        return mask
    return cv2.resize(mask, size[::-1], interpolation=cv2.INTER_NEAREST_EXACT)


def guide_blur(image: np.ndarray, side: int) -> np.ndarray:
    """The generator's drawing as a guide: its shading and structure, not its own fine texture."""
    return cv2.GaussianBlur(image, (0, 0), max(0.5, side / 256))


class Lenders:
    """``face``: the face being edited (its photo, mask and the generator's drawing of its mask);
    ``reference``: a second face for the classes the first lacks, or None; ``assigned``: class id
    -> the face whose style that class takes (style per region), which alone lends it and whose
    pixels of it are all redrawn (``restyled``)."""

    def __init__(self, face: Exemplar, reference: Exemplar | None = None, params: TextureParams = TextureParams(),
                 assigned: Mapping[int, Exemplar] | None = None):
        self.face = face
        self.params = params
        self.parts, self.class_source = choose_sources(face, reference, params.patch_radius, assigned)
        self.restyled = np.zeros(NUM_CLASSES, bool)
        self.restyled[list(assigned or ())] = True
        height, width = face.mask.shape
        self.levels = level_count(min(height, width), params.min_side)
        self._levels: dict[int, LevelCanvas] = {}

    def size(self, level: int) -> tuple[int, int]:
        height, width = self.face.mask.shape
        return max(1, round(height / 2**level)), max(1, round(width / 2**level))

    def at(self, level: int) -> LevelCanvas:
        if level not in self._levels:
            self._levels[level] = self._build(level)
        return self._levels[level]

    def _build(self, level: int) -> LevelCanvas:
        params, size = self.params, self.size(level)
        side = max(size)
        limit = max(2.0, params.distance_fraction * max(self.face.mask.shape) / 2**level)
        parts = [(Exemplar(area(e.image, size), nearest(e.mask, size), guide_blur(area(e.guide, size), side)),
                  nearest(clean.astype(np.uint8), size).astype(bool))
                 for e, clean in self.parts]
        canvas = build_canvas(parts, params.patch_radius, limit)
        pool, pool_start = class_pools(canvas.labels, canvas.clean)
        w = weights(params)
        features = np.concatenate([canvas.image * w[0], canvas.guide * w[1], canvas.distance[..., None] * w[2]],
                                  axis=2)
        photo = area(self.face.image.astype(np.float32) / 255, size)
        return LevelCanvas(canvas, pool, pool_start, np.ascontiguousarray(features), photo, limit)
