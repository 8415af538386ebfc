"""``maskgan-studio prepare celebamask-hq|generated-faces``: a training folder from a dataset or a generator."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = ("Make a training folder: CelebAMask-HQ (merged masks, 512 px images, split lists) or photographic "
        "faces drawn by MobileStyleGAN and masked with Auto mask.")

SHOWN_FAILURES = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", choices=("celebamask-hq", "generated-faces"), help="what to prepare")
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help="celebamask-hq: the CelebAMask-HQ folder (holding CelebA-HQ-img/ and "
                        "CelebAMask-HQ-mask-anno/; CelebA-HQ-to-CelebA-mapping.txt and list_eval_partition.txt "
                        "there give the official split)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="the training folder to fill")
    parser.add_argument("--seed", type=int, default=0,
                        help="celebamask-hq: seed of the 90/5/5 split used without the official files; "
                        "generated-faces: the faces drawn (face i of seed S is always the same face)")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), metavar="N",
                        help="celebamask-hq: parallel workers")
    parser.add_argument("--count", type=int, metavar="N", help="generated-faces: faces to draw (0 to N-1)")
    parser.add_argument("--workers", type=int, default=1, metavar="W",
                        help="generated-faces: processes that align and mask while the generator draws (default 1)")
    parser.add_argument("--truncation", type=float, default=0.7, metavar="T",
                        help="generated-faces: style truncation towards the mean style, 0 (the mean face) to 1 "
                        "(none); default 0.7")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"),
                        help="generated-faces: where the generator runs (the CPU uses openvino when installed)")
    parser.add_argument("--resolution", type=int, default=512, metavar="PX",
                        help="generated-faces: crop size (default 512, as CelebAMask-HQ; 256 for the bundled preset)")
    parser.add_argument("--batch-size", type=int, metavar="N", help="generated-faces: faces per generator call")


def run(args: argparse.Namespace) -> int:
    from maskgan_studio.errors import StudioError

    if args.dataset == "generated-faces":
        return _generated(args)
    if args.root is None:
        raise StudioError("prepare celebamask-hq needs --root DIR (the CelebAMask-HQ folder)")
    return _celebamask(args)


def _bar(**kwargs):
    from tqdm import tqdm

    return tqdm(desc="prepare", unit="face", dynamic_ncols=True, **kwargs)


def _generated(args: argparse.Namespace) -> int:
    from maskgan_studio.errors import StudioError

    if args.count is None or args.count < 1:
        raise StudioError("prepare generated-faces needs --count N (at least 1)")
    if not 0.0 <= args.truncation <= 1.0:
        raise StudioError(f"--truncation must be between 0 and 1, got {args.truncation}")
    if args.workers < 0:
        raise StudioError(f"--workers must be 0 or more, got {args.workers}")
    from maskgan_studio.photos import mediapipe_models
    from maskgan_studio.training.generated_faces import prepare_generated_faces

    if not mediapipe_models.available():
        raise StudioError(f"prepare generated-faces masks each face by its face mesh: {mediapipe_models.MISSING}")

    report = prepare_generated_faces(args.out, args.count, seed=args.seed, truncation=args.truncation,
                                     workers=args.workers, device=args.device, resolution=args.resolution,
                                     batch_size=args.batch_size, progress=_bar)
    skipped = ", ".join(f"{reason} {n}" for reason, n in sorted(report.skipped.items())) or "none"
    rate = report.drawn / report.seconds if report.seconds else 0.0
    print(f"{report.written} faces written, {report.already_done} already done in {args.out} "
          f"({report.drawn} drawn, {rate:.2f} faces/s); skipped: {skipped}")
    return 0


def _celebamask(args: argparse.Namespace) -> int:
    from maskgan_studio.errors import StudioError
    from maskgan_studio.training.prepare import prepare_celebamask_hq

    def progress(iterable, total):
        return _bar(iterable=iterable, total=total)

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
