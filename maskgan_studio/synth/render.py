"""Paint a label map in a style: ``render(mask, style)`` is a pure function of the two.

Every term is local, so an edit repaints only near the pixels it changed (a test checks
48 px at 512): shading reads each region's distance to its border, clipped at a few dozen
pixels; textures are anchored to image coordinates (``textures``); the one region-wide
feature is the iris, placed inside each eye region (``details``).

Per-class choices go through 256-entry look-up tables (``cv2.LUT``), which keeps one 512 px
render near 20 ms on one core (benchmarks/bench_synth.py).
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.labels import ID, NUM_CLASSES
from maskgan_studio.synth import details, textures
from maskgan_studio.synth.style import Style

_FACE_GROUP = ("skin", "nose", "l_eye", "r_eye", "l_brow", "r_brow", "mouth", "u_lip", "l_lip")
_SKIN_LIKE = ("skin", "nose", "l_ear", "r_ear", "neck")


def _table(values: dict, default: float = 0.0) -> np.ndarray:
    """A 256-entry float32 look-up table from class names (ids past 18 never occur)."""
    table = np.full(256, default, np.float32)
    for names, value in values.items():
        for name in (names,) if isinstance(names, str) else names:
            table[ID[name]] = value
    return table


# Coarse groups: the face's parts share one shape, so the skin is not outlined around them.
_GROUPS = np.arange(256, dtype=np.uint8)
_GROUPS[[ID[n] for n in _FACE_GROUP]] = ID["skin"]
# How much each class bulges from its coarse outline and from its own outline; how much its
# border darkens it (occlusion); how glossy it is.
_BULGE = _table({_FACE_GROUP: 0.9, ("l_ear", "r_ear"): 0.8, "hair": 1.0, "hat": 0.9, "neck": 0.7,
                 "cloth": 0.6, ("ear_r", "neck_l"): 1.0, "eye_g": 0.3})
_DETAIL_BULGE = _table({"nose": 0.9, "u_lip": 0.9, "l_lip": 1.1, ("l_ear", "r_ear"): 0.8})
_OCCLUSION = _table({("skin", "nose", "u_lip"): 0.15, ("l_ear", "r_ear", "neck"): 0.35, "hair": 0.45,
                     ("hat", "cloth"): 0.3, "mouth": 0.2, "l_lip": 0.1})
_GLOSS = _table({"skin": 0.08, "nose": 0.14, "u_lip": 0.2, "l_lip": 0.3, "hair": 0.14, ("ear_r", "neck_l"): 0.9,
                 "eye_g": 0.3, ("l_ear", "r_ear"): 0.06, "neck": 0.04, "hat": 0.06})
# Texture amplitudes: fine grain, mid-scale and low-scale variation, the skin's dome.
_GRAIN = _table({"l_brow": 0.2, "r_brow": 0.2, "background": 0.03, "hair": 0.04}, default=0.025)
_MID = _table({_SKIN_LIKE: 0.02, ("cloth", "hat"): 0.06, ("l_brow", "r_brow"): 0.1})
_LOW = _table({_SKIN_LIKE: 0.03, "background": 0.08, "hair": 0.05})
_DOME = _table({_SKIN_LIKE: 0.12})
_IS = {name: _table({name: 1.0}) for name in ("hair", "background", "skin")}


def _rgb(colour) -> np.ndarray:
    return np.asarray(colour, np.float32)


def _colour_table(style: Style) -> np.ndarray:
    table = np.zeros((NUM_CLASSES, 3), np.float32)
    skin = np.asarray(style.skin, np.float32)
    ear = skin * [1.0, 0.94, 0.93]
    colours = {"skin": skin, "nose": skin * 1.01, "l_ear": ear, "r_ear": ear, "neck": skin * 0.88,
               "u_lip": np.asarray(style.lip) * 0.88, "l_lip": style.lip, "mouth": style.mouth, "l_brow": style.brow,
               "r_brow": style.brow, "hair": style.hair, "hat": style.hat, "cloth": style.cloth, "eye_g": style.frame,
               "ear_r": style.metal, "neck_l": style.metal, "l_eye": style.sclera, "r_eye": style.sclera,
               "background": style.background}
    for name, colour in colours.items():
        table[ID[name]] = colour
    return table


def render(mask: np.ndarray, style: Style) -> np.ndarray:
    """The face ``mask`` (uint8 ids, any size) painted in ``style``: uint8 (H, W, 3) RGB."""
    mask = np.ascontiguousarray(mask, dtype=np.uint8)
    height, width = mask.shape
    size = max(height, width)
    unit = size / 512.0  # texture and shading sizes are given for 512 px
    noise = {k: v[:height, :width] for k, v in textures.noise_bank(size, style.noise_seed).items()}

    albedo = np.take(_colour_table(style), mask, axis=0)
    strands = _add_colour_terms(albedo, mask, style, noise, unit)
    light = _texture(mask, noise, strands, unit)
    shade, gloss = _shading(mask, style, unit)
    light *= shade
    image = cv2.multiply(albedo, cv2.merge([light, light, light]))
    image += gloss[..., None]

    details.paint_glasses(image, mask, style, unit)
    details.paint_eyes(image, mask, style, unit)
    details.paint_mouth(image, mask, style, unit)
    details.paint_nostrils_and_lashes(image, mask, unit)
    details.paint_neck_shadow(image, mask, unit)
    image = cv2.GaussianBlur(image, (3, 3), 0.6 * unit)  # soft region borders, as a camera sees them
    return cv2.convertScaleAbs(image)


def _texture(mask, noise, strands, unit) -> np.ndarray:
    """Single-channel multiplier: grain, variation, hair strands and the skin's dome shading."""
    light = 1.0 + cv2.LUT(mask, _GRAIN) * noise["fine"]
    light += cv2.LUT(mask, _MID) * noise["mid"]
    light += cv2.LUT(mask, _LOW) * noise["low"]
    light -= cv2.LUT(mask, _DOME) * textures.dome(mask.shape)
    if strands is not None:
        light += cv2.LUT(mask, _IS["hair"]) * (0.32 * strands - 0.22)
    return light


