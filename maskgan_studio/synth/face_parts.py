"""Outlines of the face itself in face coordinates (see ``shapes``): head, ears, eyes, brows,
nose, lips and neck. Numbers follow the CelebA-HQ layout in DESIGN.md: with the origin at
image (0.5, 0.487) and scale 1, eyes sit at x +-0.125, brows 0.07 above them, the nose
centroid 0.085 below, the lips between 0.21 and 0.29 below.
"""

from __future__ import annotations

import numpy as np

from maskgan_studio.synth.shapes import catmull_rom, mirrored


def head_outline(width=0.27, jaw=0.2, chin=0.1, chin_y=0.41, top=-0.31, cheek=0.97) -> np.ndarray:
    """The skin region of the face: forehead to chin (hair usually covers the top)."""
    half = [
        (0.0, top),
        (0.62 * width, top + 0.035),
        (0.93 * width, -0.17),
        (width, -0.03),
        (cheek * width, 0.11),
        (jaw, 0.26),
        (chin, chin_y - 0.035),
        (0.0, chin_y),
    ]
    return catmull_rom(mirrored(half), closed=True, steps=8)


def ear_outline(side: int, attach_x: float, center_y=0.05, size=1.0) -> np.ndarray:
    """One ear, ``side`` +1 for the image's right (the person's left ear)."""
    shape = np.array([(0.0, -0.075), (0.04, -0.095), (0.07, -0.055), (0.072, 0.025), (0.05, 0.09),
                      (0.025, 0.125), (0.0, 0.115), (-0.02, 0.04), (-0.02, -0.05)]) * size
    shape[:, 0] = attach_x + side * shape[:, 0]
    shape[:, 1] += center_y
    return catmull_rom(shape, closed=True, steps=6)


def eye_outline(side: int, center, width=0.09, upper=0.02, lower=0.012, tilt=0.004) -> np.ndarray:
    """An almond eye; the inner corner faces the nose, the outer one is raised by ``tilt``."""
    w = width / 2
    shape = np.array([(-w, 0.0), (-0.55 * w, -0.8 * upper), (0.05 * w, -upper), (0.6 * w, -0.75 * upper),
                      (w, -tilt), (0.55 * w, 0.75 * lower), (0.0, lower), (-0.55 * w, 0.8 * lower)])
    shape[:, 0] *= side
    return catmull_rom(shape + np.asarray(center), closed=True, steps=6)


def brow_outline(side: int, center, length=0.15, thickness=0.028, arch=0.018, tilt=0.0) -> np.ndarray:
    """A brow thick at the inner end, tapering outward, arched by ``arch``."""
    t = np.linspace(0.0, 1.0, 7)
    x = (t - 0.45) * length
    mid = -arch * np.sin(np.pi * np.clip(t * 1.1, 0, 1)) - tilt * (t - 0.45)
    half = thickness * (1.0 - 0.55 * t) / 2
    top = np.stack([x, mid - half], axis=1)
    bottom = np.stack([x, mid + half], axis=1)[::-1]
    shape = np.concatenate([top, bottom])
    shape[:, 0] *= side
    return catmull_rom(shape + np.asarray(center), closed=True, steps=4)


def nose_outline(center_x=0.0, bridge=0.03, alar=0.072, bottom=0.17, top=-0.015) -> np.ndarray:
    half = [(0.0, top), (bridge, 0.0), (bridge * 1.2, 0.06), (alar * 0.85, 0.115), (alar, 0.145),
            (alar * 0.7, bottom - 0.006), (0.0, bottom)]
    shape = mirrored(half)
    shape[:, 0] += center_x
    return catmull_rom(shape, closed=True, steps=6)


def lip_outlines(center, half_width=0.1, upper=0.03, lower=0.04, gap=0.0, smile=0.0):
    """(upper lip, lower lip, inside of the mouth or None) for a mouth centred at ``center``.

    ``gap`` opens the mouth (face units between the lips at the middle); ``smile`` in [0, 1]
    lifts and widens the corners and rounds the opening.
    """
    hw = half_width * (1.0 + 0.18 * smile)
    lift = 0.028 * smile
    corner_l, corner_r = (-hw, -lift), (hw, -lift)
    xs = np.array([-0.6, -0.25, 0.0, 0.25, 0.6]) * hw
    bow = np.array([0.92, 1.0, 0.8, 1.0, 0.92]) * upper
    sag = 1.0 - 0.45 * (xs / hw) ** 2
    line = -lift * (xs / hw) ** 2  # the lip line rises towards the corners when smiling
    g_up = gap * (0.45 - 0.15 * smile) * sag
    g_low = gap * (0.55 + 0.15 * smile) * sag
    upper_top = np.stack([xs, line - g_up - bow * sag ** 0.3], 1)
    upper_inner = np.stack([xs, line - g_up], 1)[::-1]
    lower_inner = np.stack([xs, line + g_low], 1)
    lower_bottom = np.stack([xs, line + g_low + lower * sag ** 0.6], 1)[::-1]

    def closed(a, b):
        pts = np.concatenate([[corner_l], a, [corner_r], b])
        return catmull_rom(pts, closed=True, steps=5) + np.asarray(center)

    upper_lip = closed(upper_top, upper_inner)
    lower_lip = closed(lower_inner, lower_bottom)
    inside = closed(upper_inner[::-1], lower_inner[::-1]) if gap > 0.004 else None
    return upper_lip, lower_lip, inside


def neck_outline(width=0.16, shoulder=0.34) -> np.ndarray:
    half = [(0.0, 0.1), (width, 0.1), (width, 0.36), (width + 0.035, 0.44), (width + 0.13, 0.5),
            (shoulder, 0.53), (shoulder + 0.1, 0.8), (0.0, 0.8)]
    return mirrored(half)
