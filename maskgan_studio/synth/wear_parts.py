"""What a person wears, in face coordinates: hats, eyeglasses, earrings, necklaces, clothes."""

from __future__ import annotations

import numpy as np

from maskgan_studio.synth.shapes import catmull_rom, ellipse, mirrored

HAT_KINDS = ("beanie", "cap", "brimmed", "headscarf")
NECKLINES = ("crew", "v", "scoop", "turtleneck", "collar", "boat")


def hat_outlines(kind: str, head_width: float, head_top: float, depth: float) -> list[np.ndarray]:
    """Outlines covering the top of the head; ``depth`` is the v of the hat's lower edge."""
    w = head_width + 0.05
    if kind == "beanie":
        half = [(0.0, head_top - 0.14), (0.62 * w, head_top - 0.1), (0.97 * w, depth - 0.08),
                (w, depth + 0.1), (0.75 * w, depth + 0.04), (0.0, depth + 0.02)]
        return [catmull_rom(mirrored(half), closed=True, steps=6)]
    if kind == "cap":
        crown = [(0.0, head_top - 0.12), (0.65 * w, head_top - 0.08), (w - 0.01, depth - 0.05),
                 (w - 0.02, depth), (0.0, depth)]
        brim = [(0.0, depth - 0.06), (0.25, depth - 0.045), (0.33, depth + 0.0), (0.25, depth + 0.045),
                (0.0, depth + 0.06)]
        return [catmull_rom(mirrored(crown), steps=6), catmull_rom(mirrored(brim), steps=6)]
    if kind == "brimmed":
        crown = [(0.0, head_top - 0.2), (0.7 * w, head_top - 0.18), (0.85 * w, depth - 0.04), (0.0, depth - 0.02)]
        brim = ellipse((0.0, depth - 0.03), (w + 0.22, 0.075), steps=40)
        return [catmull_rom(mirrored(crown), steps=6), brim]
    if kind == "headscarf":
        half = [(0.0, head_top - 0.1), (0.75 * w, head_top - 0.05), (w + 0.03, -0.12), (w + 0.06, 0.12),
                (w + 0.12, 0.45), (w - 0.02, 0.45), (w - 0.07, 0.05), (0.85 * head_width, depth - 0.01),
                (0.0, depth)]
        return [catmull_rom(mirrored(half), closed=True, steps=6)]
    raise ValueError(f"unknown hat kind {kind!r}")


def lens_outline(center, half_width=0.068, half_height=0.046, roundness=4.0) -> np.ndarray:
    """A rounded-rectangle lens (a superellipse; ``roundness`` 2 is an ellipse)."""
    t = np.linspace(0, 2 * np.pi, 36, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    x = np.sign(c) * np.abs(c) ** (2 / roundness) * half_width
    y = np.sign(s) * np.abs(s) ** (2 / roundness) * half_height
    y = np.where(y > 0, y * 1.1, y * 0.9)  # lenses are deeper below the eye than above
    return np.stack([x + center[0], y + center[1]], 1)


def glasses_parts(eye_l, eye_r, head_width, half_width=0.068, half_height=0.046, roundness=4.0):
    """(lens outlines, frame curves): two lenses, the bridge and both temples."""
    lenses = [lens_outline(c, half_width, half_height, roundness) for c in (eye_l, eye_r)]
    y = (eye_l[1] + eye_r[1]) / 2 - half_height * 0.35
    bridge = np.array([(eye_r[0] + half_width * 0.9, y), (0.0, y - 0.008), (eye_l[0] - half_width * 0.9, y)])
    temples = [np.array([(c[0] + side * half_width * 0.95, c[1] - half_height * 0.5),
                         (side * (head_width + 0.03), c[1] - half_height * 0.3)])
               for c, side in ((eye_l, 1), (eye_r, -1))]
    return lenses, [bridge, *temples]


def earring_outline(kind: str, lobe, size=1.0) -> np.ndarray:
    x, y = lobe
    if kind == "stud":
        return ellipse((x, y - 0.004), (0.011 * size, 0.011 * size), steps=16)
    if kind == "drop":
        return catmull_rom(np.array([(x, y - 0.005), (x + 0.012, y + 0.03), (x + 0.016, y + 0.06),
                                     (x, y + 0.075), (x - 0.016, y + 0.06), (x - 0.012, y + 0.03)]),
                           closed=True, steps=5)
    if kind == "hoop":
        return ellipse((x, y + 0.028 * size), (0.026 * size, 0.032 * size), steps=24)
    raise ValueError(f"unknown earring kind {kind!r}")


EARRING_KINDS = ("stud", "drop", "hoop")


def necklace_curve(neck_width: float, drop: float) -> np.ndarray:
    """The chain: from one side of the neck, down to v ``drop`` in the middle, up the other side."""
    pts = np.array([(-neck_width * 1.05, 0.38), (-neck_width * 0.8, drop - 0.04), (0.0, drop),
                    (neck_width * 0.8, drop - 0.04), (neck_width * 1.05, 0.38)])
    return catmull_rom(pts, closed=False, steps=8)


def cloth_outline(neckline: str, neck_width: float, shoulder_v: float, depth: float) -> np.ndarray:
    """Clothes over the shoulders; ``depth`` is how far the neckline dips below the neck's base."""
    side = neck_width + 0.02
    base = 0.47
    if neckline == "turtleneck":
        collar = [(0.0, 0.32), (side + 0.01, 0.3)]
    elif neckline == "collar":
        collar = [(0.0, base + depth), (side * 0.5, base - 0.02), (side + 0.02, 0.33)]
    elif neckline == "v":
        collar = [(0.0, base + depth + 0.1), (side * 0.6, base + 0.02), (side, 0.4)]
    elif neckline == "scoop":
        collar = [(0.0, base + depth + 0.06), (side * 0.8, base + depth * 0.5), (side + 0.05, 0.44)]
    elif neckline == "boat":
        collar = [(0.0, base + 0.02), (side + 0.1, base - 0.005)]
    else:
        collar = [(0.0, base + depth * 0.4), (side * 0.8, base), (side, 0.41)]
    shoulders = [(side + 0.12, shoulder_v + 0.04), (0.42, shoulder_v), (0.7, shoulder_v - 0.02),
                 (0.7, 0.9), (0.0, 0.9)]
    return mirrored(collar + shoulders)
