"""What eval prints and saves: the JSON summary, a Markdown table and the quality targets."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass

from maskgan_studio.evaluation import region_style
from maskgan_studio.evaluation.cases import EDITS_PER_FACE, HELD_OUT_SEED_BASE
from maskgan_studio.evaluation.runner import (
    COPY_SOURCE,
    MODEL,
    NO_PASTE_BACK,
    PHOTO_TEXTURE,
    EvalResult,
    Figures,
    MethodResult,
    dilation_px,
)
from maskgan_studio.io.atomic import atomic_write

METHOD_TITLES = {
    MODEL: "model",
    PHOTO_TEXTURE: "model with photo texture",
    NO_PASTE_BACK: "generator without paste-back",
    COPY_SOURCE: "copy source (baseline)",
}


@dataclass(frozen=True)
class Target:
    """One of the quality targets of the bundled model (issue 7)."""

    name: str
    value: float
    threshold: float
    at_least: bool  # True: value >= threshold passes; False: value <= threshold passes

    @property
    def passed(self) -> bool:
        if math.isnan(self.value):
            return False
        return self.value >= self.threshold if self.at_least else self.value <= self.threshold

    def line(self) -> str:
        sign = ">=" if self.at_least else "<="
        verdict = "PASS" if self.passed else "FAIL"
        return f"{verdict}  {self.name}: {self.value:.2f} {sign} {self.threshold:.2f}"


PSNR_MARGIN_DB = 4.0
MIN_SSIM = 0.85
MAX_STYLE_COPY_DELTA_E = 8.0


def targets(result: EvalResult) -> list[Target]:
    model = result.methods[MODEL]
    copy = result.methods[COPY_SOURCE]
    return [
        Target(
            f"PSNR over the changed region (dB), copy source + {PSNR_MARGIN_DB:g}",
            model.overall.psnr_changed,
            copy.overall.psnr_changed + PSNR_MARGIN_DB,
            at_least=True,
        ),
        Target("whole-image SSIM", model.overall.ssim, MIN_SSIM, at_least=True),
        Target("style copy, median per-class delta E", model.style_copy.delta_e_median, MAX_STYLE_COPY_DELTA_E,
               at_least=False),
        *_region_style_targets(result),
    ]


def _region_style_targets(result: EvalResult) -> list[Target]:
    figures = (result.region_style or {}).get(region_style.MODEL)
    if figures is None:
        return []
    return [
        Target("style per region, restyled classes' median delta E", figures.restyled_delta_e_median,
               region_style.MAX_RESTYLED_DELTA_E, at_least=False),
        Target("style per region, PSNR of the classes that keep their style (dB)", figures.kept_psnr,
               region_style.MIN_KEPT_PSNR, at_least=True),
    ]


def _figures(figures: Figures) -> dict:
    return {key: (None if isinstance(v, float) and math.isnan(v) else v) for key, v in asdict(figures).items()}


def _method(method: MethodResult) -> dict:
    return {
        **_figures(method.overall),
        "style_copy": _figures(method.style_copy),
        "per_kind": {kind: _figures(f) for kind, f in method.per_kind.items()},
    }


def summary(result: EvalResult, model_name: str, device: str) -> dict:
    """The JSON document: the model's figures at the top, the baselines beside them."""
    model = result.methods[MODEL]
    return {
        "model": model_name,
        "device": device,
        "count": result.count,
        "seed": result.seed,
        "resolution": result.resolution,
        "face_seeds": [HELD_OUT_SEED_BASE + result.seed, HELD_OUT_SEED_BASE + result.seed + result.count - 1],
        "edits_per_face": EDITS_PER_FACE,
        "changed_region_dilation_px": dilation_px(result.resolution),
        "overall": _figures(model.overall),
        "style_copy": _figures(model.style_copy),
        "per_kind": {kind: _figures(f) for kind, f in model.per_kind.items()},
        "baselines": {name: _method(result.methods[name]) for name in (COPY_SOURCE, NO_PASTE_BACK)},
        "with_photo_texture": _method(result.methods[PHOTO_TEXTURE]) if PHOTO_TEXTURE in result.methods else None,
        "region_style": None if result.region_style is None else {
            name: _figures(figures) for name, figures in result.region_style.items()},
        "targets": [{**asdict(t), "passed": t.passed} for t in targets(result)],
    }


def write_json(path: str | os.PathLike, document: dict) -> None:
    with atomic_write(path, "w") as handle:
        json.dump(document, handle, indent=2, allow_nan=False)
        handle.write("\n")


def _cell(value: float, digits: int) -> str:
    return "n/a" if math.isnan(value) else f"{value:.{digits}f}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _header(titles: list[str]) -> list[str]:
    return [_row(titles), _row(["---"] * len(titles))]


def tables(result: EvalResult) -> str:
    """Two Markdown tables: each method overall and on style copy, then the model per edit kind."""
    lines = _header(["method", "edits", "PSNR dB", "PSNR changed dB", "SSIM", "SSIM changed", "delta E median",
                     "style copy SSIM", "style copy delta E median"])
    for name, title in METHOD_TITLES.items():
        if name not in result.methods:
            continue
        method = result.methods[name]
        o, s = method.overall, method.style_copy
        lines.append(_row([title, str(o.n), _cell(o.psnr, 2), _cell(o.psnr_changed, 2), _cell(o.ssim, 3),
                           _cell(o.ssim_changed, 3), _cell(o.delta_e_median, 2), _cell(s.ssim, 3),
                           _cell(s.delta_e_median, 2)]))
    lines.append("")
    textured = result.methods.get(PHOTO_TEXTURE)
    lines += _header(["edit kind", "n", "PSNR changed dB", *(["with photo texture"] if textured else []),
                      "without paste-back", "copy source", "SSIM", "SSIM changed", "delta E median"])
    model, raw, copy = (result.methods[name] for name in (MODEL, NO_PASTE_BACK, COPY_SOURCE))
    for kind, f in model.per_kind.items():
        texture_cell = [_cell(textured.per_kind[kind].psnr_changed, 2)] if textured else []
        lines.append(_row([kind, str(f.n), _cell(f.psnr_changed, 2), *texture_cell,
                           _cell(raw.per_kind[kind].psnr_changed, 2), _cell(copy.per_kind[kind].psnr_changed, 2),
                           _cell(f.ssim, 3), _cell(f.ssim_changed, 3), _cell(f.delta_e_median, 2)]))
    if result.region_style is not None:
        lines += ["", region_style.table(result.region_style)]
    return "\n".join(lines)