def _add_colour_terms(albedo, mask, style: Style, noise, unit):
    """Colour that varies inside a class: background gradient, hair tips, patterns, blush.

    Returns the hair strand field (or None without hair) for the texture pass.
    """
    height, width = mask.shape
    size = max(height, width)
    bg = cv2.LUT(mask, _IS["background"])
    ramp = textures.gradient(size, style.background_angle)[:height, :width]
    albedo += (bg * ramp)[..., None] * (_rgb(style.background_alt) - _rgb(style.background))

    strands = None
    hair = mask == ID["hair"]
    box = details.crop(hair, 0)
    if box is not None:
        strands = textures.hair_strands(size, style.crown, style.hair_curl, style.noise_seed)[:height, :width]
        tips = np.clip(0.35 * strands[box] - 0.05, 0, 1) * hair[box]
        albedo[box] += tips[..., None] * (_rgb(style.hair_tip) - _rgb(style.hair))

    for name, first, second, kind in (("cloth", style.cloth, style.cloth_alt, style.cloth_pattern),
                                      ("hat", style.hat, style.hat_alt, style.hat_pattern)):
        region = mask == ID[name]
        box = details.crop(region, 0) if kind != "plain" else None
        if box is None:
            continue
        ys = np.arange(box[0].start, box[0].stop, dtype=np.float32)[:, None] / unit
        xs = np.arange(box[1].start, box[1].stop, dtype=np.float32)[None, :] / unit
        weight = textures.pattern(kind, ys, xs, style.pattern_scale, style.pattern_angle) * region[box]
        albedo[box] += weight[..., None] * (_rgb(second) - _rgb(first))

    if style.blush > 0:
        box, cheeks = textures.cheeks(mask.shape)
        weight = cheeks * cv2.LUT(mask[box], _IS["skin"]) * (0.12 * style.blush)
        albedo[box] *= 1.0 + weight[..., None] * np.float32([0.3, -1.0, -0.8])
    return strands


def _border_distance(labels: np.ndarray, clip: float) -> np.ndarray:
    """Each pixel's distance to the nearest pixel of another label, clipped at ``clip``."""
    kernel = np.ones((3, 3), np.uint8)
    edge = cv2.dilate(labels, kernel) != cv2.erode(labels, kernel)
    dist = cv2.distanceTransform((~edge).view(np.uint8), cv2.DIST_L2, 3)
    return np.minimum(dist, clip, out=dist)


def _shading(mask: np.ndarray, style: Style, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """(multiplicative shade, additive gloss): light on each region's local relief."""
    coarse_clip, fine_clip = 26.0 * unit, 10.0 * unit
    coarse = _border_distance(cv2.LUT(mask, _GROUPS), coarse_clip) * (1.0 / coarse_clip)
    fine = _border_distance(mask, fine_clip) * (1.0 / fine_clip)
    relief = cv2.LUT(mask, _BULGE) * (coarse * (2 - coarse)) * (0.5 * coarse_clip)
    relief += cv2.LUT(mask, _DETAIL_BULGE) * (fine * (2 - fine)) * (0.5 * fine_clip)
    sigma = 3.0 * unit  # smooths the distance field's creases; reaches 3 sigma
    reach = 2 * int(np.ceil(3 * sigma)) + 1
    relief = cv2.GaussianBlur(relief, (reach, reach), sigma)
    gx = cv2.Sobel(relief, cv2.CV_32F, 1, 0, ksize=3, scale=0.125)
    gy = cv2.Sobel(relief, cv2.CV_32F, 0, 1, ksize=3, scale=0.125)

    lx, ly, lz = _unit_vector(*style.light, 0.8)
    inv = 1.0 / cv2.sqrt(1.0 + gx * gx + gy * gy)
    lambert = (lz - gx * lx - gy * ly) * inv
    strength = style.light_strength
    shade = (1.0 - strength) + (strength / lz) * lambert
    open_ = 1.0 - coarse
    shade *= 1.0 - cv2.LUT(mask, _OCCLUSION) * (open_ * open_)

    hx, hy, hz = _unit_vector(lx, ly, lz + 1.0)  # halfway between the light and the viewer
    facing = np.clip((hz - gx * hx - gy * hy) * inv, 0, 1)
    f2 = facing * facing
    f8 = (f2 * f2) ** 2
    gloss = cv2.LUT(mask, _GLOSS) * 255.0 * (f8 * f8 * f8)
    return np.clip(shade, 0.25, 1.5), gloss


def _unit_vector(x: float, y: float, z: float) -> tuple[float, float, float]:
    norm = float(np.sqrt(x * x + y * y + z * z))
    return x / norm, y / norm, z / norm
