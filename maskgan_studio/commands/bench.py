"""``maskgan-studio bench``: how long each step of an edit takes with a model on a device."""

from __future__ import annotations

import argparse
import json

from maskgan_studio.commands import options
from maskgan_studio.errors import StudioError

HELP = (
    "Time the inference engine: style encoding, generation at the working resolution, the preview "
    "and the whole edit (median and p95 after a warm-up)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_model(parser, default="the bundled model, else random weights")
    options.add_device(parser)
    options.add_backend(parser)
    parser.add_argument("--runs", type=int, default=20, metavar="N", help="timed runs per step (at least 20)")
    parser.add_argument("--eager", action="store_true", help="do not compile the generator")
    parser.add_argument("--threads", type=int, metavar="N", help="CPU threads (default: one per core)")
    parser.add_argument("--compare-backends", action="store_true",
                        help="instead: the whole edit and the preview through torch and OpenVINO (fp32, and bf16 "
                        "where the CPU has it) beside the published code, interleaved in one run, on the CPU")
    parser.add_argument("--json", action="store_true", help='print {"rows": [{"name", "median_ms", "p95_ms"}]}')


def run(args: argparse.Namespace) -> int:
    from maskgan_studio.engine.timing import MIN_RUNS

    options.check(args)

    if args.runs < MIN_RUNS:
        raise StudioError(f"--runs must be at least {MIN_RUNS}, got {args.runs}")

    import torch

    if args.threads is not None:
        if args.threads < 1:
            raise StudioError(f"--threads must be at least 1, got {args.threads}")
        torch.set_num_threads(args.threads)

    if args.compare_backends:
        return _compare_backends(args)

    from maskgan_studio.engine import EditSession
    from maskgan_studio.engine.timing import bench_face, bench_session, format_table, warm_up

    session = EditSession(options.model_path(args), device=args.device, precision=args.precision,
                          compile=not args.eager, backend=args.backend)
    warmup_ms = warm_up(session, *bench_face(session.resolution))
    rows = bench_session(session, args.runs)
    about = {
        "model": session.model_name,
        "random_weights": session.is_random,
        "device": str(session.device),
        "precision": session.precision,
        "backend": session.backend,
        "resolution": session.resolution,
        "threads": torch.get_num_threads(),
        "runs": args.runs,
        "warmup_ms": round(warmup_ms, 1),
    }
    if args.json:
        print(json.dumps({**about, "rows": [row.as_dict() for row in rows]}))
        return 0
    name = f"{session.model_name} (untrained)" if session.is_random else session.model_name
    print(f"{name}, {session.resolution}x{session.resolution}, {session.device} "
          f"{session.precision}, {session.backend}, {about['threads']} threads, {args.runs} runs per step; "
          f"warm-up {warmup_ms / 1000:.1f} s")
    print(format_table(rows))
    return 0


def _compare_backends(args: argparse.Namespace) -> int:
    import os
    import sys

    import torch

    from maskgan_studio.engine.backend_bench import compare_backends, format_rows

    load_before = os.getloadavg()
    rows = compare_backends(options.model_path(args), args.runs, log=lambda line: print(line, file=sys.stderr))
    load_after = os.getloadavg()
    if args.json:
        print(json.dumps({"threads": torch.get_num_threads(), "runs": args.runs,
                          "rows": [row.as_dict() for row in rows]}))
        return 0
    print(f"CPU backends side by side, {torch.get_num_threads()} threads, {args.runs} interleaved runs; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (the machine's other work)")
    print(format_rows(rows))
    return 0
