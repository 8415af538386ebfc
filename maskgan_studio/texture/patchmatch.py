"""Class-constrained, guided PatchMatch (Barnes et al. 2009) and patch voting, compiled with numba.

Arrays, all C-contiguous:
- ``tgt_feat`` float32 (Ht + 2r, Wt + 2r, K) and ``tgt_lab`` uint8 (Ht + 2r, Wt + 2r): the target's
  per-pixel features (colour, guides, weighted) and classes, padded by the patch radius r
  (labels with ``PAD_LABEL``, which matches nothing); ``tgt_alt`` likewise: a second class a
  pixel may take (on a soft border, such as hair against the background), else ``PAD_LABEL``.
- ``src_feat`` float32 (Hs, Ws, K) and ``src_lab`` uint8 (Hs, Ws): the exemplar's. ``valid`` bool
  (Hs, Ws): pixels that may centre an exemplar patch (never closer than r to the border).
- ``targets`` int32 (N, 2): the target pixels to synthesise (y, x), in raster order; ``index``
  int32 (Ht, Wt): each pixel's row in ``targets``, -1 elsewhere.
- ``pool`` int32 (M, 2) and ``pool_start`` int32 (C + 1,): the valid exemplar centres grouped by
  class, class c in rows pool_start[c]:pool_start[c + 1].
- ``nnf`` int32 (N, 2): each target's exemplar centre; ``cost`` float32 (N,): its patch distance
  (without the overuse penalty).
- ``usage`` int32 (Hs, Ws): scratch for how many targets use each exemplar centre (``search``
  counts it before each half-pass);
  ``cap`` int32 (C,): the use per class past which a centre is penalised by ``overuse`` per extra
  use (StyLit's uniformity: a fill must not wash out by repeating a few patches).

A target of class c only ever takes a centre of class c (or of its second class). The patch
distance is the mean, over the patch, of the squared feature difference plus ``label_cost`` where
the two classes differ (neither the target's class nor its second one).
"""

from __future__ import annotations

import sys

import numba
import numpy as np
from numba import njit as _njit
from numba import prange

# OpenVINO (the engine's CPU backend) brings its own TBB, which numba would then pick for its
# threads; numba on the TBB that OpenVINO's inference runs on crashed a process that later trained
# (the whole test run, 2026-12-02). OpenMP first, TBB last: what numba takes without OpenVINO.
numba.config.THREADING_LAYER_PRIORITY = ["omp", "workqueue", "tbb"]

PAD_LABEL = 255
BANDS = 16
CACHE = not getattr(sys, "frozen", False)
"""Compiled kernels are cached on disk (beside this file, else in the user's cache), except in the
frozen standalone app, whose modules have no source file for numba to key the cache on: there
they compile once per launch."""


def njit(**options):
    return _njit(cache=CACHE, nogil=True, **options)


