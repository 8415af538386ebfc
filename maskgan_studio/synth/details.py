"""Small features the renderer paints inside regions: eyes (white, iris, pupil, highlight),
lashes, nostrils, teeth and eyeglass lenses. Each reads the mask only within a few pixels,
except the iris, which is placed inside its own eye region.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.synth.style import Style

_EYES = (ID["l_eye"], ID["r_eye"])


def crop(region: np.ndarray, margin: int) -> tuple[slice, slice] | None:
    x, y, w, h = cv2.boundingRect(region.view(np.uint8))
    if w == 0:
        return None
    height, width = region.shape
    return (slice(max(0, y - margin), min(height, y + h + margin)),
            slice(max(0, x - margin), min(width, x + w + margin)))


def _look(mask: np.ndarray, region: np.ndarray, dy: int, dx: int = 0) -> np.ndarray:
    """Whether any pixel up to ``dy`` below (``dy`` > 0) or above (< 0), +-``dx`` across, is in ``region``."""
    reach = abs(dy)
    kernel = np.ones((reach + 1, 2 * dx + 1), np.uint8)
    anchor = (dx, 0 if dy > 0 else reach)
    return cv2.dilate(region.view(np.uint8), kernel, anchor=anchor).view(bool)


def paint_eyes(image: np.ndarray, mask: np.ndarray, style: Style, unit: float) -> None:
    for label in _EYES:
        box = crop(mask == label, 2)
        if box is None:
            continue
        region = mask[box] == label
        count, components, stats, centroids = cv2.connectedComponentsWithStats(region.view(np.uint8), connectivity=8)
        ys, xs = np.nonzero(region)
        which = components[ys, xs]
        widths = stats[which, cv2.CC_STAT_WIDTH].astype(np.float32)
        cx = centroids[which, 0] + style.gaze[0] * widths
        cy = centroids[which, 1] + style.gaze[1] * widths
        iris_r = np.maximum(0.23 * widths, 1.5)
        r = np.sqrt((xs - cx) ** 2 + (ys - cy) ** 2) / iris_r
        angle = np.arctan2(ys - cy, xs - cx)
        sclera = np.asarray(style.sclera, np.float32)
        iris = np.asarray(style.iris, np.float32)
        streaks = 0.85 + 0.2 * np.sin(angle * 17.0) * np.sin(angle * 7.0 + 1.3)
        ring = np.clip((r - 0.75) * 4.0, 0, 1)
        colour = np.where((r < 1.0)[:, None], iris * (streaks * (1.0 - 0.45 * ring))[:, None], sclera)
        colour = np.where((r < 0.42)[:, None], np.float32([14, 12, 14]), colour)
        lx, ly = style.light
        spot = np.sqrt((xs - cx - 0.35 * lx * iris_r) ** 2 + (ys - cy - 0.35 * ly * iris_r) ** 2) / iris_r
        colour = np.where((spot < 0.2)[:, None], np.float32([250, 250, 250]), colour)
        edge = np.clip(np.abs(xs - centroids[which, 0]) / (0.5 * widths), 0, 1)
        colour *= (1.0 - 0.25 * edge ** 3)[:, None]  # corners of the eye lie deeper
        target = image[box]
        target[ys, xs] = colour


def paint_nostrils_and_lashes(image: np.ndarray, mask: np.ndarray, unit: float) -> None:
    eyes = np.isin(mask, _EYES)
    box = crop(eyes, int(6 * unit) + 2)
    if box is not None:
        eye = eyes[box]
        around = np.isin(mask[box], (ID["skin"], ID["eye_g"], ID["nose"])) & ~eye
        lash = _look(mask[box], eye, max(1, round(3 * unit)), max(1, round(2 * unit))) & around
        lid = _look(mask[box], eye, -max(1, round(2 * unit))) & around & ~lash
        image[box][lash] *= 0.3
        image[box][lid] *= 0.85
        image[box][eye & _look(mask[box], ~eye, -max(1, round(3 * unit)))] *= 0.7  # the upper lid's shadow

    nose = mask == ID["nose"]
    box = crop(nose, int(24 * unit) + 2)
    if box is None:
        return
    region = nose[box].view(np.uint8)
    below = _look(mask[box], ~nose[box], max(1, round(8 * unit)))
    inner = max(1, round(5 * unit))
    outer = max(2, round(16 * unit))
    away_in = cv2.erode(region, np.ones((1, 2 * inner + 1), np.uint8)).view(bool)
    away_out = cv2.erode(region, np.ones((1, 2 * outer + 1), np.uint8)).view(bool)
    nostril = (nose[box] & below & away_in & ~away_out).astype(np.float32)
    nostril = cv2.GaussianBlur(nostril, (0, 0), 1.5 * unit) * nose[box]
    image[box] *= (1.0 - 0.5 * nostril)[..., None]


def paint_neck_shadow(image: np.ndarray, mask: np.ndarray, unit: float) -> None:
    """The jaw's shadow on the neck: neck pixels with the face a short way above them."""
    neck = mask == ID["neck"]
    reach = max(2, round(22 * unit))
    box = crop(neck, reach)
    if box is None:
        return
    near = _look(mask[box], mask[box] == ID["skin"], -reach).astype(np.float32)
    near = cv2.blur(near, (1, reach)) * neck[box]
    image[box] *= (1.0 - 0.35 * near)[..., None]


def paint_mouth(image: np.ndarray, mask: np.ndarray, style: Style, unit: float) -> None:
    mouth = mask == ID["mouth"]
    box = crop(mouth, 2)
    if box is None:
        return
    inside = mouth[box]
    upper = _look(mask[box], mask[box] == ID["u_lip"], -max(1, round(9 * unit))) & inside
    lower = _look(mask[box], mask[box] == ID["l_lip"], max(1, round(5 * unit))) & inside & ~upper
    xs = np.arange(box[1].start, box[1].stop, dtype=np.float32)[None, :] / unit
    gaps = np.abs(((xs / 11.0) % 1.0) - 0.5) > 0.44
    teeth = np.asarray(style.teeth, np.float32)
    target = image[box]
    target[upper] = teeth
    target[lower] = teeth * 0.8
    target[(upper | lower) & gaps] *= 0.7
    depth = _look(mask[box], ~inside, max(1, round(3 * unit))) | _look(mask[box], ~inside, -max(1, round(3 * unit)))
    target[inside & ~depth & ~(upper | lower)] *= 0.6


def paint_glasses(image: np.ndarray, mask: np.ndarray, style: Style, unit: float) -> None:
    glasses = mask == ID["eye_g"]
    rim = max(1.0, 3.5 * unit)
    box = crop(glasses, int(rim) + 2)
    if box is None:
        return
    lens_or_eye = glasses[box] | np.isin(mask[box], _EYES)
    dist = cv2.distanceTransform(lens_or_eye.view(np.uint8), cv2.DIST_L2, 3)
    lens = glasses[box] & (dist > rim)
    skin = np.asarray(style.skin, np.float32) * 0.95
    tint = np.asarray(style.lens, np.float32)
    a = style.lens_opacity
    ys = np.arange(box[0].start, box[0].stop, dtype=np.float32)[:, None] / unit
    sheen = np.broadcast_to(40.0 * np.clip(np.sin(ys / 9.0), 0, 1) ** 8, lens.shape)
    image[box][lens] = skin * (1 - a) + tint * a + sheen[lens][:, None]
