"""``maskgan-studio prepare celebamask-hq --root DIR --out DIR``: a dataset into a training folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "Turn CelebAMask-HQ into a training folder: merged masks, 512 px images, train/val/test lists."

SHOWN_FAILURES = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", choices=("celebamask-hq",), help="the dataset to prepare")
    parser.add_argument("--root", required=True, type=Path, metavar="DIR",
                        help="the CelebAMask-HQ folder (holding CelebA-HQ-img/ and CelebAMask-HQ-mask-anno/; "
                        "CelebA-HQ-to-CelebA-mapping.txt and list_eval_partition.txt there give the official split)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="the training folder to fill")
    parser.add_argument("--seed", type=int, default=0, help="seed of the 90/5/5 split used without the official files")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), metavar="N", help="parallel workers")


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from maskgan_studio.errors import StudioError
    from maskgan_studio.training.prepare import prepare_celebamask_hq

    def progress(iterable, total):
        return tqdm(iterable, total=total, desc="prepare", unit="face", dynamic_ncols=True)

    report = prepare_celebamask_hq(args.root, args.out, seed=args.seed, jobs=args.jobs, progress=progress)
    for problem in report.failures[:SHOWN_FAILURES]:
        print(f"skipped: {problem}", file=sys.stderr)
    if len(report.failures) > SHOWN_FAILURES:
        print(f"skipped: ... and {len(report.failures) - SHOWN_FAILURES} more", file=sys.stderr)
    if not report.written and not report.already_done:
        raise StudioError(f"{args.root}: no face could be prepared ({len(report.failures)} skipped)")
    counts = ", ".join(f"{name} {count}" for name, count in report.split_counts.items())
    print(
        f"{report.written} faces written, {report.already_done} already done, {len(report.failures)} skipped "
        f"(unreadable or missing files) in {args.out}\nsplit: {report.split_source}: {counts}"
    )
    return 0
