"""Hair outlines in face coordinates: the mass behind the head, the hairline over the forehead,
bangs, a bun, a lock over one ear and long strands falling in front of the shoulders.

``head_width`` and ``head_top`` are the skin outline's half width and top (``face_parts``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maskgan_studio.synth.shapes import catmull_rom, mirrored


@dataclass(frozen=True)
class HairCut:
    length: float  # where the back hair ends (v); -0.05 short ... 0.65 past the shoulders
    volume: float  # how far the hair stands off the head
    hairline: float  # hairline height at the middle of the forehead (v)
    parting: float  # x of the parting (where the hairline is highest); 0 = middle
    sweep: float  # -1..1: the fringe falls lower on one side (side parting)
    bangs: bool
    bun: bool
    ear_lock: int  # 0, or +-1: a lock covers that side's ear
    front_falls: bool  # long strands in front of the shoulders


def back_outline(cut: HairCut, head_width: float, head_top: float) -> np.ndarray:
    vol = cut.volume
    w = head_width + vol
    top = head_top - vol * 1.1 - 0.03
    end = max(cut.length, -0.02)
    flare = 0.05 + 0.25 * max(0.0, min(1.0, (end - 0.1) / 0.5))
    half = [(0.0, top), (0.55 * w, top + 0.03), (0.92 * w, -0.2), (w + 0.01, -0.05)]
    if end > 0.05:
        half += [(w + 0.2 * flare, 0.5 * end), (w + flare, end - 0.03)]
    half += [(w * 0.75, end), (0.15, end + 0.02), (0.0, end + 0.02)]
    return catmull_rom(mirrored(half), closed=True, steps=6)


def hairline_curve(cut: HairCut, head_width: float, rng: np.random.Generator | None = None) -> np.ndarray:
    """The lower edge of the front hair from the image's left temple to the right one."""
    w = head_width
    if cut.bangs:
        xs = np.linspace(-0.92 * w, 0.92 * w, 11)
        base = -0.105 + 0.03 * (xs / w) ** 2 + 0.025 * cut.sweep * xs / w
        if rng is not None:
            base = base + rng.uniform(-0.012, 0.012, len(xs)) * np.r_[0, np.ones(len(xs) - 2), 0]
        inner = np.stack([xs, base], 1)
    else:
        h = cut.hairline
        drop_l = 0.05 * max(0.0, -cut.sweep)
        drop_r = 0.05 * max(0.0, cut.sweep)
        inner = np.array([(-0.93 * w, -0.12), (-0.65 * w, h + 0.02 + drop_l), (cut.parting, h - 0.012),
                          (0.65 * w, h + 0.02 + drop_r), (0.93 * w, -0.12)])
    side = 0.02 if cut.length > -0.02 else -0.08
    ends = [(-1.02 * w, side)], [(1.02 * w, side)]
    return catmull_rom(np.concatenate([ends[0], inner, ends[1]]), closed=False, steps=5)


def front_outline(cut: HairCut, head_width: float, head_top: float, rng=None) -> np.ndarray:
    """Hair over the forehead and temples: from the hairline up over the top of the head."""
    w = head_width + cut.volume * 0.6
    top = head_top - cut.volume
    dome = np.array([(1.02 * head_width, -0.1), (w, -0.2), (0.6 * w, top + 0.02), (0.0, top),
                     (-0.6 * w, top + 0.02), (-w, -0.2), (-1.02 * head_width, -0.1)])
    return np.concatenate([hairline_curve(cut, head_width, rng), catmull_rom(dome, closed=False, steps=5)])


def bun_outline(head_top: float, volume: float, size=0.09, offset=0.0) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    cy = head_top - volume - size * 0.7
    return np.stack([offset + size * 1.1 * np.cos(t), cy + size * np.sin(t)], 1)


def ear_lock_outline(side: int, head_width: float, length: float) -> np.ndarray:
    w = head_width
    end = max(length, 0.2)
    shape = np.array([(w - 0.07, -0.2), (w + 0.06, -0.17), (w + 0.1, 0.05), (w + 0.08, end),
                      (w + 0.0, end - 0.02), (w - 0.02, 0.12), (w - 0.03, -0.05)])
    shape[:, 0] *= side
    return catmull_rom(shape, closed=True, steps=5)


def front_fall_outline(side: int, head_width: float, length: float, width=0.1) -> np.ndarray:
    w = head_width
    shape = np.array([(w - 0.02, 0.0), (w + width, 0.02), (w + width * 1.3, length * 0.6),
                      (w + width * 1.1, length + 0.05), (w - 0.02, length + 0.02), (w - 0.05, 0.3)])
    shape[:, 0] *= side
    return catmull_rom(shape, closed=True, steps=5)
