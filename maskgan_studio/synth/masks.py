"""Random face label maps in CelebA-HQ framing, parts painted back to front."""

from __future__ import annotations

import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.synth import face_parts, hair_parts, wear_parts
from maskgan_studio.synth.shapes import Pose, ellipse, paint_polygon, paint_stroke

FACE_ORIGIN = (0.5, 0.487)  # the point between the eyes, as a fraction of the image
FACE_FEATURES = tuple(ID[n] for n in ("nose", "l_eye", "r_eye", "l_brow", "r_brow", "mouth", "u_lip", "l_lip"))
LENS_COVERS = tuple(ID[n] for n in ("background", "skin", "nose", "hair", "l_ear", "r_ear", "eye_g"))


def random_pose(rng: np.random.Generator, size: int) -> Pose:
    return Pose(
        cx=size * (FACE_ORIGIN[0] + rng.normal(0, 0.015)),
        cy=size * (FACE_ORIGIN[1] + rng.normal(0, 0.012)),
        scale=size * rng.uniform(0.92, 1.08),
        roll=float(np.clip(rng.normal(0, 0.05), -0.14, 0.14)),
    )


def random_haircut(rng: np.random.Generator) -> hair_parts.HairCut | None:
    kind = rng.choice(["bald", "short", "medium", "long"], p=[0.05, 0.25, 0.27, 0.43])
    if kind == "bald":
        return None
    length, volume = {
        "short": (rng.uniform(-0.06, 0.04), rng.uniform(0.01, 0.04)),
        "medium": (rng.uniform(0.12, 0.3), rng.uniform(0.03, 0.09)),
        "long": (rng.uniform(0.4, 0.75), rng.uniform(0.03, 0.1)),
    }[kind]
    side_part = rng.random() < 0.4
    return hair_parts.HairCut(
        length=float(length),
        volume=float(volume),
        hairline=float(rng.uniform(-0.27, -0.19)),
        parting=float(rng.choice([-1, 1]) * rng.uniform(0.06, 0.13)) if side_part else 0.0,
        sweep=float(rng.uniform(-1, 1)) if side_part else float(rng.uniform(-0.3, 0.3)),
        bangs=bool(rng.random() < 0.25),
        bun=bool(kind != "long" and rng.random() < 0.12),
        ear_lock=int(rng.choice([-1, 1])) if kind != "short" and rng.random() < 0.2 else 0,
        front_falls=bool(kind == "long" and rng.random() < 0.35),
    )



def random_mask(rng: np.random.Generator, size: int = 512) -> np.ndarray:
    """A plausible uint8 (size, size) face label map, every part sampled from ``rng``."""
    mask = np.zeros((size, size), np.uint8)
    pose = random_pose(rng, size)
    yaw = float(rng.uniform(-1, 1) * 0.03)
    width = float(rng.uniform(0.28, 0.32))
    cut = random_haircut(rng)
    head_top = -0.31 if cut is not None else -0.37
    neck_width = float(rng.uniform(0.14, 0.18))

    if cut is not None:
        paint_polygon(mask, pose, hair_parts.back_outline(cut, width, head_top), ID["hair"])
    paint_polygon(mask, pose, face_parts.neck_outline(neck_width, rng.uniform(0.3, 0.38)), ID["neck"])
    if rng.random() < 0.92:
        neckline = str(rng.choice(wear_parts.NECKLINES, p=[0.3, 0.15, 0.15, 0.1, 0.15, 0.15]))
        cloth = wear_parts.cloth_outline(neckline, neck_width, rng.uniform(0.37, 0.48), rng.uniform(0.0, 0.08))
        paint_polygon(mask, pose, cloth, ID["cloth"])
    if cut is not None and cut.front_falls:
        for side in (-1, 1):
            if rng.random() < 0.7:
                fall = hair_parts.front_fall_outline(side, width, cut.length, rng.uniform(0.06, 0.12))
                paint_polygon(mask, pose, fall, ID["hair"])

    _draw_face(mask, pose, rng, width, head_top, yaw)

    if cut is not None:
        paint_polygon(mask, pose, hair_parts.front_outline(cut, width, head_top, rng), ID["hair"])
        if cut.ear_lock:
            paint_polygon(mask, pose, hair_parts.ear_lock_outline(cut.ear_lock, width, cut.length), ID["hair"])
    hat = rng.random() < 0.2
    if cut is not None and cut.bun and not hat:
        paint_polygon(mask, pose, hair_parts.bun_outline(head_top, cut.volume, rng.uniform(0.07, 0.1)), ID["hair"])
    if hat:
        kind = str(rng.choice(wear_parts.HAT_KINDS, p=[0.3, 0.3, 0.25, 0.15]))
        for outline in wear_parts.hat_outlines(kind, width, head_top, float(rng.uniform(-0.26, -0.17))):
            paint_polygon(mask, pose, outline, ID["hat"])
    if rng.random() < 0.25:
        draw_earrings(mask, pose, str(rng.choice(wear_parts.EARRING_KINDS)), float(rng.uniform(0.8, 1.2)))
    if rng.random() < 0.15:
        draw_necklace(mask, pose, neck_width, float(rng.uniform(0.46, 0.53)), float(rng.uniform(0.008, 0.016)),
                      pendant=bool(rng.random() < 0.5))
    return mask


