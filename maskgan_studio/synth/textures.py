"""Textures anchored to image coordinates: a pixel's value depends on where it is and on the
style, never on the mask, so editing a mask repaints only what the edit touched.

Fields are defined on a grid relative to the image (cells are fractions of its width), so a
256 px face looks like a 512 px one. They come from a few fixed seeds and are cached.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from maskgan_studio.synth.style import CROWNS

_BANK_SEED = 20200614  # the fixed seed of the noise bank; textures never depend on a sample's rng


def _smooth_noise(rng: np.random.Generator, size: int, cells: int) -> np.ndarray:
    """Value noise with ``cells`` cells across the image, unit variance, float32 (size, size)."""
    grid = rng.standard_normal((cells + 3, cells + 3)).astype(np.float32)
    full = cv2.resize(grid, (size * (cells + 3) // cells,) * 2, interpolation=cv2.INTER_CUBIC)
    offset = size // cells
    field = full[offset : offset + size, offset : offset + size]
    return field / max(float(field.std()), 1e-6)


@lru_cache(maxsize=16)
def noise_bank(size: int, seed: int) -> dict[str, np.ndarray]:
    """Read-only noise fields: ``fine`` (pixel grain), ``mid`` (~1/40 of the image), ``low``."""
    fine = np.random.default_rng((_BANK_SEED, seed, size)).standard_normal((size, size)).astype(np.float32)
    fine = cv2.GaussianBlur(fine, (3, 3), 0.6 * size / 512)
    rng = np.random.default_rng((_BANK_SEED, seed))  # not the size: smooth fields match across sizes
    fields = {"fine": fine / fine.std(), "mid": _smooth_noise(rng, size, 40), "low": _smooth_noise(rng, size, 6)}
    for value in fields.values():
        value.setflags(write=False)
    return fields


def hair_strands(size: int, crown: int, curl: str, seed: int) -> np.ndarray:
    """Strands flowing out from a crown point above the forehead, float32 in about [-1.5, 1.5]."""
    margin = _crown_margin(size)
    shift = int(round((CROWNS[crown] - 0.5) * size))
    return _strand_field(size, curl, seed)[:, margin - shift : margin - shift + size]


def _crown_margin(size: int) -> int:
    return int(np.ceil(max(abs(c - 0.5) for c in CROWNS) * size))


@lru_cache(maxsize=24)
def _strand_field(size: int, curl: str, seed: int) -> np.ndarray:
    """Strands around a crown at the middle, wide enough to be shifted to any of ``CROWNS``."""
    margin = _crown_margin(size)
    rng = np.random.default_rng((_BANK_SEED, seed, 7))  # not the size: strands match across sizes
    ys, xs = np.mgrid[0:size, -margin : size + margin].astype(np.float32) / size
    dx, dy = xs - 0.5, ys - 0.1
    radius = np.sqrt(dx * dx + dy * dy)
    angle = np.arctan2(dy, dx)
    width = size + 2 * margin
    warp = 0.015 * _smooth_noise(rng, width, 6)[:size]
    if curl == "wavy":
        warp += 0.02 * np.sin(radius * 40.0 + 0.8 * _smooth_noise(rng, width, 3)[:size])
    angle = angle + warp / np.maximum(radius, 0.05)
    strands = np.zeros((size, width), np.float32)
    for count, along, weight in ((1800, 40, 0.5), (500, 12, 0.35), (120, 6, 0.3)):
        texture = rng.standard_normal((along, count)).astype(np.float32)
        map_x = ((angle + np.pi) * (count / (2 * np.pi))).astype(np.float32)
        map_y = np.minimum(radius * along, along - 1.001).astype(np.float32)
        strands += weight * cv2.remap(texture, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_WRAP)
    if curl == "curly":
        curls = np.abs(_smooth_noise(rng, width, 130)) + 0.5 * np.abs(_smooth_noise(rng, width, 65))
        strands = 0.3 * strands + (0.9 - curls[:size])
    strands = np.clip(strands, -1.5, 1.5)
    strands.setflags(write=False)
    return strands


def pattern(kind: str, ys: np.ndarray, xs: np.ndarray, period: float, angle: float) -> np.ndarray:
    """Mix weight of the second colour, float32 in [0, 1], at pixel coordinates scaled to 512."""
    c, s = np.cos(angle), np.sin(angle)
    along = (xs * c + ys * s) / period
    across = (-xs * s + ys * c) / period
    if kind == "stripes":
        return (np.sin(along * 2 * np.pi) > 0.3).astype(np.float32)
    if kind == "checks":
        return 0.5 * ((np.sin(along * np.pi) > 0) ^ (np.sin(across * np.pi) > 0)).astype(np.float32) + 0.25 * (
            np.sin(along * 4 * np.pi) > 0.6)
    if kind == "dots":
        fx, fy = along - np.round(along), across - np.round(across)
        return ((fx * fx + fy * fy) < 0.06).astype(np.float32)
    if kind == "knit":
        return 0.5 + 0.5 * np.sin(along * 6 * np.pi) * np.abs(np.sin(across * 3 * np.pi))
    return np.zeros_like(xs, dtype=np.float32)


def gradient(size: int, angle: float) -> np.ndarray:
    """0 to 1 across the image along ``angle``, float32 (size, size)."""
    small = 32
    ys, xs = np.mgrid[0:small, 0:small].astype(np.float32) / (small - 1) - 0.5
    ramp = np.clip(0.5 + xs * np.cos(angle) + ys * np.sin(angle), 0, 1).astype(np.float32)
    return cv2.resize(ramp, (size, size), interpolation=cv2.INTER_LINEAR)


@lru_cache(maxsize=8)
def dome(shape: tuple[int, int]) -> np.ndarray:
    """How far a pixel lies from the middle of a CelebA-HQ face, 0 to 1.5: the skin darkens with it."""
    height, width = shape
    ys, xs = np.ogrid[0:height, 0:width]
    field = ((xs / width - 0.5) / 0.3) ** 2 + ((ys / height - 0.55) / 0.45) ** 2
    field = np.minimum(field, 1.5).astype(np.float32)
    field.setflags(write=False)
    return field


@lru_cache(maxsize=8)
def cheeks(shape: tuple[int, int]) -> tuple[tuple[slice, slice], np.ndarray]:
    """(crop, weight): where a CelebA-HQ face's cheeks are, as soft blobs."""
    height, width = shape
    box = (slice(int(0.45 * height), int(0.78 * height)), slice(int(0.2 * width), int(0.8 * width)))
    ys = np.arange(box[0].start, box[0].stop)[:, None] / height
    xs = np.arange(box[1].start, box[1].stop)[None, :] / width
    weight = np.exp(-((np.abs(xs - 0.5) - 0.16) ** 2 + (ys - 0.6) ** 2) / 0.004).astype(np.float32)
    weight.setflags(write=False)
    return box, weight
