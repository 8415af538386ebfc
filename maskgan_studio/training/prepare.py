"""CelebAMask-HQ into a training folder: merged label masks, 512 px images, split lists.

The output is the layout training reads: ``images/NNNNN.jpg`` (the 1024 px photos shrunk to the
512 px masks with an area filter), ``masks/NNNNN.png`` (parts merged in DESIGN.md's order) and
``train.txt``/``val.txt``/``test.txt``. Finished faces are skipped, so an interrupted run picks up
where it stopped; an unreadable or missing file is reported, counted and skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from maskgan_studio.errors import InputFileError
from maskgan_studio.io import read_image, write_image, write_mask
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.io.celebamask import ANNO_FOLDER, IMAGE_FOLDER, anno_folder, image_path, merge_parts

MASK_SIZE = 512
MAPPING_FILE = "CelebA-HQ-to-CelebA-mapping.txt"
PARTITION_FILE = "list_eval_partition.txt"
SPLITS = ("train", "val", "test")
_PART_FILE = re.compile(r"^(\d+)_[a-z_]+\.png$")


@dataclass
class PrepareReport:
    written: int = 0
    already_done: int = 0
    failures: list[str] = field(default_factory=list)
    split_source: str = ""
    split_counts: dict[str, int] = field(default_factory=dict)


def find_indices(root: Path) -> list[int]:
    """Every face index with a photo or at least one part annotation."""
    found = set()
    images = root / IMAGE_FOLDER
    if images.is_dir():
        found.update(int(p.stem) for p in images.iterdir() if p.suffix.lower() == ".jpg" and p.stem.isdigit())
    annotations = anno_folder(root)
    if annotations.is_dir():
        for folder in annotations.iterdir():
            if folder.is_dir():
                found.update(int(m.group(1)) for p in folder.iterdir() if (m := _PART_FILE.match(p.name)))
    return sorted(found)


def _outputs(out: Path, index: int) -> tuple[Path, Path]:
    return out / "images" / f"{index:05d}.jpg", out / "masks" / f"{index:05d}.png"


def prepare_face(root: Path, out: Path, index: int) -> bool:
    """Write one face; False when both files were already there. Raises InputFileError."""
    image_out, mask_out = _outputs(out, index)
    if image_out.is_file() and mask_out.is_file():
        return False
    source = image_path(root, index)
    if not source.is_file():
        raise InputFileError(source, "missing photo")
    mask = merge_parts(root, index, MASK_SIZE)
    image = read_image(source)
    if image.shape[:2] != mask.shape:
        image = cv2.resize(image, mask.shape[::-1], interpolation=cv2.INTER_AREA)
    write_mask(mask_out, mask)
    write_image(image_out, image)
    return True


def _read_official_split(root: Path) -> dict[int, str] | None:
    """Index -> split from CelebA's partition through the HQ mapping, or None without both files."""
    places = [root, root.parent]
    mapping = next((p / MAPPING_FILE for p in places if (p / MAPPING_FILE).is_file()), None)
    partition = next((p / PARTITION_FILE for p in places if (p / PARTITION_FILE).is_file()), None)
    if mapping is None or partition is None:
        return None
    part_of = {}  # CelebA image number -> split
    for line in partition.read_text().splitlines():
        fields = line.split()
        if len(fields) == 2 and Path(fields[0]).stem.isdigit() and fields[1] in ("0", "1", "2"):
            part_of[int(Path(fields[0]).stem)] = SPLITS[int(fields[1])]
    split = {}
    for line in mapping.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0].isdigit() and Path(fields[2]).stem.isdigit():
            if (number := int(Path(fields[2]).stem)) in part_of:
                split[int(fields[0])] = part_of[number]
    return split


def _seeded_split(indices: list[int], seed: int) -> dict[int, str]:
    """90/5/5 in a seeded random order."""
    order = np.random.default_rng(seed).permutation(len(indices))
    n_val = n_test = max(len(indices) * 5 // 100, 1 if len(indices) >= 3 else 0)
    split = {}
    for rank, position in enumerate(order):
        name = "val" if rank < n_val else "test" if rank < n_val + n_test else "train"
        split[indices[position]] = name
    return split


def write_splits(root: Path, out: Path, seed: int, report: PrepareReport) -> None:
    done = sorted(int(p.stem) for p in (out / "masks").glob("*.png") if _outputs(out, int(p.stem))[0].is_file())
    official = _read_official_split(root)
    if official is not None:
        split, report.split_source = official, "official (CelebA partition through the HQ mapping)"
    else:
        split, report.split_source = _seeded_split(done, seed), f"seeded 90/5/5 (seed {seed}; no {MAPPING_FILE})"
    for name in SPLITS:
        members = [f"{index:05d}" for index in done if split.get(index) == name]
        report.split_counts[name] = len(members)
        with atomic_write(out / f"{name}.txt", "w") as handle:
            handle.write("".join(f"{stem}\n" for stem in members))


def prepare_celebamask_hq(
    root: str | os.PathLike,
    out: str | os.PathLike,
    seed: int = 0,
    jobs: int = 4,
    progress: Callable | None = None,
) -> PrepareReport:
    """Prepare every face under ``root`` into ``out``; ``progress`` wraps the iterator (tqdm)."""
    root, out = Path(root), Path(out)
    if not (root / IMAGE_FOLDER).is_dir() and not (root / ANNO_FOLDER).is_dir():
        raise InputFileError(root, f"not a CelebAMask-HQ folder (needs {IMAGE_FOLDER}/ and {ANNO_FOLDER}/)")
    indices = find_indices(root)
    if not indices:
        raise InputFileError(root, "no CelebAMask-HQ faces found")
    if out.exists() and not out.is_dir():
        raise InputFileError(out, "is a file; --out needs a folder")
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "masks").mkdir(exist_ok=True)
    report = PrepareReport()

    def attempt(index: int) -> tuple[bool | None, str]:
        try:
            return prepare_face(root, out, index), ""
        except InputFileError as exc:
            return None, str(exc)

    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        results = pool.map(attempt, indices)
        for wrote, problem in progress(results, total=len(indices)) if progress else results:
            if wrote is None:
                report.failures.append(problem)
            elif wrote:
                report.written += 1
            else:
                report.already_done += 1
    write_splits(root, out, seed, report)
    return report
