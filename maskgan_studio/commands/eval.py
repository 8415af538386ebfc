"""``maskgan-studio eval``: measure a model on held-out procedural faces, where the truth is known,
or (``--real DIR``) on real photos redrawn from their own human-made masks."""

from __future__ import annotations

import argparse
import sys

from maskgan_studio.commands import options
from maskgan_studio.errors import StudioError

HELP = (
    "Measure a model against procedural ground truth: scripted edits, style copies and style per region "
    "(hair from another face) on held-out faces, PSNR/SSIM/delta E against two baselines, and the bundled model's quality targets; or, with "
    "--real, the reconstruction of real photos from their own masks beside SEAN's published table."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_model(parser)
    parser.add_argument("--count", type=int, default=200, metavar="N", help="held-out faces (default: 200)")
    parser.add_argument("--seed", type=int, default=0, metavar="S",
                        help="face i is synth seed 2**31 + S + i, beyond every training seed (default: 0)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    options.add_device(parser)
    options.add_backend(parser, precision="fp32")  # figures of the fp32 computation unless asked
    parser.add_argument("--compile", action=argparse.BooleanOptionalAction, default=True,
                        help="compile the generator where possible: 10 to 30 s once, then faster "
                        "(default: on)")
    parser.add_argument("--real", metavar="DIR",
                        help="instead: redraw each face_NN.png of DIR from its face_NN_mask.png in its own style "
                        "(raw generator output) and report PSNR, SSIM and RMSE beside SEAN's table")
    parser.add_argument("--sheet", metavar="FILE",
                        help="with --real: also write photo | reconstruction rows to this image")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when one of the bundled model's quality targets is missed")


def run(args: argparse.Namespace) -> int:
    if args.count <= 0:
        raise StudioError(f"--count must be at least 1, got {args.count}")
    if args.seed < 0:
        raise StudioError(f"--seed must be 0 or more (negative seeds reach the training faces), got {args.seed}")

    options.check(args)
    from maskgan_studio.engine import EditSession
    from maskgan_studio.evaluation.region_style import (
        evaluate_region_style, region_style_cases, session_region_methods,
    )
    from maskgan_studio.evaluation.report import summary, tables, targets, write_json
    from maskgan_studio.evaluation.runner import evaluate, session_methods
    from maskgan_studio.io.atomic import check_writable

    for path in (args.json, args.sheet):
        if path:
            check_writable(path)
    if args.sheet and not args.real:
        raise StudioError("--sheet goes with --real DIR")
    session = EditSession(options.model_path(args), device=args.device, precision=args.precision,
                          compile=args.compile, backend=args.backend)
    if session.is_random:
        print("maskgan-studio: warning: no bundled model in models/; evaluating untrained random weights, "
              "so the figures say nothing about quality", file=sys.stderr)
    if args.real:
        return _real(session, args)
    result = evaluate(session_methods(session), args.count, args.seed, session.resolution, progress=True)
    cases = list(region_style_cases(args.count, args.seed, session.resolution))
    result.region_style = evaluate_region_style(session_region_methods(session), cases)

    print(f"{session.model_name} on {args.count} held-out faces (seed {args.seed}), "
          f"{session.resolution}x{session.resolution}, {session.device}")
    print()
    print(tables(result))
    print()
    checks = targets(result)
    for target in checks:
        print(target.line())
    if args.json:
        write_json(args.json, summary(result, session.model_name, str(session.device)))
    return 1 if args.check and not all(t.passed for t in checks) else 0


def _real(session, args: argparse.Namespace) -> int:
    import numpy as np

    from maskgan_studio.evaluation import real_faces
    from maskgan_studio.evaluation.report import write_json
    from maskgan_studio.io import write_image

    scores, rows = real_faces.evaluate_real(session, args.real)
    print(f"{session.model_name} on {len(scores)} real faces of {args.real}, raw generator output, "
          f"{session.resolution}x{session.resolution}, {session.device}")
    print()
    print(real_faces.table(scores, session.model_name, session.resolution))
    if args.json:
        write_json(args.json, real_faces.summary(scores, session.model_name, args.real, session.resolution))
    if args.sheet:
        write_image(args.sheet, np.concatenate(rows, axis=0))
    return 0
