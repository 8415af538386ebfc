"""Training data: prepared folders or procedural faces, as deterministic per-rank streams.

Sample ``k`` of rank ``r`` is a pure function of (seed, r, k): a folder is walked in a seeded
permutation per epoch, each rank taking every ``world``-th face (as DistributedSampler does),
and procedural faces are drawn from a seed derived from (seed, r, k). Resuming is therefore just
starting the stream at the number of samples already consumed, with or without loader workers.

A prepared folder holds ``images/`` and ``masks/`` with matching file stems (``prepare`` and
``synth`` write this layout), and optionally ``train.txt``/``val.txt``/``test.txt`` listing stems.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from maskgan_studio.core.arrays import resize_image, resize_mask
from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.io import read_image, read_mask
from maskgan_studio.labels import flip_labels
from maskgan_studio.nets.tensors import image_to_tensor
from maskgan_studio.synth import render, sample
from maskgan_studio.synth.edits import NotApplicable, random_edit

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
SYNTHETIC = "synthetic"
_EVAL_STREAM = 0x5EED  # keeps held-out procedural faces apart from every rank's training stream


def resize_pair(image: np.ndarray | None, mask: np.ndarray, size: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Bring a face to ``size`` x ``size`` by the engine's own rule (``core.arrays``)."""
    return (None if image is None else resize_image(image, size, size)), resize_mask(mask, size, size)


