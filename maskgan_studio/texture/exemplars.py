"""Which pixels may lend their patch: the exemplar canvas, its hygiene, and the per-class pools.

An exemplar is a face (image, mask) with the generator's drawing of its mask as a structure guide.
The face being edited lends every class it holds; its mirror image lends the left or right
class it lacks (a removed left brow from the right one); a reference face lends what both lack.
A class styled from another face (style per region) is lent by that face alone.
The lending faces are stacked into one canvas, so a patch position is one (y, x) whatever face
it comes from.

Hygiene: a pixel is not an exemplar centre when its class is a speck (a mask error), or when the
mean colour of its patch is an outlier for its class (a jacket labelled hair): a robust Gaussian
per class in Lab, fitted on the pixels closest to the class's centre, then refitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from maskgan_studio.labels import NUM_CLASSES, flip_labels
from maskgan_studio.texture.patchmatch import PAD_LABEL
from maskgan_studio.texture.region import boundary_distance

KEEP_FRACTION = 0.7
"""The share of a class's pixels (closest to its centre) the robust colour model is fitted on."""
OUTLIER_DISTANCE2 = 16.0
"""Squared Mahalanobis distance past which a patch's mean colour is foreign to its class."""
SPECK_FRACTION = 1 / 40
"""A connected piece of a class smaller than (this x the image side) squared is a speck."""
MIN_CLASS_FRACTION = 1 / 32
"""A face lends a class only when it holds at least (this x the image side) squared clean centres."""
SOURCES = ("face", "mirrored face", "reference")
"""Who may lend a class, in order of preference; indices past these are the style faces given to
``choose_sources`` as ``assigned``, in order of first class."""


@dataclass(frozen=True)
class Exemplar:
    image: np.ndarray  # uint8 (H, W, 3)
    mask: np.ndarray  # uint8 (H, W)
    guide: np.ndarray  # uint8 (H, W, 3): the generator's drawing of ``mask``, in the edit's style


@dataclass(frozen=True)
class Canvas:
    image: np.ndarray  # float32 (Hc, Wc, 3) in [0, 1]
    guide: np.ndarray  # float32 (Hc, Wc, 3) in [0, 1]
    distance: np.ndarray  # float32 (Hc, Wc): boundary_distance of the labels
    labels: np.ndarray  # uint8 (Hc, Wc); PAD_LABEL in the gap between faces
    clean: np.ndarray  # bool (Hc, Wc): may centre a patch (hygiene, away from every border)


def clean_centres(image: np.ndarray, mask: np.ndarray, radius: int) -> np.ndarray:
    """bool (H, W): pixels of a class piece that is no speck, whose patch's mean colour belongs
    to its class."""
    height, width = mask.shape
    clean = np.ones(mask.shape, bool)
    min_piece = (SPECK_FRACTION * max(height, width)) ** 2
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    patch_mean = cv2.blur(lab, (2 * radius + 1, 2 * radius + 1))
    for label in np.unique(mask):
        members = mask == label
        _, pieces, stats, _ = cv2.connectedComponentsWithStats(members.astype(np.uint8), connectivity=8)
        specks = np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] < min_piece) + 1
        if specks.size:
            clean[np.isin(pieces, specks)] = False
        clean[members & _colour_outliers(patch_mean, members & clean)] = False
    return clean


def _colour_outliers(colours: np.ndarray, members: np.ndarray) -> np.ndarray:
    """bool (H, W): members whose colour is foreign to the class (False where too few to judge)."""
    values = colours[members].astype(np.float64)
    outliers = np.zeros(members.shape, bool)
    if len(values) < 50:
        return outliers
    kept = values
    for _ in range(2):
        mean = kept.mean(0)
        cov = np.cov(kept.T) + np.eye(3) * 4.0  # a floor: flat classes are not all outliers
        inverse = np.linalg.inv(cov)
        centred = values - mean
        distance2 = np.einsum("ij,jk,ik->i", centred, inverse, centred)
        kept = values[distance2 <= np.quantile(distance2, KEEP_FRACTION)]
    outliers[members] = distance2 > OUTLIER_DISTANCE2
    return outliers


