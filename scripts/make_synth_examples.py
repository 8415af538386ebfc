"""Draw assets/synth_examples.png: 16 procedural faces, each beside its label mask.

    python scripts/make_synth_examples.py [--seed 0] [--out assets/synth_examples.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from maskgan_studio.io.images import write_image
from maskgan_studio.labels import colorize
from maskgan_studio.synth import sample

TILE = 256
COLUMNS = 4  # face-and-mask pairs per row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the first face")
    parser.add_argument("--count", type=int, default=16)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "assets" / "synth_examples.png")
    args = parser.parse_args()
    pairs = []
    for seed in range(args.seed, args.seed + args.count):
        image, mask, _ = sample(seed, 512)
        face = cv2.resize(image, (TILE, TILE), interpolation=cv2.INTER_AREA)
        labels = colorize(cv2.resize(mask, (TILE, TILE), interpolation=cv2.INTER_NEAREST))
        pairs.append(np.concatenate([face, labels], axis=1))
    while len(pairs) % COLUMNS:
        pairs.append(np.zeros_like(pairs[0]))
    rows = [np.concatenate(pairs[i : i + COLUMNS], axis=1) for i in range(0, len(pairs), COLUMNS)]
    write_image(args.out, np.concatenate(rows, axis=0))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
