"""Auto mask against the human-made masks of ../shared/real_faces: class-group IoU per face and per group.

    python benchmarks/bench_automask.py [--method landmarks|template|parser] [--model 79999_iter.pth]
    python benchmarks/bench_automask.py --photo-size 256 --resolution 512   # as `parse` does it

The faces are CelebA-HQ crops, already aligned, so each method runs on them directly. With
``--photo-size`` each face is instead a photo of that size that goes through the whole photo
pipeline (find, align at ``--resolution``, mask, back to the photo's size), as ``parse`` runs
it. Measure only: never tune on these twelve faces' pixels.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from maskgan_studio.photos import auto_mask, class_group_iou, mask_at_photo_size, prepare_photo
from maskgan_studio.photos.metrics import GROUPS, mean_group_iou

REAL_FACES = Path(__file__).resolve().parents[2] / "shared" / "real_faces"


def masked(image: np.ndarray, args: argparse.Namespace, face_parser) -> np.ndarray:
    if args.photo_size is None:
        return auto_mask(image, args.method, face_parser)[0]
    prepared = prepare_photo(image, resolution=args.resolution, mask_method=args.method, parser=face_parser)
    return mask_at_photo_size(prepared.mask, prepared.transform)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="landmarks", choices=("auto", "landmarks", "template", "parser"))
    parser.add_argument("--model", help="face parser weights for --method parser")
    parser.add_argument("--faces", type=Path, default=REAL_FACES)
    parser.add_argument("--photo-size", type=int, metavar="N", help="run the photo pipeline on N px photos")
    parser.add_argument("--resolution", type=int, default=512, metavar="N", help="with --photo-size: the crop size")
    args = parser.parse_args()
    pairs = [(path, path.with_name(path.stem + "_mask.png")) for path in sorted(args.faces.glob("face_??.png"))]
    pairs = [(image, mask) for image, mask in pairs if mask.is_file()]
    if not pairs:
        parser.exit(2, f"bench_automask: no faces in {args.faces} (face_NN.png with face_NN_mask.png)\n")
    face_parser = None
    if args.model:
        from maskgan_studio.photos.parser_model import load_parser

        face_parser = load_parser(args.model)

    rows, means, seconds = [], [], []
    for image_path, mask_path in pairs:
        image = np.asarray(Image.open(image_path).convert("RGB"))
        truth = np.asarray(Image.open(mask_path))
        if args.photo_size is not None:
            size = (args.photo_size, args.photo_size)
            image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            truth = cv2.resize(truth, size, interpolation=cv2.INTER_NEAREST)
        start = time.perf_counter()
        labels = masked(image, args, face_parser)
        seconds.append(time.perf_counter() - start)
        rows.append(class_group_iou(labels, truth))
        means.append(mean_group_iou(rows[-1]))

    names = list(GROUPS)
    pipeline = f"; photos of {args.photo_size} px, crops of {args.resolution}" if args.photo_size else ""
    print(f"method: {args.method}; {len(rows)} faces from {args.faces}{pipeline}")
    print("| face | " + " | ".join(names) + " | mean |")
    print("|---" * (len(names) + 2) + "|")
    for path_index, (row, mean) in enumerate(zip(rows, means)):
        cells = [f"{row[n]:.2f}" if n in row else "-" for n in names]
        print(f"| {path_index:02d} | " + " | ".join(cells) + f" | {mean:.3f} |")
    group_means = [[r[n] for r in rows if n in r] for n in names]
    cells = [f"{np.mean(values):.2f}" if values else "-" for values in group_means]
    print("| **all** | " + " | ".join(cells) + f" | **{np.mean(means):.3f}** |")
    print(f"time per face: median {np.median(seconds) * 1000:.0f} ms (first call includes model start-up)")


if __name__ == "__main__":
    main()
