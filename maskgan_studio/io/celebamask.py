"""CelebAMask-HQ on disk: the image path of an index, and its per-part PNGs merged into one mask.

The dataset ships one binary PNG per face part,
``CelebAMask-HQ-mask-anno/{index // 2000}/{index:05d}_{part}.png`` (512x512, 255 inside the part),
and the photos as ``CelebA-HQ-img/{index}.jpg``. ``anno_root`` is the dataset root (the folder
holding ``CelebAMask-HQ-mask-anno``); a path to the ``CelebAMask-HQ-mask-anno`` folder itself is
recognised by its name and accepted too.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from maskgan_studio.io.images import ImageFileError, read_image
from maskgan_studio.io.masks import MaskFileError
from maskgan_studio.labels import ID

ANNO_FOLDER = "CelebAMask-HQ-mask-anno"
IMAGE_FOLDER = "CelebA-HQ-img"
FOLDER_SIZE = 2000

PAINT_ORDER = (
    "skin", "nose", "eye_g", "l_eye", "r_eye", "l_brow", "r_brow", "l_ear", "r_ear",
    "mouth", "u_lip", "l_lip", "hair", "hat", "ear_r", "neck_l", "neck", "cloth",
)
"""Parts in the order they are painted, later over earlier (DESIGN.md)."""


def image_path(root: str | os.PathLike, index: int) -> Path:
    """The CelebA-HQ photo of ``index`` under the dataset root."""
    return Path(root) / IMAGE_FOLDER / f"{index}.jpg"


def anno_folder(anno_root: str | os.PathLike) -> Path:
    """The ``CelebAMask-HQ-mask-anno`` folder, given it or the dataset root that holds it."""
    root = Path(anno_root)
    return root if root.name == ANNO_FOLDER else root / ANNO_FOLDER


def part_paths(anno_root: str | os.PathLike, index: int) -> dict[str, Path]:
    """Where each part of ``index`` would be, in paint order; the files need not exist."""
    folder = anno_folder(anno_root) / str(index // FOLDER_SIZE)
    return {part: folder / f"{index:05d}_{part}.png" for part in PAINT_ORDER}


def merge_parts(anno_root: str | os.PathLike, index: int, size: int = 512) -> np.ndarray:
    """The uint8 (size, size) class-id mask of ``index``, parts painted in ``PAINT_ORDER``.

    A missing part is an absent class. A pixel is inside a part where any channel is > 127;
    parts of another size are resized (nearest neighbour). Raises MaskFileError naming the file
    when a part cannot be read, or the expected location when the index has no part at all.
    """
    paths = part_paths(anno_root, index)
    mask = np.zeros((size, size), dtype=np.uint8)
    found = 0
    for part, path in paths.items():
        if not path.is_file():
            continue
        mask[_read_part(path, size)] = ID[part]
        found += 1
    if not found:
        pattern = paths[PAINT_ORDER[0]].with_name(f"{index:05d}_*.png")
        raise MaskFileError(pattern, f"no part files for CelebAMask-HQ index {index}")
    return mask


def _read_part(path: Path, size: int) -> np.ndarray:
    try:
        inside = read_image(path).max(axis=2) > 127
    except ImageFileError as exc:
        raise MaskFileError(path, exc.problem) from None
    if inside.shape != (size, size):
        resized = Image.fromarray(inside).resize((size, size), Image.Resampling.NEAREST)
        inside = np.asarray(resized)
    return inside
