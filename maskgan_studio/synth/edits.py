"""Seeded edits a user would make to a face mask. Rendering the edited mask in the source
face's style gives the edit's true image (training, evaluation and tests rely on that).

Every edit is ``edit(mask, rng, other_mask=None) -> new mask`` with ids 0-18, and works on any
mask: the face's frame is read back from the eyes (``mask_tools``). An edit that does not
apply to a mask (``remove_hat`` without a hat, ``transfer_region`` without ``other_mask``)
raises ``NotApplicable``; ``applicable_edits(mask)`` lists the ones that do, and
``random_edit`` picks one of them and returns a changed mask.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.synth import hair_parts, wear_parts
from maskgan_studio.synth.mask_tools import align, estimate_pose, head_width, nearest_fill, uncover
from maskgan_studio.synth.masks import FACE_FEATURES, draw_earrings, draw_glasses, draw_mouth, draw_necklace
from maskgan_studio.synth.shapes import label_set, paint, paint_polygon


class NotApplicable(ValueError):
    """The edit does not apply to this mask (there is nothing to remove, or no room to add)."""


_HAIR, _HAT, _SKIN = ID["hair"], ID["hat"], ID["skin"]
_EYES = (ID["l_eye"], ID["r_eye"])
_BROWS = (ID["l_brow"], ID["r_brow"])
_LIPS = (ID["mouth"], ID["u_lip"], ID["l_lip"])


def _count(mask: np.ndarray, labels) -> int:
    return int(np.count_nonzero(label_set(mask, labels if isinstance(labels, tuple) else (labels,))))


def _enough(mask: np.ndarray, labels, pixels_at_512: int = 30) -> bool:
    return _count(mask, labels) >= max(1, pixels_at_512 * mask.size // 512 ** 2)


def _require(condition: bool, why: str) -> None:
    if not condition:
        raise NotApplicable(why)


# ---- hair -------------------------------------------------------------------------------------

def _cut(rng, length: float, bangs=False) -> hair_parts.HairCut:
    return hair_parts.HairCut(length=length, volume=float(rng.uniform(0.02, 0.06)),
                              hairline=float(rng.uniform(-0.24, -0.18)), parting=0.0,
                              sweep=float(rng.uniform(-0.4, 0.4)), bangs=bangs, bun=False, ear_lock=0,
                              front_falls=False)


def grow_hair(mask, rng, other_mask=None):
    _require(_enough(mask, _HAIR, 300), "no hair to grow")
    pose = estimate_pose(mask)
    width = head_width(mask, pose)
    out = mask.copy()
    cut = _cut(rng, float(rng.uniform(0.45, 0.75)))
    paint_polygon(out, pose, hair_parts.back_outline(cut, width, -0.31), _HAIR, over=(ID["background"],))
    if rng.random() < 0.5:
        for side in (-1, 1):
            fall = hair_parts.front_fall_outline(side, width, cut.length, float(rng.uniform(0.06, 0.1)))
            paint_polygon(out, pose, fall, _HAIR, over=(ID["background"], ID["cloth"]))
    return out


def shorten_hair(mask, rng, other_mask=None):
    pose = estimate_pose(mask)
    _, v = pose.face_grid(mask.shape)
    hair = mask == _HAIR
    _require(np.count_nonzero(hair & (v > 0.12)) >= 200 * mask.size // 512 ** 2, "no hair below the ears to cut")
    return uncover(mask, hair & (v > rng.uniform(-0.06, 0.12)), pose, skin_below=1.0)


def add_bangs(mask, rng, other_mask=None):
    pose = estimate_pose(mask)
    _, v = pose.face_grid(mask.shape)
    forehead = (mask == _SKIN) & (v > -0.2) & (v < -0.09)
    _require(_enough(mask, _HAIR, 300) and np.count_nonzero(forehead) > 400 * mask.size // 512 ** 2,
             "needs hair and a bare forehead")
    out = mask.copy()
    outline = hair_parts.front_outline(_cut(rng, 0.1, bangs=True), head_width(mask, pose), -0.31, rng)
    paint_polygon(out, pose, outline, _HAIR, over=(_SKIN,))
    return out


def remove_bangs(mask, rng, other_mask=None):
    pose = estimate_pose(mask)
    u, v = pose.face_grid(mask.shape)
    width = head_width(mask, pose)
    fringe = (mask == _HAIR) & (v < 0.0) & (np.abs(u) < 0.85 * width)
    arc = 0.08 * (u / (0.85 * width)) ** 2  # the new hairline curves up at the temples
    _require(np.count_nonzero(fringe & (v > -0.17 + arc)) >= 200 * mask.size // 512 ** 2,
             "no fringe over the forehead")
    out = mask.copy()
    out[fringe & (v > rng.uniform(-0.21, -0.17) + arc)] = _SKIN
    return out


# ---- what a person wears -----------------------------------------------------------------------

def add_hat(mask, rng, other_mask=None):
    _require(not _enough(mask, _HAT), "already wears a hat")
    pose = estimate_pose(mask)
    out = mask.copy()
    kind = str(rng.choice(wear_parts.HAT_KINDS))
    keep = set(FACE_FEATURES) | {ID["eye_g"]}
    over = tuple(i for i in range(19) if i not in keep)
    for outline in wear_parts.hat_outlines(kind, head_width(mask, pose), -0.31, float(rng.uniform(-0.25, -0.17))):
        paint_polygon(out, pose, outline, _HAT, over=over)
    return out


def remove_hat(mask, rng, other_mask=None):
    _require(_enough(mask, _HAT), "no hat to remove")
    pose = estimate_pose(mask)
    hat = mask == _HAT
    if not _enough(mask, _HAIR, 300):
        return uncover(mask, hat, pose, skin_below=-1.0)
    width = head_width(mask, pose)
    cut = _cut(rng, 0.0)
    dome = np.zeros_like(mask)
    paint_polygon(dome, pose, hair_parts.back_outline(cut, width, -0.31), 1)
    out = uncover(mask, hat & (dome == 0), pose)
    out[hat & (dome == 1)] = _HAIR
    return out


def add_eyeglasses(mask, rng, other_mask=None):
    _require(not _enough(mask, ID["eye_g"]) and all(_enough(mask, e) for e in _EYES), "needs two eyes, no glasses")
    pose = estimate_pose(mask)
    centres = []
    for label in _EYES:
        ys, xs = np.nonzero(mask == label)
        centres.append(tuple(pose.to_face(np.array([[xs.mean(), ys.mean()]]))[0]))
    out = mask.copy()
    draw_glasses(out, pose, centres, head_width(mask, pose), rng)
    return out


def remove_eyeglasses(mask, rng, other_mask=None):
    _require(_enough(mask, ID["eye_g"]), "no eyeglasses")
    sources = (ID["background"], _SKIN, ID["nose"], _HAIR, ID["l_ear"], ID["r_ear"])
    return nearest_fill(mask, mask == ID["eye_g"], sources)


def add_earrings(mask, rng, other_mask=None):
    _require(not _enough(mask, ID["ear_r"], 10), "already wears earrings")
    out = mask.copy()
    drawn = draw_earrings(out, estimate_pose(mask), str(rng.choice(wear_parts.EARRING_KINDS)),
                          float(rng.uniform(0.8, 1.2)))
    _require(drawn, "no visible ear")
    return out


def remove_earrings(mask, rng, other_mask=None):
    _require(_enough(mask, ID["ear_r"], 10), "no earrings")
    sources = (ID["background"], _HAIR, ID["l_ear"], ID["r_ear"], ID["neck"], ID["cloth"])
    return nearest_fill(mask, mask == ID["ear_r"], sources)


def add_necklace(mask, rng, other_mask=None):
    _require(_enough(mask, ID["neck"], 800) and not _enough(mask, ID["neck_l"], 10), "needs a bare neck")
    out = mask.copy()
    draw_necklace(out, estimate_pose(mask), float(rng.uniform(0.13, 0.17)), float(rng.uniform(0.44, 0.5)),
                  float(rng.uniform(0.008, 0.016)), pendant=bool(rng.random() < 0.5))
    _require(not np.array_equal(out, mask), "the neck is covered")
    return out


def remove_necklace(mask, rng, other_mask=None):
    _require(_enough(mask, ID["neck_l"], 10), "no necklace")
    return nearest_fill(mask, mask == ID["neck_l"], (ID["neck"], ID["cloth"], _HAIR, ID["background"]))


# ---- expression --------------------------------------------------------------------------------

def _mouth_frame(mask):
    """(pose, centre, half width, upper, lower, gap) of the current mouth, in face units."""
    pose = estimate_pose(mask)
    ys, xs = np.nonzero(label_set(mask, _LIPS))
    face = pose.to_face(np.stack([xs, ys], 1))
    top, bottom = face[:, 1].min(), face[:, 1].max()
    inside = face[mask[ys, xs] == ID["mouth"]]
    gap = float(inside[:, 1].max() - inside[:, 1].min()) if len(inside) else 0.0
    lips = max(bottom - top - gap, 0.03)
    upper, lower = float(np.clip(0.42 * lips, 0.015, 0.035)), float(np.clip(0.58 * lips, 0.02, 0.05))
    centre = (float((face[:, 0].max() + face[:, 0].min()) / 2), float(top + upper + 0.45 * gap))
    half_width = float(np.clip((face[:, 0].max() - face[:, 0].min()) / 2, 0.06, 0.14))
    return pose, centre, half_width, upper, lower, gap


def _redraw_mouth(mask, gap, smile, widen=1.0):
    _require(_enough(mask, (ID["u_lip"], ID["l_lip"]), 60), "no lips")
    pose, centre, half_width, upper, lower, _ = _mouth_frame(mask)
    out = mask.copy()
    out[label_set(mask, _LIPS)] = _SKIN
    draw_mouth(out, pose, centre, half_width * widen, upper, lower, gap, smile, over=(_SKIN, *_LIPS))
    return out


def open_mouth(mask, rng, other_mask=None):
    _require(not _enough(mask, ID["mouth"], 40), "the mouth is already open")
    return _redraw_mouth(mask, float(rng.uniform(0.02, 0.05)), float(rng.uniform(0.0, 0.2)))


def close_mouth(mask, rng, other_mask=None):
    _require(_enough(mask, ID["mouth"], 20), "the mouth is already closed")
    return _redraw_mouth(mask, 0.0, 0.0)


def smile(mask, rng, other_mask=None):
    """Widen the mouth and lift its corners, open or closed."""
    return _redraw_mouth(mask, float(rng.choice([0.0, rng.uniform(0.015, 0.04)])), float(rng.uniform(0.5, 1.0)),
                         widen=float(rng.uniform(0.95, 1.05)))


def _rescale_eyes(mask, rng, low, high):
    _require(all(_enough(mask, e, 10) for e in _EYES), "needs two eyes")
    factor = float(rng.uniform(low, high))
    out = nearest_fill(mask, label_set(mask, _EYES), (_SKIN, ID["eye_g"], ID["nose"]))
    for label in _EYES:
        ys, xs = np.nonzero(mask == label)
        cx, cy = xs.mean(), ys.mean()
        sx, sy = factor ** 0.5, factor
        matrix = np.float32([[sx, 0, cx * (1 - sx)], [0, sy, cy * (1 - sy)]])
        scaled = cv2.warpAffine((mask == label).view(np.uint8), matrix, mask.shape[::-1], flags=cv2.INTER_NEAREST)
        paint(out, scaled, label, over=(_SKIN, ID["eye_g"]))
    return out


def enlarge_eyes(mask, rng, other_mask=None):
    return _rescale_eyes(mask, rng, 1.25, 1.6)


def shrink_eyes(mask, rng, other_mask=None):
    return _rescale_eyes(mask, rng, 0.5, 0.75)


def thicken_brows(mask, rng, other_mask=None):
    _require(all(_enough(mask, b, 10) for b in _BROWS), "needs two brows")
    reach = max(1, round(float(rng.uniform(0.006, 0.012)) * estimate_pose(mask).scale))
    out = mask.copy()
    for label in _BROWS:
        grown = cv2.dilate((mask == label).view(np.uint8), np.ones((2 * reach + 1, 3), np.uint8))
        paint(out, grown, label, over=(_SKIN,))
    return out


def move_brows(mask, rng, other_mask=None):
    """Raise or lower both brows together (surprise or a frown)."""
    _require(all(_enough(mask, b, 10) for b in _BROWS), "needs two brows")
    pose = estimate_pose(mask)
    shift = float(rng.choice([-1, 1]) * rng.uniform(0.012, 0.025)) * pose.scale
    dx, dy = -np.sin(pose.roll) * shift, np.cos(pose.roll) * shift
    out = nearest_fill(mask, label_set(mask, _BROWS), (_SKIN, _HAIR, ID["eye_g"]))
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    for label in _BROWS:
        moved = cv2.warpAffine((mask == label).view(np.uint8), matrix, mask.shape[::-1], flags=cv2.INTER_NEAREST)
        paint(out, moved, label, over=(_SKIN, ID["eye_g"]))
    return out


def change_face_outline(mask, rng, other_mask=None):
    """Make the jaw wider or narrower and the chin longer or shorter."""
    _require(_enough(mask, _SKIN, 5000), "no face")
    pose = estimate_pose(mask)
    u, v = pose.face_grid(mask.shape)
    widen = float(rng.choice([-1, 1]) * rng.uniform(0.08, 0.16))
    ramp = np.clip((v - 0.05) / 0.3, 0, 1)
    src_u = u / (1.0 + widen * ramp * ramp * (3 - 2 * ramp))
    src_v = np.where(v > 0.2, 0.2 + (v - 0.2) / float(rng.uniform(0.92, 1.08)), v)
    c, s = np.cos(pose.roll), np.sin(pose.roll)
    map_x = (pose.cx + pose.scale * (src_u * c - src_v * s)).astype(np.float32)
    map_y = (pose.cy + pose.scale * (src_u * s + src_v * c)).astype(np.float32)
    warped = cv2.remap(mask, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    face_now, face_then = label_set(mask, (_SKIN, *FACE_FEATURES)), label_set(warped, (_SKIN, *FACE_FEATURES))
    out = mask.copy()
    out[face_then & ~face_now & label_set(mask, (ID["background"], ID["neck"], _HAIR, ID["cloth"]))] = _SKIN
    shrunk = face_now & ~face_then & (mask == _SKIN)
    return nearest_fill(out, shrunk, (ID["background"], ID["neck"], _HAIR, ID["cloth"]))


# ---- attribute transfer ------------------------------------------------------------------------

_TRANSFERABLE = {"hair": (_HAIR, _HAT), "mouth": _LIPS, "eyes": _EYES, "brows": _BROWS, "eyeglasses": (ID["eye_g"],)}


def transfer_region(mask, rng, other_mask=None):
    """Take the hair (with any hat), mouth, eyes, brows or eyeglasses from ``other_mask``."""
    _require(other_mask is not None and other_mask.shape == mask.shape, "needs another face's mask of the same size")
    parts = [name for name, labels in _TRANSFERABLE.items() if _enough(other_mask, labels, 30)]
    _require(bool(parts), "the other face has none of the transferable parts")
    part = str(rng.choice(parts))
    labels = _TRANSFERABLE[part]
    pose = estimate_pose(mask)
    theirs = align(other_mask, estimate_pose(other_mask), pose, mask.shape)
    mine = label_set(mask, labels)
    if part == "hair":
        out = uncover(mask, mine, pose)
        over = tuple(i for i in range(19) if i not in FACE_FEATURES or i in _BROWS)
    else:
        sources = (_SKIN, ID["nose"], _HAIR, ID["background"]) if part == "eyeglasses" else (_SKIN, ID["eye_g"])
        out = nearest_fill(mask, mine, sources)
        over = (_SKIN, ID["eye_g"]) if part in ("eyes", "brows") else (_SKIN, _HAIR, ID["nose"], ID["background"])
    for label in labels:
        paint(out, theirs == label, label, over=over)
    return out


EDITS = {f.__name__: f for f in (
    grow_hair, shorten_hair, add_bangs, remove_bangs, add_hat, remove_hat, add_eyeglasses, remove_eyeglasses,
    add_earrings, remove_earrings, add_necklace, remove_necklace, open_mouth, close_mouth, smile, enlarge_eyes,
    shrink_eyes, thicken_brows, move_brows, change_face_outline, transfer_region)}
EDIT_KINDS = tuple(EDITS)


def apply_edit(kind: str, mask: np.ndarray, rng: np.random.Generator, other_mask=None) -> np.ndarray:
    """Run the edit named ``kind``; raises NotApplicable when it does not apply to ``mask``."""
    if kind not in EDITS:
        raise ValueError(f"unknown edit {kind!r}; known: {', '.join(EDIT_KINDS)}")
    mask = np.ascontiguousarray(mask, dtype=np.uint8)
    return EDITS[kind](mask, rng, other_mask)


def applicable_edits(mask: np.ndarray, other_mask=None) -> tuple[str, ...]:
    """The edits that apply to ``mask`` (tried with a fixed seed, so this costs a few ms each)."""
    found = []
    for kind in EDIT_KINDS:
        try:
            apply_edit(kind, mask, np.random.default_rng(0), other_mask)
        except NotApplicable:
            continue
        found.append(kind)
    return tuple(found)


def random_edit(mask: np.ndarray, rng: np.random.Generator, other_mask=None, kinds=EDIT_KINDS):
    """(kind, edited mask): a random edit among ``kinds`` that applies and changes the mask."""
    order = rng.permutation(len(kinds))
    for index in order:
        try:
            edited = apply_edit(kinds[index], mask, rng, other_mask)
        except NotApplicable:
            continue
        if not np.array_equal(edited, mask):
            return kinds[index], edited
    raise NotApplicable("no edit applies to this mask")