def _draw_face(mask, pose, rng, width, head_top, yaw) -> None:
    ear_y = float(rng.uniform(0.02, 0.07))
    ear_size = float(rng.uniform(0.72, 0.92))
    for side, label in ((1, ID["l_ear"]), (-1, ID["r_ear"])):
        size = ear_size * (1.0 - 8.0 * max(0.0, side * yaw))  # the far ear turns out of view
        if size > 0.5:
            attach = side * (width * 0.97 - side * yaw)
            paint_polygon(mask, pose, face_parts.ear_outline(side, attach, ear_y, size), label)
    head = face_parts.head_outline(width, rng.uniform(0.2, 0.25), rng.uniform(0.09, 0.14),
                                   rng.uniform(0.39, 0.43), head_top, rng.uniform(0.94, 1.0))
    paint_polygon(mask, pose, head, ID["skin"])
    paint_polygon(mask, pose, face_parts.nose_outline(yaw, rng.uniform(0.024, 0.034), rng.uniform(0.06, 0.08),
                                                      rng.uniform(0.155, 0.18)), ID["nose"])
    eye_dx = float(rng.uniform(0.118, 0.132))
    eyes = ((yaw + eye_dx, 0.0), (yaw - eye_dx, 0.0))
    if rng.random() < 0.15:
        draw_glasses(mask, pose, eyes, width, rng)
    eye_w, tilt = rng.uniform(0.08, 0.095), rng.uniform(-0.002, 0.008)
    upper = rng.uniform(0.005, 0.01) if rng.random() < 0.05 else rng.uniform(0.014, 0.024)
    lower = rng.uniform(0.008, 0.014)
    for (center, side, label) in ((eyes[0], 1, ID["l_eye"]), (eyes[1], -1, ID["r_eye"])):
        paint_polygon(mask, pose, face_parts.eye_outline(side, center, eye_w, upper, lower, tilt), label)
    brow_y, brow_dx = float(rng.uniform(-0.078, -0.058)), float(rng.uniform(0.12, 0.14))
    brow = dict(length=rng.uniform(0.12, 0.16), thickness=rng.uniform(0.018, 0.034),
                arch=rng.uniform(0.005, 0.025), tilt=rng.uniform(-0.03, 0.03))
    for side, label in ((1, ID["l_brow"]), (-1, ID["r_brow"])):
        paint_polygon(mask, pose, face_parts.brow_outline(side, (yaw + side * brow_dx, brow_y), **brow), label)
    draw_mouth(mask, pose, (yaw, float(rng.uniform(0.245, 0.262))), **random_expression(rng))


def random_expression(rng: np.random.Generator) -> dict:
    mood = rng.choice(["closed", "open", "smile"], p=[0.5, 0.22, 0.28])
    smile = float(rng.uniform(0.4, 1.0)) if mood == "smile" else float(rng.uniform(0, 0.15))
    gap = {"closed": 0.0, "open": rng.uniform(0.012, 0.05), "smile": rng.uniform(0.0, 0.04)}[mood]
    return dict(half_width=float(rng.uniform(0.085, 0.105)), upper=float(rng.uniform(0.018, 0.03)),
                lower=float(rng.uniform(0.026, 0.042)), gap=float(gap), smile=smile)


def draw_mouth(mask, pose, center, half_width, upper, lower, gap, smile, over=None) -> None:
    upper_lip, lower_lip, inside = face_parts.lip_outlines(center, half_width, upper, lower, gap, smile)
    paint_polygon(mask, pose, upper_lip, ID["u_lip"], over)
    paint_polygon(mask, pose, lower_lip, ID["l_lip"], over)
    if inside is not None:
        paint_polygon(mask, pose, inside, ID["mouth"], over)


def draw_glasses(mask, pose, eyes, head_width, rng) -> None:
    half_w, half_h = rng.uniform(0.058, 0.075), rng.uniform(0.034, 0.05)
    lenses, frame = wear_parts.glasses_parts(eyes[0], eyes[1], head_width, half_w, half_h,
                                             float(rng.choice([2.0, 3.0, 4.0, 6.0])))
    thickness = float(rng.uniform(0.007, 0.013))
    for outline in lenses:  # eyes and brows stay in front of the lenses, as in CelebAMask-HQ
        paint_polygon(mask, pose, outline, ID["eye_g"], over=LENS_COVERS)
    for curve in frame:
        paint_stroke(mask, pose, curve, thickness, ID["eye_g"], over=(ID["skin"], ID["nose"], ID["hair"]))


def draw_earrings(mask, pose, kind, size) -> bool:
    """Earrings under each visible ear lobe; True if at least one was drawn."""
    drawn = False
    for side in (-1, 1):
        lobe = _find_lobe(mask, pose, side)
        if lobe is None:
            continue
        outline = wear_parts.earring_outline(kind, lobe, size)
        if kind == "hoop":
            paint_stroke(mask, pose, np.concatenate([outline, outline[:1]]), 0.007 * size, ID["ear_r"])
        else:
            paint_polygon(mask, pose, outline, ID["ear_r"])
        drawn = True
    return drawn


def _find_lobe(mask, pose, side):
    """The lowest ear pixel on ``side`` in face coordinates, or None when that ear is hidden."""
    label = ID["l_ear"] if side > 0 else ID["r_ear"]
    ys, xs = np.nonzero(mask == label)
    if len(ys) < 20:
        return None
    face = pose.to_face(np.stack([xs, ys], 1).astype(np.float64))
    lowest = face[face[:, 1] >= np.quantile(face[:, 1], 0.97)]
    x, y = lowest.mean(axis=0)
    return float(x), float(y)


def draw_necklace(mask, pose, neck_width, drop, thickness, pendant=False) -> None:
    chain = wear_parts.necklace_curve(neck_width, drop)
    over = (ID["neck"], ID["cloth"], ID["hair"])
    paint_stroke(mask, pose, chain, thickness, ID["neck_l"], over=over)
    if pendant:
        paint_polygon(mask, pose, ellipse((0.0, drop + 0.022), (0.014, 0.02), steps=16), ID["neck_l"], over=over)
