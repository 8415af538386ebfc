"""The texture stage: an edited region of a photo redrawn from the photo's own patches.

Image analogies (Hertzmann et al. 2001) with StyLit's guides (Fišer et al. 2016): the generator's
drawing of the source mask is to the photo what its drawing of the edited mask is to the result.
Every target pixel of class c is matched to an exemplar patch centred on class c (PatchMatch,
coarse to fine, with expectation-maximisation voting), by colour where the result is already
known, by the generator's shading and structure, by the class layout inside the patch and by the
distance to the nearest class border; exemplar patches used more than their share are penalised.
Then the region's low frequencies are matched to the photo's within each class (a class styled
from another face keeps its lender's), and the region fades into the photo over its outer rim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from maskgan_studio.labels import NUM_CLASSES
from maskgan_studio.texture import patchmatch
from maskgan_studio.texture.exemplars import Canvas
from maskgan_studio.texture.lenders import Lenders, area, guide_blur, nearest, weights
from maskgan_studio.texture.patchmatch import PAD_LABEL
from maskgan_studio.texture.region import boundary_distance, fade_weights, grow_pixels, soft_borders, texture_region


@dataclass(frozen=True)
class TextureResult:
    image: np.ndarray  # uint8 (H, W, 3): the photo outside ``region``
    labels: np.ndarray  # uint8 (H, W): the classes the image follows (the edit's, but on hair's soft borders)
    region: np.ndarray  # bool (H, W): where the stage may change pixels
    synthesised: np.ndarray  # bool (H, W): pixels made from exemplar patches
    field: np.ndarray  # int32 (H, W, 2): each synthesised pixel's exemplar centre on the canvas, else -1
    canvas_labels: np.ndarray  # uint8 (Hc, Wc): the canvas's classes (the edited face on top)
    class_source: np.ndarray  # int8 (NUM_CLASSES,): the lender's index in exemplars.SOURCES, -1 the generator


def synthesise(lenders: Lenders, edited_mask: np.ndarray, drawn: np.ndarray, generated: np.ndarray,
               should_stop: Callable[[], bool] | None = None) -> TextureResult | None:
    """The edited face (``lenders.face``: photo, source mask and the generator's drawing of it)
    redrawn to follow ``edited_mask``; ``drawn``: the generator's drawing of ``edited_mask``;
    ``generated``: the generator's result as the engine shows it (what classes nobody lends keep).
    All at the photo's size. Returns None when ``should_stop`` says so between iterations (nothing
    half-made escapes)."""
    params, face = lenders.params, lenders.face
    photo, source_mask = face.image, face.mask
    height, width = edited_mask.shape
    region = texture_region(source_mask, edited_mask, grow_pixels(height, width), lenders.restyled)
    targets = region & (lenders.class_source[edited_mask] >= 0)
    alternative = soft_borders(edited_mask, region, lenders.class_source >= 0)
    start = photo.astype(np.float32) / 255
    start[region] = generated[region].astype(np.float32) / 255
    estimate = nnf = index = None
    for level in reversed(range(lenders.levels)):
        work = _Level(lenders, level, edited_mask, alternative, drawn, region, targets)
        size = work.size
        if estimate is None:
            estimate = area(start, size)
        else:
            estimate = work.known_colours(cv2.resize(estimate, size[::-1], interpolation=cv2.INTER_LINEAR))
            estimate[work.fixed] = area(start, size)[work.fixed]
        nnf = work.initial_field(nnf, index)
        index = work.index
        iterations = params.iterations[min(lenders.levels - 1 - level, len(params.iterations) - 1)]
        for iteration in range(iterations):
            if should_stop is not None and should_stop():
                return None
            work.em_step(estimate, nnf, params.seed + 1000 * level + iteration,
                         max(work.canvas.labels.shape) if level == lenders.levels - 1 else params.refine_span)
    field = np.full((height, width, 2), -1, np.int32)
    if len(work.targets):
        field[work.targets[:, 0], work.targets[:, 1]] = nnf
    synthesised = field[..., 0] >= 0
    labels = edited_mask.copy()
    labels[synthesised] = work.canvas.labels[field[synthesised][:, 0], field[synthesised][:, 1]]
    estimate = _match_low_frequencies(estimate, photo, source_mask, labels, region,
                                      synthesised & ~lenders.restyled[labels], params)
    fade = fade_weights(region, params.feather_fraction * grow_pixels(height, width))[..., None]
    mixed = estimate * 255 * fade + photo.astype(np.float32) * (1 - fade)
    image = np.where(region[..., None], np.clip(np.rint(mixed), 0, 255).astype(np.uint8), photo)
    return TextureResult(image, labels, region, synthesised, field, work.canvas.labels, lenders.class_source)


class _Level:
    """One pyramid level: the target's features, the field, and an EM step against the lenders'."""

    def __init__(self, lenders: Lenders, level: int, edited_mask, alternative, drawn, region, targets):
        params = self.params = lenders.params
        lent = lenders.at(level)
        self.size = size = lenders.size(level)
        radius = params.patch_radius
        self.canvas: Canvas = lent.canvas
        self.pool, self.pool_start = lent.pool, lent.pool_start
        self.src_feat = lent.features
        self.src_colour = np.ascontiguousarray(lent.canvas.image)
        self.photo = lent.photo
        self.edited = nearest(edited_mask, size)
        self.region = nearest(region.astype(np.uint8), size).astype(bool) | (
            cv2.resize(region.astype(np.float32), size[::-1], interpolation=cv2.INTER_AREA) > 0)
        target_map = self.region & nearest(targets.astype(np.uint8), size).astype(bool)
        counts = np.diff(self.pool_start)
        target_map &= counts[self.edited] > 0  # a class may thin out of a coarse level's pool
        ys, xs = np.nonzero(target_map)
        self.targets = np.ascontiguousarray(np.stack([ys, xs], 1).astype(np.int32))
        self.index = np.full(size, -1, np.int32)
        self.index[ys, xs] = np.arange(len(ys), dtype=np.int32)
        self.fixed = self.region & ~target_map  # redrawn by the generator only: fixed colours
        self.weights = weights(params)
        self.guide = guide_blur(area(drawn, size), max(size)).astype(np.float32) / 255 * self.weights[1]
        self.distance = boundary_distance(self.edited, lent.distance_limit)[..., None] * self.weights[2]
        self.tgt_lab = np.pad(self.edited, radius, constant_values=PAD_LABEL)
        self.alternative = nearest(alternative, size)
        self.tgt_alt = np.pad(self.alternative, radius, constant_values=PAD_LABEL)
        per_class = np.bincount(self.edited[target_map], minlength=NUM_CLASSES)[:NUM_CLASSES]
        share = np.ceil(params.share_factor * per_class / np.maximum(counts, 1))
        self.cap = np.maximum(share, 1).astype(np.int32)

    def known_colours(self, upsampled: np.ndarray) -> np.ndarray:
        """The photo outside the region, the coarser level's estimate inside it."""
        colours = self.photo.copy()
        colours[self.region] = upsampled[self.region]
        return colours

    def initial_field(self, coarser: np.ndarray | None, coarser_index: np.ndarray | None) -> np.ndarray:
        """Each target's first exemplar: the coarser level's, doubled; else the same pixel of the
        face when it may lend it; else a random centre of the target's class."""
        n = len(self.targets)
        ys, xs = self.targets[:, 0], self.targets[:, 1]
        labels = self.edited[ys, xs]
        rng = np.random.default_rng(self.params.seed)
        starts, ends = self.pool_start[labels], self.pool_start[labels + 1]
        picks = self.pool[(starts + rng.random(n) * (ends - starts)).astype(np.int64)]
        nnf = picks.copy()
        alternatives = self.alternative[ys, xs]
        same = self._acceptable(ys, xs, labels, alternatives)
        nnf[same] = self.targets[same]
        if coarser is not None:
            k = coarser_index[np.minimum(ys // 2, coarser_index.shape[0] - 1),
                              np.minimum(xs // 2, coarser_index.shape[1] - 1)]
            has = k >= 0
            cy = coarser[k[has], 0] * 2 + ys[has] % 2
            cx = coarser[k[has], 1] * 2 + xs[has] % 2
            ok = self._acceptable(cy, cx, labels[has], alternatives[has])
            rows = np.flatnonzero(has)[ok]
            nnf[rows, 0], nnf[rows, 1] = cy[ok], cx[ok]
        return np.ascontiguousarray(nnf.astype(np.int32))

    def _acceptable(self, ys, xs, labels, alternatives) -> np.ndarray:
        h, w = self.canvas.clean.shape
        inside = (ys >= 0) & (xs >= 0) & (ys < h) & (xs < w)
        ok = np.zeros(len(ys), bool)
        lent = self.canvas.labels[ys[inside], xs[inside]]
        ok[inside] = self.canvas.clean[ys[inside], xs[inside]] & (
            (lent == labels[inside]) | (lent == alternatives[inside]))
        return ok

    def em_step(self, estimate: np.ndarray, nnf: np.ndarray, seed: int, span: int) -> None:
        """One PatchMatch search against the current estimate, then a vote into it (in place)."""
        if not len(self.targets):
            return
        p, radius = self.params, self.params.patch_radius
        features = np.concatenate([estimate * self.weights[0], self.guide, self.distance], axis=2)
        tgt_feat = np.ascontiguousarray(np.pad(features, ((radius, radius), (radius, radius), (0, 0)), mode="edge"))
        cost = np.empty(len(self.targets), np.float32)
        patchmatch.rescore(tgt_feat, self.tgt_lab, self.tgt_alt, self.src_feat, self.canvas.labels, self.targets,
                           nnf, cost, radius, p.label_cost)
        usage = np.zeros(self.canvas.labels.shape, np.int32)
        patchmatch.search(tgt_feat, self.tgt_lab, self.tgt_alt, self.src_feat, self.canvas.labels, self.canvas.clean,
                          self.targets, self.index, self.pool, self.pool_start, nnf, cost, usage, self.cap,
                          radius, p.label_cost, p.overuse, p.sweeps, seed, span)
        colours = np.empty((len(self.targets), 3), np.float32)
        sigma = p.vote_sigma * float(np.median(cost)) + 1e-6
        patchmatch.vote(self.tgt_lab, self.tgt_alt, self.src_colour, self.canvas.labels, self.targets, self.index,
                        nnf, cost, radius, sigma, colours)
        estimate[self.targets[:, 0], self.targets[:, 1]] = colours


def _match_low_frequencies(estimate, photo, source_mask, edited_mask, region, synthesised, params) -> np.ndarray:
    """Shift each class's synthesised colours by the smooth difference from the photo measured
    where that class did not change (no tone step at the region's rim). Low frequencies only:
    computed on the region's bounding box at a quarter of the size."""
    sigma = max(1.0, params.low_pass_fraction * max(photo.shape[:2]))
    ys, xs = np.nonzero(region)
    margin = int(3 * sigma)
    top, left = max(0, ys.min() - margin), max(0, xs.min() - margin)
    bottom, right = min(region.shape[0], ys.max() + margin + 1), min(region.shape[1], xs.max() + margin + 1)
    box = (slice(top, bottom), slice(left, right))
    shrink = 4 if sigma >= 8 else 1
    small = (max(1, (bottom - top) // shrink), max(1, (right - left) // shrink))
    reference = (region & synthesised & (source_mask == edited_mask))[box]
    difference = (photo[box].astype(np.float32) / 255 - estimate[box])
    labels = edited_mask[box]
    corrected = estimate.copy()
    inner = corrected[box]
    for label in np.unique(edited_mask[synthesised]):
        members = reference & (labels == label)
        if not members.any():
            continue
        weight = _low_pass(members.astype(np.float32), small, sigma / shrink)
        offset = _low_pass(difference * members[..., None], small, sigma / shrink)
        offset /= np.maximum(weight, 1e-6)[..., None]
        trust = (weight / (weight + 0.05))[..., None]  # fades where no unchanged pixel is near
        apply = synthesised[box] & (labels == label)
        inner[apply] += (offset * trust)[apply]
    return np.clip(corrected, 0.0, 1.0)


def _low_pass(image: np.ndarray, small: tuple[int, int], sigma: float) -> np.ndarray:
    """A Gaussian low pass, computed at ``small`` size and brought back to the image's size."""
    size = image.shape[:2]
    reduced = cv2.resize(image, small[::-1], interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(reduced, (0, 0), sigma)
    return cv2.resize(blurred, size[::-1], interpolation=cv2.INTER_LINEAR)
