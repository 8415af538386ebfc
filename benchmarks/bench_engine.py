"""The engine's fastest path against a plain eager forward pass, same weights, side by side.

    python benchmarks/bench_engine.py [--config full|bundled] [--runs 20] [--precision fp32] [--device cpu]
        [--ngf N] [--n-downsample N] [--n-blocks N] [--resolution N] [--eager] [--threads N]

``full`` is the published generator (ngf 64, 4 downsamplings, 4 blocks) at 512 with random
weights; ``bundled`` is the shipped preset's generator at 256 (maskgan_studio/presets/bundled.toml).
The baseline is what the published code does per edit: one eager ``forward(label, label_ref,
image_ref)``, style encoder included. The session encodes the style once and then runs only the
generator backbone, compiled where possible. Targets on the 2-core CPU: full size at most 1.8 s
per edit; bundled at most 120 ms per edit and 40 ms per preview. The CPU is shared: the load
average is printed with the table, and numbers taken under load are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tomllib

import maskgan_studio  # noqa: F401  (first: it sets torch's OpenMP spin, GOMP_SPINCOUNT, before torch loads)
import numpy as np
import torch

from maskgan_studio.checkpoints import random_model
from maskgan_studio.engine import EditSession
from maskgan_studio.engine.backend_bench import published_forward
from maskgan_studio.engine.timing import MIN_RUNS, Timing, bench_face, bench_session, format_table, measure, warm_up
from maskgan_studio.nets import DMNConfig

PRESETS = os.path.join(os.path.dirname(__file__), "..", "maskgan_studio", "presets", "bundled.toml")


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """--threads and the size overrides of the random-weight model (``random_bench_model``)."""
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's, one per core); one "
                        "thread is steadier on a shared machine and bounds the two-thread time from above")
    for size in ("--ngf", "--n-downsample", "--n-blocks", "--resolution"):
        parser.add_argument(size, type=int, help="override the config's value")


def random_bench_model(args: argparse.Namespace):
    """The random-weight model ``--config`` and the overrides describe, with torch's threads set
    -> (model, config, resolution)."""
    if args.threads:
        torch.set_num_threads(args.threads)
    config, resolution = _config(args)
    return random_model(config, resolution=resolution, name=f"{args.config} (random weights)"), config, resolution


def _config(args: argparse.Namespace) -> tuple[DMNConfig, int]:
    if args.config == "full":
        config, resolution = DMNConfig(), 512
    else:
        with open(PRESETS, "rb") as handle:
            preset = tomllib.load(handle)
        config, resolution = DMNConfig(**preset["dmn"]), preset["resolution"]
    sizes = {"ngf": args.ngf, "n_downsample": args.n_downsample, "n_blocks": args.n_blocks}
    config = DMNConfig(**{**config.to_dict(), **{k: v for k, v in sizes.items() if v is not None}})
    return config, args.resolution or resolution


def _levels_from_fp32(model, session: EditSession, image, mask, edited) -> float:
    """Mean absolute difference (levels of 255) between the session's generator output and an
    fp32 eager session's on the same device: what bf16/fp16 costs in fidelity."""
    reference = EditSession(model, device=session.device, precision="fp32", compile=False)
    reference.set_style_source(image, mask)
    ours, theirs = session.generate_raw(edited), reference.generate_raw(edited)
    return float((ours - theirs).abs().mean() * 127.5)


def _interleaved(steps: dict, runs: int) -> list[Timing]:
    """Each step once per round, so a shared machine's load falls on all of them alike."""
    times = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            times[name].append(measure(name, step, runs=1, warmup=0).median_ms)
    return [Timing(name, statistics.median(t), sorted(t)[int(np.ceil(0.95 * runs)) - 1]) for name, t in times.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=("full", "bundled"), default="full")
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    parser.add_argument("--precision", default="fp32", choices=("fp32", "bf16", "fp16"))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--eager", action="store_true", help="keep the session eager too (no compiling)")
    add_model_arguments(parser)
    args = parser.parse_args()

    model, config, resolution = random_bench_model(args)
    load_before = os.getloadavg()
    session = EditSession(model, device=args.device, precision=args.precision, compile=not args.eager)
    image, mask, edited = bench_face(resolution)
    warmup_ms = warm_up(session, image, mask, edited)
    baseline_forward = published_forward(model, session.device)
    baseline_forward()
    baseline, edit = _interleaved(
        {"plain eager forward (baseline)": baseline_forward, "whole edit (pasted back)": lambda: session.edit(edited)},
        args.runs,
    )
    rows = bench_session(session, args.runs)
    load_after = os.getloadavg()

    print(f"{model.name}: {config}, {resolution}x{resolution}, {session.device} {session.precision}, "
          f"session {session.backend}, {torch.get_num_threads()} threads, {args.runs} runs per step")
    print(f"warm-up of the session (compiling included): {warmup_ms / 1000:.1f} s; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(format_table(rows))
    print("\nside by side (interleaved runs, same load on both):")
    print(format_table([baseline, edit]))
    if session.precision != "fp32":
        gap = _levels_from_fp32(model, session, image, mask, edited)
        print(f"{session.precision} generator output vs fp32 on {session.device}: {gap:.3f} mean absolute levels (of 255)")
    print(f"whole edit / plain eager forward: {edit.median_ms / baseline.median_ms:.2f} "
          f"(the plain forward is {baseline.median_ms / edit.median_ms:.2f}x slower)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