def _lendable(mask: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """bool (NUM_CLASSES,): the classes this face holds enough clean centres of."""
    counts = np.bincount(mask[clean], minlength=NUM_CLASSES)[:NUM_CLASSES]
    return counts >= (MIN_CLASS_FRACTION * max(mask.shape)) ** 2


def mirrored(exemplar: Exemplar) -> Exemplar:
    """The face mirrored left-right, its left and right classes swapped: one brow lends the other."""
    return Exemplar(np.ascontiguousarray(exemplar.image[:, ::-1]), flip_labels(exemplar.mask),
                    np.ascontiguousarray(exemplar.guide[:, ::-1]))


def choose_sources(primary: Exemplar, reference: Exemplar | None, radius: int,
                   assigned: Mapping[int, Exemplar] | None = None,
                   ) -> tuple[list[tuple[Exemplar, np.ndarray]], np.ndarray]:
    """Which face lends each class: the edited face itself, else its mirror image (a removed left
    brow from the right one), else the reference; a class in ``assigned`` (class id -> the face it
    takes its style from) only from that face.

    -> (the lending faces with the clean centres of the classes each lends, the edited face first;
    int8 (NUM_CLASSES,) each class's lender: ``SOURCES``'s index (past it, the assigned faces in
    order of first class), -1 for none, so the generator's drawing stays)."""
    assigned = dict(assigned or {})
    styled = np.zeros(NUM_CLASSES, bool)
    styled[list(assigned)] = True
    clean = clean_centres(primary.image, primary.mask, radius)
    # without a reference its slot lends nothing, so that the assigned faces' indices stay past SOURCES
    last_resort = ((reference, clean_centres(reference.image, reference.mask, radius)) if reference is not None
                   else (primary, np.zeros_like(clean)))
    candidates = [(primary, clean, ~styled), (mirrored(primary), np.ascontiguousarray(clean[:, ::-1]), ~styled),
                  (*last_resort, ~styled)]
    for face in {id(face): face for face in assigned.values()}.values():
        classes = np.zeros(NUM_CLASSES, bool)
        classes[[c for c, lender in assigned.items() if lender is face]] = True
        candidates.append((face, clean_centres(face.image, face.mask, radius), classes))
    source = np.full(NUM_CLASSES, -1, np.int8)
    for n, (candidate, candidate_clean, may_lend) in enumerate(candidates):
        source[(source < 0) & may_lend & _lendable(candidate.mask, candidate_clean)] = n
    parts = [(candidate, candidate_clean & (source[candidate.mask] == n))
             for n, (candidate, candidate_clean, _) in enumerate(candidates)]
    return [part for n, part in enumerate(parts) if n == 0 or part[1].any()], source


def build_canvas(parts: list[tuple[Exemplar, np.ndarray]], radius: int, distance_limit: float) -> Canvas:
    """The faces stacked top to bottom with a gap of padding, so that no patch straddles two;
    only centres whose whole patch lies inside their face stay clean."""
    width = max(exemplar.mask.shape[1] for exemplar, _ in parts)
    gap = 2 * radius + 1
    images, guides, distances, labels, cleans = [], [], [], [], []
    for n, (exemplar, clean) in enumerate(parts):
        height = exemplar.mask.shape[0]
        if n:
            images.append(np.zeros((gap, width, 3), np.float32))
            guides.append(np.zeros((gap, width, 3), np.float32))
            distances.append(np.zeros((gap, width), np.float32))
            labels.append(np.full((gap, width), PAD_LABEL, np.uint8))
            cleans.append(np.zeros((gap, width), bool))
        pad = width - exemplar.mask.shape[1]
        inside = np.zeros(clean.shape, bool)
        inside[radius:height - radius, radius:exemplar.mask.shape[1] - radius] = True
        images.append(np.pad(exemplar.image.astype(np.float32) / 255, ((0, 0), (0, pad), (0, 0))))
        guides.append(np.pad(exemplar.guide.astype(np.float32) / 255, ((0, 0), (0, pad), (0, 0))))
        distances.append(np.pad(boundary_distance(exemplar.mask, distance_limit), ((0, 0), (0, pad))))
        labels.append(np.pad(exemplar.mask, ((0, 0), (0, pad)), constant_values=PAD_LABEL))
        cleans.append(np.pad(clean & inside, ((0, 0), (0, pad))))
    return Canvas(*(np.ascontiguousarray(np.concatenate(a)) for a in (images, guides, distances, labels, cleans)))


def class_pools(labels: np.ndarray, clean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """-> (pool int32 (M, 2) clean centres sorted by class, pool_start int32 (NUM_CLASSES + 1,))."""
    ys, xs = np.nonzero(clean)
    classes = labels[ys, xs]
    order = np.argsort(classes, kind="stable")
    pool = np.stack([ys[order], xs[order]], 1).astype(np.int32)
    counts = np.bincount(classes, minlength=NUM_CLASSES)[:NUM_CLASSES]
    pool_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return np.ascontiguousarray(pool), pool_start
