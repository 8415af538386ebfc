"""Whole samples: a random mask and style from one seed, and an endless stream of them."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from maskgan_studio.synth.masks import random_mask
from maskgan_studio.synth.render import render
from maskgan_studio.synth.style import Style, random_style


def sample(seed: int, size: int = 512) -> tuple[np.ndarray, np.ndarray, Style]:
    """(image uint8 (size, size, 3), mask uint8 (size, size), style), the same for the same seed."""
    rng = np.random.default_rng(seed)
    mask = random_mask(rng, size)
    style = random_style(rng)
    return render(mask, style), mask, style


def iter_samples(seed: int = 0, size: int = 512) -> Iterator[tuple[np.ndarray, np.ndarray, Style]]:
    """``sample(seed)``, ``sample(seed + 1)``, ... forever."""
    while True:
        yield sample(seed, size)
        seed += 1