def set_threads(count: int) -> int:
    """Threads for this thread's texture stages (numba's setting is per calling thread)."""
    count = max(1, min(count, numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(count)
    return count


@njit(fastmath=True)
def patch_cost(tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, ty, tx, sy, sx, radius, label_cost, limit):
    """Distance of the target patch centred at (ty, tx) (unpadded coordinates) to the exemplar patch
    at (sy, sx); stops early once it exceeds ``limit``."""
    channels = tgt_feat.shape[2]
    area = (2 * radius + 1) * (2 * radius + 1)
    stop = limit * area
    total = 0.0
    for dy in range(-radius, radius + 1):
        py = ty + radius + dy
        qy = sy + dy
        for dx in range(-radius, radius + 1):
            px = tx + radius + dx
            qx = sx + dx
            for k in range(channels):
                d = tgt_feat[py, px, k] - src_feat[qy, qx, k]
                total += d * d
            if tgt_lab[py, px] != src_lab[qy, qx] and tgt_alt[py, px] != src_lab[qy, qx]:
                total += label_cost
        if total > stop:
            return total / area
    return total / area


@njit()
def _penalty(usage, cap, src_lab, sy, sx, overuse, joining):
    """The overuse penalty of centre (sy, sx) for a target already on it, or ``joining`` it."""
    extra = usage[sy, sx] + (1 if joining else 0) - cap[src_lab[sy, sx]]
    return overuse * extra if extra > 0 else 0.0


@njit()
def _acceptable(valid, src_lab, sy, sx, label, alt):
    if sy < 0 or sx < 0 or sy >= valid.shape[0] or sx >= valid.shape[1]:
        return False
    return valid[sy, sx] and (src_lab[sy, sx] == label or src_lab[sy, sx] == alt)


@njit(fastmath=True)
def _improve(i, tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, nnf, cost, usage, cap,
             sy, sx, radius, label_cost, overuse):
    """Try exemplar centre (sy, sx) for target i; keep it when it is better."""
    ty, tx = targets[i, 0], targets[i, 1]
    label = tgt_lab[ty + radius, tx + radius]
    if not _acceptable(valid, src_lab, sy, sx, label, tgt_alt[ty + radius, tx + radius]):
        return
    if sy == nnf[i, 0] and sx == nnf[i, 1]:
        return
    penalty = _penalty(usage, cap, src_lab, sy, sx, overuse, True)
    current = cost[i] + _penalty(usage, cap, src_lab, nnf[i, 0], nnf[i, 1], overuse, False)
    if penalty >= current:
        return
    d = patch_cost(tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, ty, tx, sy, sx, radius, label_cost, current - penalty)
    if d + penalty < current:
        nnf[i, 0] = sy
        nnf[i, 1] = sx
        cost[i] = d


@njit()
def row_bands(targets, bands):
    """int64 (bands + 1,): where each band of whole rows starts in ``targets`` (raster order)."""
    bounds = np.zeros(bands + 1, np.int64)
    n = targets.shape[0]
    bounds[bands] = n
    if n == 0:
        return bounds
    first, last = targets[0, 0], targets[n - 1, 0]
    rows = (last - first + bands) // bands
    i = 0
    for band in range(1, bands):
        row = first + band * rows
        while i < n and targets[i, 0] < row:
            i += 1
        bounds[band] = i
    return bounds


@njit()
def count_usage(nnf, usage):
    usage[:] = 0
    for i in range(nnf.shape[0]):
        usage[nnf[i, 0], nnf[i, 1]] += 1


@njit(parallel=True)
def search(tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, index, pool, pool_start, nnf, cost,
           usage, cap, radius, label_cost, overuse, sweeps, seed, max_span):
    """``sweeps`` PatchMatch passes (propagation, then random search in windows from ``max_span``
    pixels down to 1, plus one draw from the whole class), alternating scan direction.

    The target rows are cut into ``BANDS`` bands of whole rows; the even bands run in parallel,
    then the odd ones, so that no band reads a row that another is writing (propagation reads
    the next row up or down only), and ``usage`` is recounted between the two: the result does
    not depend on the threads' timing."""
    bounds = row_bands(targets, BANDS)
    for sweep in range(sweeps):
        forward = sweep % 2 == 0
        step = 1 if forward else -1
        for parity in range(2):
            count_usage(nnf, usage)
            for half in prange(BANDS // 2):
                band = 2 * half + parity
                np.random.seed(seed + sweep * 131 + band)
                lo, hi = bounds[band], bounds[band + 1]
                for j in range(hi - lo):
                    i = lo + j if forward else hi - 1 - j
                    _search_one(i, step, tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, index, pool,
                                pool_start, nnf, cost, usage, cap, radius, label_cost, overuse, max_span)


@njit(fastmath=True)
def _search_one(i, step, tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, index, pool, pool_start,
                nnf, cost, usage, cap, radius, label_cost, overuse, max_span):
    ty, tx = targets[i, 0], targets[i, 1]
    label = tgt_lab[ty + radius, tx + radius]
    # propagation: the neighbour's exemplar, shifted by one pixel
    for axis in range(2):
        ny = ty - step if axis == 0 else ty
        nx = tx - step if axis == 1 else tx
        if 0 <= ny < index.shape[0] and 0 <= nx < index.shape[1]:
            k = index[ny, nx]
            if k >= 0:
                _improve(i, tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, nnf, cost, usage, cap,
                         nnf[k, 0] + ty - ny, nnf[k, 1] + tx - nx, radius, label_cost, overuse)
    # random search: around the current match in a shrinking window, plus one draw from
    # anywhere in the class
    span = max_span
    while span >= 1:
        sy = nnf[i, 0] + np.random.randint(-span, span + 1)
        sx = nnf[i, 1] + np.random.randint(-span, span + 1)
        _improve(i, tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, nnf, cost, usage, cap,
                 sy, sx, radius, label_cost, overuse)
        span //= 2
    alt = tgt_alt[ty + radius, tx + radius]
    if alt != PAD_LABEL and np.random.randint(0, 2) == 1:
        label = alt
    start, stop = pool_start[label], pool_start[label + 1]
    if stop > start:
        r = start + np.random.randint(0, stop - start)
        _improve(i, tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, valid, targets, nnf, cost, usage, cap,
                 pool[r, 0], pool[r, 1], radius, label_cost, overuse)


@njit(parallel=True)
def rescore(tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, targets, nnf, cost, radius, label_cost):
    """Recompute every target's patch distance (after the target's colours changed)."""
    for i in prange(targets.shape[0]):
        cost[i] = patch_cost(tgt_feat, tgt_lab, tgt_alt, src_feat, src_lab, targets[i, 0], targets[i, 1],
                             nnf[i, 0], nnf[i, 1], radius, label_cost, np.inf)


@njit(parallel=True)
def vote(tgt_lab, tgt_alt, src_colour, src_lab, targets, index, nnf, cost, radius, sigma, out):
    """Each target's colour: the mean of what the overlapping patches put on it, weighted by
    exp(-cost / sigma), counting only exemplar pixels of the class its own patch chose (the
    centre's always counts), so colour never crosses a class border. ``out``: float32 (N, 3)."""
    for i in prange(targets.shape[0]):
        ty, tx = targets[i, 0], targets[i, 1]
        label = src_lab[nnf[i, 0], nnf[i, 1]]  # the class this target's own patch chose
        acc0 = 0.0
        acc1 = 0.0
        acc2 = 0.0
        weights = 0.0
        for dy in range(-radius, radius + 1):
            cy = ty - dy
            if cy < 0 or cy >= index.shape[0]:
                continue
            for dx in range(-radius, radius + 1):
                cx = tx - dx
                if cx < 0 or cx >= index.shape[1]:
                    continue
                k = index[cy, cx]
                if k < 0:
                    continue
                sy = nnf[k, 0] + dy
                sx = nnf[k, 1] + dx
                if src_lab[sy, sx] != label:
                    continue
                w = np.exp(-cost[k] / sigma)
                acc0 += w * src_colour[sy, sx, 0]
                acc1 += w * src_colour[sy, sx, 1]
                acc2 += w * src_colour[sy, sx, 2]
                weights += w
        if weights <= 0.0:  # every weight underflowed: take the centre's own pixel
            sy, sx = nnf[i, 0], nnf[i, 1]
            out[i, 0] = src_colour[sy, sx, 0]
            out[i, 1] = src_colour[sy, sx, 1]
            out[i, 2] = src_colour[sy, sx, 2]
        else:
            out[i, 0] = acc0 / weights
            out[i, 1] = acc1 / weights
            out[i, 2] = acc2 / weights
