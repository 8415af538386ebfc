"""The engine benchmark: median and p95 of each step of an edit, on a procedural face.

Used by ``maskgan-studio bench`` and ``benchmarks/bench_engine.py``. Timings run after a
warm-up (which, on the compiled path, includes compiling for both working resolutions).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from maskgan_studio.engine.session import EditSession
from maskgan_studio.synth import edits, sample

MIN_RUNS = 20


@dataclass(frozen=True)
class Timing:
    name: str
    median_ms: float
    p95_ms: float

    def as_dict(self) -> dict:
        return {"name": self.name, "median_ms": round(self.median_ms, 2), "p95_ms": round(self.p95_ms, 2)}


def measure(name: str, step: Callable[[], object], runs: int, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        step()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(np.ceil(0.95 * len(times))) - 1)]
    return Timing(name, statistics.median(times), p95)


def bench_face(size: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(image, mask, edited mask): a procedural face and one scripted edit of it."""
    image, mask, _ = sample(seed, size)
    _, edited = edits.random_edit(mask, np.random.default_rng(seed))
    return image, mask, edited


def warm_up(session: EditSession, image: np.ndarray, mask: np.ndarray, edited: np.ndarray) -> float:
    """One style encoding and one progressive edit (compiles where compiling is on); -> ms."""
    start = time.perf_counter()
    session.set_style_source(image, mask)
    for _ in session.edit_progressive(edited):
        pass
    return (time.perf_counter() - start) * 1000


def bench_session(session: EditSession, runs: int = MIN_RUNS) -> list[Timing]:
    r = session.resolution
    image, mask, edited = bench_face(r)  # drawn at the working resolution
    rows = [
        measure("style encoding", lambda: session.set_style_source(image, mask), runs),
        measure(f"generation {r}x{r}", lambda: session.generate_raw(edited), runs),
    ]
    if session.preview_resolution:
        p = session.preview_resolution
        rows.append(measure(f"preview ({p}x{p}, pasted back)", lambda: next(session.edit_progressive(edited)), runs))
    rows.append(measure("whole edit (pasted back)", lambda: session.edit(edited), runs))
    return rows


def format_table(rows: list[Timing]) -> str:
    width = max(len(row.name) for row in rows)
    lines = [f"{'step':<{width}}  median ms    p95 ms", f"{'-' * width}  ---------  --------"]
    lines += [f"{row.name:<{width}}  {row.median_ms:9.1f}  {row.p95_ms:8.1f}" for row in rows]
    return "\n".join(lines)
