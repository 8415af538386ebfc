"""Auto mask against the human-made masks of ../shared/real_faces: class-group IoU per face and per group.

    python benchmarks/bench_automask.py [--method landmarks|template|parser] [--model 79999_iter.pth]

The faces are CelebA-HQ crops, already aligned, so each method runs on them directly. Measure only:
never tune on these twelve faces' pixels.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from PIL import Image

from maskgan_studio.photos import auto_mask, class_group_iou
from maskgan_studio.photos.metrics import GROUPS, mean_group_iou

REAL_FACES = Path(__file__).resolve().parents[2] / "shared" / "real_faces"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="landmarks", choices=("landmarks", "template", "parser"))
    parser.add_argument("--model", help="face parser weights for --method parser")
    parser.add_argument("--faces", type=Path, default=REAL_FACES)
    args = parser.parse_args()
    face_parser = None
    if args.model:
        from maskgan_studio.photos.parser_model import load_parser

        face_parser = load_parser(args.model)

    rows, means, seconds = [], [], []
    for image_path in sorted(args.faces.glob("face_??.png")):
        image = np.asarray(Image.open(image_path).convert("RGB"))
        truth = np.asarray(Image.open(image_path.with_name(image_path.stem + "_mask.png")))
        start = time.perf_counter()
        labels, _ = auto_mask(image, args.method, face_parser)
        seconds.append(time.perf_counter() - start)
        rows.append(class_group_iou(labels, truth))
        means.append(mean_group_iou(rows[-1]))

    names = list(GROUPS)
    print(f"method: {args.method}; {len(rows)} faces from {args.faces}")
    print("| face | " + " | ".join(names) + " | mean |")
    print("|---" * (len(names) + 2) + "|")
    for path_index, (row, mean) in enumerate(zip(rows, means)):
        cells = [f"{row[n]:.2f}" if n in row else "-" for n in names]
        print(f"| {path_index:02d} | " + " | ".join(cells) + f" | {mean:.3f} |")
    group_means = [np.mean([r[n] for r in rows if n in r]) for n in names]
    print("| **all** | " + " | ".join(f"{m:.2f}" for m in group_means) + f" | **{np.mean(means):.3f}** |")
    print(f"time per face: median {np.median(seconds) * 1000:.0f} ms (first call includes model start-up)")


if __name__ == "__main__":
    main()
