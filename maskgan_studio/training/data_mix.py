"""Several training sources mixed by weight: ``--data DIR:0.7 --data synthetic:0.3``.

Each source is a ``FaceStream`` of its own (a prepared folder or procedural faces). Sample ``k``
of a rank is drawn from one source chosen by a seeded draw on ``(seed, rank, k)`` and is that
source's sample ``k``: still a pure function of the position, so resuming works as for one source.
When procedural faces bring restyled targets (a style face beside the target), every folder
face is its own style face, and a stage that reads masks only gets no image from any source, so
the items of a batch carry the same keys.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from maskgan_studio.errors import StudioError
from maskgan_studio.training.data import SYNTHETIC, FaceStream, FolderFaces, derived_seed, held_out, open_source

SYNTAX = "SOURCE[:WEIGHT], SOURCE a prepared folder or 'synthetic'"


@dataclass(frozen=True)
class Mix:
    """The sources of a run with their shares (summing to 1)."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    sources: tuple[FolderFaces | None, ...]


def parse_data(specs: str | list[str]) -> list[tuple[str, float]]:
    """``[(source, share)]`` from ``--data`` values; one value without a weight is the whole run."""
    specs = [specs] if isinstance(specs, (str, os.PathLike)) else list(specs)
    if not specs:
        raise StudioError(f"--data needs at least one source ({SYNTAX})")
    parsed = []
    for spec in specs:
        spec = os.fspath(spec)
        name, weight = spec, 1.0
        head, sep, tail = spec.rpartition(":")
        if sep and head:
            try:
                name, weight = head, float(tail)
            except ValueError:
                pass  # a folder whose name holds a colon
        if not weight > 0:
            raise StudioError(f"--data {spec}: the weight must be above 0 ({SYNTAX})")
        parsed.append((name, weight))
    names = [name for name, _weight in parsed]
    if len(set(names)) != len(names):
        raise StudioError(f"--data names a source twice: {', '.join(names)}")
    total = sum(weight for _name, weight in parsed)
    return [(name, weight / total) for name, weight in parsed]


def open_mix(specs: str | list[str]) -> FolderFaces | Mix | None:
    """One source as before (a folder, or None for procedural faces), or a Mix of several."""
    parsed = parse_data(specs)
    if len(parsed) == 1:
        return open_source(parsed[0][0])
    return Mix(tuple(n for n, _ in parsed), tuple(w for _, w in parsed), tuple(open_source(n) for n, _ in parsed))


def describe(specs: str | list[str]) -> str | list[dict]:
    """The sources as settings.json records them (absolute folders)."""
    parsed = parse_data(specs)
    resolved = [(n if n == SYNTHETIC else os.fspath(Path(n).resolve()), w) for n, w in parsed]
    if len(resolved) == 1:
        return resolved[0][0]
    return [{"source": n, "weight": round(w, 6)} for n, w in resolved]


class MixedStream(Dataset):
    """Item ``k`` of rank ``rank``'s mixed stream (see the module's docstring)."""

    def __init__(self, mix: Mix, **stream_options):
        self.streams = [FaceStream(source, **stream_options) for source in mix.sources]
        self.weights = np.asarray(mix.weights)
        self.seed, self.rank = stream_options.get("seed", 0), stream_options.get("rank", 0)
        self.self_styled = stream_options.get("restyle", 0.0) > 0 and any(s is None for s in mix.sources)
        self.with_images = stream_options.get("with_images", True)

    def __getitem__(self, k: int) -> dict[str, torch.Tensor]:
        chosen = np.random.default_rng(derived_seed(self.seed, self.rank, k, 4)).choice(len(self.streams),
                                                                                        p=self.weights)
        stream = self.streams[chosen]
        item = stream[k]
        if not self.with_images:
            item.pop("image", None)  # procedural faces come with theirs; folders then read masks only
        if self.self_styled and stream.source is not None:
            item.update(style_mask=item["mask"], style_image=item["image"])
        return item


def held_out_mix(specs: str | list[str], count: int, resolution: int, seed: int,
                 with_images: bool = True) -> dict[str, torch.Tensor]:
    """The held-out batch of each source, ``count`` shared by weight (at least one face each)."""
    parsed = parse_data(specs)
    shares = [max(1, round(count * weight)) for _name, weight in parsed]
    parts = [held_out(name, share, resolution, seed, with_images) for (name, _w), share in zip(parsed, shares)]
    keys = [key for key in parts[0] if all(key in part for part in parts)]  # masks-only stages: no images
    return {key: torch.cat([part[key] for part in parts]) for key in keys}