class FolderFaces:
    """The image/mask pairs of a prepared folder, optionally restricted to a split list."""

    def __init__(self, root: str | os.PathLike, split: str | None = "train"):
        self.root = Path(root)
        images, masks = self.root / "images", self.root / "masks"
        if not images.is_dir() or not masks.is_dir():
            raise InputFileError(self.root, "not a prepared dataset folder (needs images/ and masks/)")
        image_files = {p.stem: p for p in sorted(images.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES}
        mask_files = {p.stem: p for p in sorted(masks.iterdir()) if p.suffix.lower() == ".png"}
        stems = sorted(set(image_files) & set(mask_files))
        listing = self.root / f"{split}.txt" if split else None
        self.split = split if listing is not None and listing.is_file() else None
        if self.split:
            wanted = [Path(line.strip()).stem for line in listing.read_text().splitlines() if line.strip()]
            stems = [s for s in wanted if s in image_files and s in mask_files]
        if not stems:
            raise InputFileError(self.root, "no image/mask pairs found (images/NAME.png|jpg with masks/NAME.png)")
        self.pairs = [(image_files[s], mask_files[s]) for s in stems]

    def __len__(self) -> int:
        return len(self.pairs)

    def load(self, index: int, with_image: bool = True) -> tuple[np.ndarray | None, np.ndarray]:
        image_path, mask_path = self.pairs[index]
        mask = read_mask(mask_path)
        return (read_image(image_path) if with_image else None), mask


def derived_seed(*numbers: int) -> int:
    return int(np.random.SeedSequence([n & 0xFFFFFFFF for n in numbers]).generate_state(1)[0] & 0x7FFFFFFF)


@functools.lru_cache(maxsize=4)
def _epoch_order(seed: int, epoch: int, count: int) -> np.ndarray:
    return np.random.default_rng(derived_seed(seed, epoch)).permutation(count)


@dataclass
class FaceStream(Dataset):
    """Map-style view of rank ``rank``'s infinite stream: item ``k`` is its ``k``-th training face."""

    source: FolderFaces | None  # None: procedural faces
    resolution: int
    seed: int = 0
    rank: int = 0
    world: int = 1
    flip: bool = True
    with_images: bool = True
    restyle: float = 0.0
    """Procedural faces only (see TrainConfig.restyle). When above 0 every item also carries
    ``style_mask`` and ``style_image``, the face the style is taken from."""

    def _folder_index(self, k: int) -> int:
        per_rank = max(len(self.source) // self.world, 1)
        epoch, offset = divmod(k, per_rank)
        order = _epoch_order(self.seed, epoch, len(self.source))
        return int(order[(self.rank + offset * self.world) % len(self.source)])

    def face(self, k: int) -> tuple[np.ndarray | None, np.ndarray]:
        if self.source is None:
            image, mask, _style = sample(derived_seed(self.seed, self.rank, k), self.resolution)
            return image, mask
        for attempt in range(len(self.source)):
            index = (self._folder_index(k) + attempt) % len(self.source)
            try:
                return self.source.load(index, self.with_images)
            except InputFileError as exc:
                print(f"maskgan-studio: skipping unreadable face: {exc}", file=sys.stderr)
        raise StudioError(f"{self.source.root}: no readable face left")

    def _restyled(self, k: int, image: np.ndarray, mask: np.ndarray, style) -> tuple[np.ndarray, np.ndarray]:
        """The target of sample ``k``: the face itself, or another mask drawn in its style."""
        rng = np.random.default_rng(derived_seed(self.seed, self.rank, k, 2))
        if rng.random() >= self.restyle:
            return image, mask
        if rng.random() < 0.5:
            _other_image, other, _other_style = sample(derived_seed(self.seed, self.rank, k, 3), self.resolution)
        else:
            try:
                _kind, other = random_edit(mask, rng)
            except NotApplicable:
                return image, mask
        return render(other, style), other

    def __getitem__(self, k: int) -> dict[str, torch.Tensor]:
        if self.source is None and self.restyle > 0:
            style_image, style_mask, style = sample(derived_seed(self.seed, self.rank, k), self.resolution)
            image, mask = self._restyled(k, style_image, style_mask, style)
        else:
            image, mask = resize_pair(*self.face(k), self.resolution)
            style_image = style_mask = None
        flip = self.flip and np.random.default_rng(derived_seed(self.seed, self.rank, k, 1)).random() < 0.5
        item = _item(image, mask, flip)
        if style_mask is not None:
            style_item = _item(style_image, style_mask, flip)
            item.update(style_mask=style_item["mask"], style_image=style_item["image"])
        return item


def _item(image: np.ndarray | None, mask: np.ndarray, flip: bool) -> dict[str, torch.Tensor]:
    if flip:
        mask = flip_labels(mask)
        image = None if image is None else image[:, ::-1]
    item = {"mask": torch.from_numpy(np.ascontiguousarray(mask))}
    if image is not None:
        item["image"] = image_to_tensor(image)[0]
    return item


class _CountFrom(Sampler[int]):
    def __init__(self, start: int):
        self.start = start

    def __iter__(self) -> Iterator[int]:
        return itertools.count(self.start)


def batches(
    stream: FaceStream, batch_size: int, start: int, workers: int = 0, pin: bool = False, worker_init=None
) -> Iterator[dict]:
    """Endless batches of ``stream`` from sample ``start`` on (the resume position)."""
    loader = DataLoader(
        stream,
        batch_size=batch_size,
        sampler=_CountFrom(start),
        num_workers=workers,
        pin_memory=pin,
        worker_init_fn=worker_init if workers else None,
        generator=torch.Generator().manual_seed(stream.seed),  # leaves the global RNG alone
    )
    return iter(loader)


def open_source(data: str) -> FolderFaces | None:
    """``synthetic`` for procedural faces, otherwise a prepared folder's training split."""
    return None if data == SYNTHETIC else FolderFaces(data, "train")


def held_out(data: str, count: int, resolution: int, seed: int, with_images: bool = True) -> dict[str, torch.Tensor]:
    """A fixed batch for sample grids and evaluation: the ``val`` split (else the first faces) or
    procedural faces from a stream no rank trains on."""
    if data == SYNTHETIC:
        stream = FaceStream(None, resolution, seed=seed, rank=_EVAL_STREAM, flip=False, with_images=with_images)
        items = [stream[k] for k in range(count)]
    else:
        listing = Path(data) / "val.txt"
        has_val = listing.is_file() and listing.read_text().strip()  # empty with few faces: none held out
        source = FolderFaces(data, "val" if has_val else "train")
        faces = (source.load(i, with_images) for i in range(min(count, len(source))))
        items = []
        for image, mask in faces:
            image, mask = resize_pair(image, mask, resolution)
            item = {"mask": torch.from_numpy(mask)}
            if image is not None:
                item["image"] = image_to_tensor(image)[0]
            items.append(item)
    return {key: torch.stack([item[key] for item in items]) for key in items[0]}
