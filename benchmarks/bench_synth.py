"""Time procedural faces on one core: mask, style and render per sample, as a table.

    python benchmarks/bench_synth.py [--count 60] [--sizes 256 512]

Caches (noise fields, hair strands) fill during a warm-up pass over the same seeds, so the
table shows the steady state a training run streams at. The target is a 512 px sample
(mask and render) in at most 40 ms median.
"""

from __future__ import annotations

import argparse
import time

import cv2
import numpy as np

from maskgan_studio.synth import random_mask, random_style, render


def _time_samples(count: int, size: int) -> dict[str, dict[str, np.ndarray]]:
    """Wall and CPU milliseconds per part. CPU time (this thread only) is the steadier number
    on a shared machine: other processes stretch the wall clock, not this thread's CPU time."""
    clocks = {"wall": time.perf_counter, "cpu": time.thread_time}
    times = {clock: {"mask": [], "style": [], "render": [], "total": []} for clock in clocks}
    for seed in range(count):
        rng = np.random.default_rng(seed)
        marks = [{c: f() for c, f in clocks.items()}]
        mask = random_mask(rng, size)
        marks.append({c: f() for c, f in clocks.items()})
        style = random_style(rng)
        marks.append({c: f() for c, f in clocks.items()})
        render(mask, style)
        marks.append({c: f() for c, f in clocks.items()})
        for clock in clocks:
            for part, (a, b) in (("mask", (0, 1)), ("style", (1, 2)), ("render", (2, 3)), ("total", (0, 3))):
                times[clock][part].append((marks[b][clock] - marks[a][clock]) * 1000)
    return {clock: {part: np.array(v) for part, v in parts.items()} for clock, parts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="samples per size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512])
    args = parser.parse_args()
    cv2.setNumThreads(1)
    print("| size | part | wall median ms | wall p90 ms | CPU median ms | samples |\n|---|---|---|---|---|---|")
    for size in args.sizes:
        _time_samples(args.count, size)  # warm-up: fills the texture caches
        times = _time_samples(args.count, size)
        for part, wall in times["wall"].items():
            cpu = times["cpu"][part]
            print(f"| {size} | {part} | {np.median(wall):.1f} | {np.percentile(wall, 90):.1f} | "
                  f"{np.median(cpu):.1f} | {len(wall)} |")

if __name__ == "__main__":
    main()
