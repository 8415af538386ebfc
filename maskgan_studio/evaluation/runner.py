"""Run edit methods over the held-out cases and score them against the procedural truth.

A *method* maps ``(source image, source mask, edited mask)`` to an output image; the model
under test, the generator without paste-back and the "copy source" baseline are all methods,
so scoring never touches a network (and tests can feed it an oracle).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from maskgan_studio.evaluation import metrics
from maskgan_studio.evaluation.cases import STYLE_COPY, Case, held_out_faces

if TYPE_CHECKING:
    from maskgan_studio.evaluation.region_style import RegionStyleFigures

Method = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]

MODEL = "model"
COPY_SOURCE = "copy_source"
NO_PASTE_BACK = "no_paste_back"
PHOTO_TEXTURE = "photo_texture"
CHANGED_DILATION = 1 / 64
"""The changed region is grown by this fraction of the image width (4 px at 256, 8 at 512), so
it takes in the anti-aliased class borders around an edit and where paste-back blends in."""


def copy_source(source_image: np.ndarray, source_mask: np.ndarray, edited_mask: np.ndarray) -> np.ndarray:
    """The baseline that ignores the edit: the source image as it was."""
    return source_image


def session_methods(session) -> dict[str, Method]:
    """The model (with paste-back), the same with the texture stage, the generator without
    paste-back, and copy source, as methods.

    ``session`` is an ``engine.EditSession``; the source style is encoded once per face.
    """
    ensure_style = style_setter(session)

    def with_paste_back(image, mask, edited):
        ensure_style(image, mask)
        return session.edit(edited, paste_back=True)

    def with_photo_texture(image, mask, edited):
        ensure_style(image, mask)
        return session.edit(edited, paste_back=True, texture="photo")

    def without_paste_back(image, mask, edited):
        ensure_style(image, mask)
        return session.edit(edited, paste_back=False)

    return {MODEL: with_paste_back, PHOTO_TEXTURE: with_photo_texture, NO_PASTE_BACK: without_paste_back,
            COPY_SOURCE: copy_source}


def style_setter(session) -> Callable[[np.ndarray, np.ndarray], None]:
    """``ensure_style(image, mask)``: the session's style source, encoded only when the face
    differs from the last one given (the methods of one case share it)."""
    styled = []

    def ensure_style(image: np.ndarray, mask: np.ndarray) -> None:
        if not styled or styled[0] is not image:
            session.set_style_source(image, mask)
            styled[:] = [image]

    return ensure_style


def dilation_px(size: int) -> int:
    return max(1, round(size * CHANGED_DILATION))


@dataclass(frozen=True)
class CaseScores:
    """One output against its truth."""

    psnr: float
    psnr_changed: float
    ssim: float
    ssim_changed: float
    delta_e: tuple[float, ...]  # one per class of the edited mask, over its pixels in the changed region


def score(output: np.ndarray, case: Case) -> CaseScores:
    region = metrics.changed_region(case.source_mask, case.edited_mask, dilation_px(case.truth.shape[1]))
    ssim_map = metrics.ssim_map(output, case.truth)
    return CaseScores(
        psnr=metrics.psnr(output, case.truth),
        psnr_changed=metrics.psnr(output, case.truth, region),
        ssim=float(ssim_map.mean()),
        ssim_changed=float(ssim_map[region].mean()) if region.any() else float("nan"),
        delta_e=tuple(metrics.class_delta_e(output, case.truth, case.edited_mask, region=region).values()),
    )


@dataclass(frozen=True)
class Figures:
    """Scores pooled over a set of cases: means of PSNR and SSIM, median of every class's delta E."""

    n: int
    psnr: float
    psnr_changed: float
    ssim: float
    ssim_changed: float
    delta_e_median: float

    @classmethod
    def pool(cls, scores: list[CaseScores]) -> Figures:
        def mean(values):
            values = np.asarray(values, dtype=np.float64)
            values = values[np.isfinite(values)]
            return float(values.mean()) if values.size else float("nan")

        delta_e = [e for s in scores for e in s.delta_e]
        return cls(
            n=len(scores),
            psnr=mean([s.psnr for s in scores]),
            psnr_changed=mean([s.psnr_changed for s in scores]),
            ssim=mean([s.ssim for s in scores]),
            ssim_changed=mean([s.ssim_changed for s in scores]),
            delta_e_median=float(np.median(delta_e)) if delta_e else float("nan"),
        )


@dataclass
class MethodResult:
    """``overall`` pools every scripted edit; style copy is kept apart (it repaints the whole face)."""

    overall: Figures
    style_copy: Figures
    per_kind: dict[str, Figures]


@dataclass
class EvalResult:
    count: int
    seed: int
    resolution: int
    methods: dict[str, MethodResult]
    region_style: dict[str, RegionStyleFigures] | None = None  # style per region, when measured


def evaluate_cases(faces: Iterable[list[Case]], methods: Mapping[str, Method]) -> dict[str, MethodResult]:
    """Score every method on every case of ``faces`` (an iterable of per-face case lists)."""
    scores: dict[str, dict[str, list[CaseScores]]] = {name: defaultdict(list) for name in methods}
    for cases in faces:
        for case in cases:
            for name, method in methods.items():
                output = method(case.source_image, case.source_mask, case.edited_mask)
                scores[name][case.kind].append(score(output, case))
    results = {}
    for name, by_kind in scores.items():
        edits = {kind: s for kind, s in by_kind.items() if kind != STYLE_COPY}
        results[name] = MethodResult(
            overall=Figures.pool([s for kind_scores in edits.values() for s in kind_scores]),
            style_copy=Figures.pool(by_kind.get(STYLE_COPY, [])),
            per_kind={kind: Figures.pool(edits[kind]) for kind in sorted(edits)},
        )
    return results


def evaluate(
    methods: Mapping[str, Method], count: int, seed: int, resolution: int, progress: bool = False
) -> EvalResult:
    """Generate ``count`` held-out faces at ``resolution`` and score ``methods`` on them."""
    faces = held_out_faces(count, seed, resolution)
    bar = tqdm(faces, total=count, desc="eval", unit="face", dynamic_ncols=True, disable=not progress)
    return EvalResult(count=count, seed=seed, resolution=resolution, methods=evaluate_cases(bar, methods))
