"""The texture stage's settings (one frozen object: the lenders and the synthesis read the same)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextureParams:
    patch_radius: int = 3
    min_side: int = 40  # the coarsest pyramid level's side is at least this
    iterations: tuple[int, ...] = (4, 3, 1, 1)  # EM iterations, coarsest level first; the last repeats
    sweeps: int = 1  # PatchMatch passes per EM iteration
    refine_span: int = 8  # below the coarsest level, random search stays this close (plus one class-wide draw)
    colour_weight: float = 1.0
    guide_weight: float = 0.5
    distance_weight: float = 0.3
    label_cost: float = 0.05  # per patch pixel whose class differs
    overuse: float = 0.005  # per use of an exemplar centre beyond its class's share
    share_factor: float = 2.0  # a class's share: this x its targets / its clean centres
    vote_sigma: float = 1.0  # vote weights exp(-cost / (this x the median cost))
    distance_fraction: float = 1 / 16  # border distances clip at this share of the side
    low_pass_fraction: float = 1 / 32  # tone matching: Gaussian sigma as a share of the side
    feather_fraction: float = 0.5  # the fade: this share of the region's growth
    seed: int = 0
