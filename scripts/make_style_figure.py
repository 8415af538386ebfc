"""Draw assets/style_astronaut.png: style per region on a real photo.

    python scripts/make_style_figure.py HAIR_FACE LIPS_FACE [--model PATH] [--out PNG]

assets/style_astronaut.png is assets/style_faces/blond.jpg and auburn.jpg.

The photo is scikit-image's astronaut (Eileen Collins, NASA: public domain). HAIR_FACE and
LIPS_FACE are style faces with their masks beside them (``face.png`` and ``face_mask.png``, e.g.
two of the editor's built-in gallery). The face is found, aligned and masked as `edit` does and
keeps its mask; columns: photo | hair from HAIR_FACE, the generator's picture | the same with the
texture stage (patches from HAIR_FACE's hair) | hair and lips from LIPS_FACE, texture stage; the
style faces in a strip below.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
from skimage import data

from maskgan_studio.core.style_map import GROUPS, StyleMap
from maskgan_studio.engine import EditSession
from maskgan_studio.io import read_image, read_mask, write_image
from maskgan_studio.io.masks import find_mask_beside
from maskgan_studio.photos import prepare_photo

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def read_style_face(path: Path) -> tuple[np.ndarray, np.ndarray]:
    mask = find_mask_beside(path)
    if mask is None:
        raise SystemExit(f"{path}: no mask beside it")
    return read_image(path), read_mask(mask)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hair_face", type=Path)
    parser.add_argument("lips_face", type=Path)
    parser.add_argument("--model", help="model bundle (default: the bundled model)")
    parser.add_argument("--out", type=Path, default=ASSETS / "style_astronaut.png")
    args = parser.parse_args()
    prepared = prepare_photo(data.astronaut(), resolution=512)
    session = EditSession(args.model, device="cpu", compile=False)
    session.set_style_source(prepared.image, prepared.mask)
    faces = [read_style_face(args.hair_face), read_style_face(args.lips_face)]
    for key, face in zip("bc", faces):
        session.set_style_reference(key, *face)
    hair = StyleMap().assign(GROUPS["hair"], "b")
    both = StyleMap().assign(GROUPS["hair"], "c").assign(GROUPS["lips"], "c")
    columns = [prepared.image,
               session.edit(prepared.mask, style_map=hair, texture="generator"),
               session.edit(prepared.mask, style_map=hair, texture="photo"),
               session.edit(prepared.mask, style_map=both, texture="photo")]
    side = prepared.image.shape[0]
    strip = np.full((side // 4, side * len(columns), 3), 255, np.uint8)
    for n, (image, _) in enumerate(faces, start=1):
        thumb = cv2.resize(image, (side // 4, side // 4), interpolation=cv2.INTER_AREA)
        x = (n + 1) * side - side // 4 if n == 1 else 4 * side - side // 4
        strip[:, x:x + side // 4] = thumb
    write_image(args.out, np.concatenate([np.concatenate(columns, 1), strip], 0))
    print(f"wrote {args.out}: {prepared.description}")


if __name__ == "__main__":
    main()
