"""Backends side by side in one run: the whole edit and the preview through each CPU backend and
precision, beside the published code's per-edit cost, and how far each draws from torch fp32.

Used by ``maskgan-studio bench --compare-backends`` and ``benchmarks/bench_cpu_backends.py``.
Runs are interleaved (each contender once per round), so a shared machine's load falls on all
of them alike.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

import torch

from maskgan_studio.checkpoints import Model
from maskgan_studio.engine.backends import openvino_installed
from maskgan_studio.engine.device import cpu_has_native_bf16
from maskgan_studio.engine.session import EditSession
from maskgan_studio.engine.timing import bench_face, measure, warm_up
from maskgan_studio.nets import one_hot
from maskgan_studio.nets.tensors import image_to_tensor

PUBLISHED = "published code (eager forward)"


@dataclass(frozen=True)
class BackendRow:
    name: str
    edit_ms: float  # whole edit, pasted back: median
    preview_ms: float | None  # first stage of a progressive edit: median
    levels: float | None  # mean absolute difference of the raw generator output from torch fp32 (of 255)

    def as_dict(self) -> dict:
        rounded = {"preview_ms": self.preview_ms, "levels": self.levels}
        rounded = {k: None if v is None else round(v, 3) for k, v in rounded.items()}
        return {"name": self.name, "edit_ms": round(self.edit_ms, 1), **rounded}


def contenders() -> list[tuple[str, str, str]]:
    """(row name, backend, precision) for every CPU backend and precision usable here."""
    rows = [("torch eager fp32", "torch", "fp32")]
    if openvino_installed():
        rows.append(("OpenVINO fp32", "openvino", "fp32"))
        if cpu_has_native_bf16():
            rows.append(("OpenVINO bf16", "openvino", "bf16"))
    return rows


def published_forward(model: Model, device: torch.device) -> Callable[[], None]:
    """The published code's per-edit cost: a full eager forward in fp32, style encoding included."""
    image, mask, edited = bench_face(model.resolution)
    dmn = model.dmn.to(device).eval()
    label = one_hot(torch.from_numpy(edited).to(device))
    label_ref = one_hot(torch.from_numpy(mask).to(device))
    image_ref = image_to_tensor(image, device)

    def forward():
        with torch.inference_mode():
            dmn(label, label_ref, image_ref).cpu()  # the copy back waits for a GPU, as an edit does

    return forward


def _interleaved(steps: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    times = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            times[name].append(measure(name, step, runs=1, warmup=0).median_ms)
    return {name: statistics.median(t) for name, t in times.items()}


def compare_backends(model: Model | str | None, runs: int, log: Callable[[str], None] = lambda line: None
                     ) -> list[BackendRow]:
    """One row per contender and one for the published code, all timed in the same rounds.
    ``model``: as ``EditSession`` takes it (None: the bundled model, else random weights)."""
    sessions = {}
    for name, backend, precision in contenders():
        log(f"preparing {name} (converting where not cached)")
        session = EditSession(model, device="cpu", precision=precision, compile=False, backend=backend)
        model = session.model
        image, mask, edited = bench_face(model.resolution)
        warm_up(session, image, mask, edited)
        sessions[name] = session
    reference = sessions["torch eager fp32"].generate_raw(edited)
    published = published_forward(model, torch.device("cpu"))
    published()
    log(f"timing {runs} interleaved rounds")
    edits = _interleaved({PUBLISHED: published, **{n: (lambda s=s: s.edit(edited)) for n, s in sessions.items()}}, runs)
    previews = {}
    if sessions["torch eager fp32"].preview_resolution:
        previews = _interleaved({n: (lambda s=s: next(s.edit_progressive(edited))) for n, s in sessions.items()}, runs)
    rows = [BackendRow(PUBLISHED, edits[PUBLISHED], None, None)]
    for name, session in sessions.items():
        levels = float((session.generate_raw(edited) - reference).abs().mean() * 127.5)
        rows.append(BackendRow(name, edits[name], previews.get(name), levels))
    return rows


def format_rows(rows: list[BackendRow]) -> str:
    published = rows[0].edit_ms
    width = max(len(row.name) for row in rows)
    lines = [f"{'backend':<{width}}  whole edit ms  preview ms  x published  levels from torch fp32",
             f"{'-' * width}  -------------  ----------  -----------  ----------------------"]
    for row in rows:
        preview = "" if row.preview_ms is None else f"{row.preview_ms:.1f}"
        levels = "" if row.levels is None else f"{row.levels:.2f}"
        lines.append(f"{row.name:<{width}}  {row.edit_ms:13.1f}  {preview:>10}  {row.edit_ms / published:11.2f}  "
                     f"{levels:>22}")
    return "\n".join(lines)
