"""The 19 semantic classes of CelebAMask-HQ in MaskGAN's order: one table drives everything.

Ids, names, display names and colours follow the published MaskGAN demo. "l_" is the person's
left, which sits on the image's right. Shortcuts: digits give ids 0-9, Alt+digit gives 10-18.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FaceClass:
    id: int
    name: str
    display_name: str
    rgb: tuple[int, int, int]
    shortcut: str


_TABLE = [
    ("background", "Background", (0, 0, 0)),
    ("skin", "Skin", (204, 0, 0)),
    ("nose", "Nose", (76, 153, 0)),
    ("eye_g", "Eyeglasses", (204, 204, 0)),
    ("l_eye", "Left eye", (51, 51, 255)),
    ("r_eye", "Right eye", (204, 0, 204)),
    ("l_brow", "Left brow", (0, 255, 255)),
    ("r_brow", "Right brow", (51, 255, 255)),
    ("l_ear", "Left ear", (102, 51, 0)),
    ("r_ear", "Right ear", (255, 0, 0)),
    ("mouth", "Mouth (inside)", (102, 204, 0)),
    ("u_lip", "Upper lip", (255, 255, 0)),
    ("l_lip", "Lower lip", (0, 0, 153)),
    ("hair", "Hair", (0, 0, 204)),
    ("hat", "Hat", (255, 51, 153)),
    ("ear_r", "Earring", (0, 204, 204)),
    ("neck_l", "Necklace", (0, 51, 0)),
    ("neck", "Neck", (255, 153, 51)),
    ("cloth", "Clothes", (0, 204, 0)),
]


def _shortcut(class_id: int) -> str:
    return str(class_id) if class_id < 10 else f"Alt+{class_id - 10}"


CLASSES: tuple[FaceClass, ...] = tuple(
    FaceClass(i, name, shown, rgb, _shortcut(i)) for i, (name, shown, rgb) in enumerate(_TABLE)
)
NUM_CLASSES = len(CLASSES)
MAX_ID = NUM_CLASSES - 1
ID = {c.name: c.id for c in CLASSES}

PALETTE = np.array([c.rgb for c in CLASSES], dtype=np.uint8)
"""(19, 3) uint8: row i is the colour of class i."""

# Each class's mirror image under a horizontal flip (l_* <-> r_*); the rest map to themselves.
FLIP_PERMUTATION = np.arange(NUM_CLASSES, dtype=np.uint8)
for _left, _right in (("l_eye", "r_eye"), ("l_brow", "r_brow"), ("l_ear", "r_ear")):
    FLIP_PERMUTATION[ID[_left]], FLIP_PERMUTATION[ID[_right]] = ID[_right], ID[_left]

# The order the BiSeNet face parsers trained on CelebAMask-HQ use.
BISENET_ORDER = (
    "background", "skin", "l_brow", "r_brow", "l_eye", "r_eye", "eye_g", "l_ear", "r_ear",
    "ear_r", "nose", "mouth", "u_lip", "l_lip", "neck", "neck_l", "cloth", "hair", "hat",
)
BISENET_TO_OURS = np.array([ID[n] for n in BISENET_ORDER], dtype=np.uint8)
"""Look-up table: ``BISENET_TO_OURS[bisenet_id] == our_id``."""
OURS_TO_BISENET = np.argsort(BISENET_TO_OURS).astype(np.uint8)
"""Look-up table: ``OURS_TO_BISENET[our_id] == bisenet_id``."""


def from_bisenet(labels: np.ndarray) -> np.ndarray:
    """Convert a label map in BiSeNet order to ours."""
    return BISENET_TO_OURS[labels]


def to_bisenet(labels: np.ndarray) -> np.ndarray:
    """Convert a label map in our order to BiSeNet order."""
    return OURS_TO_BISENET[labels]


def colorize(labels: np.ndarray) -> np.ndarray:
    """(H, W) ids -> (H, W, 3) uint8 colours of the table."""
    return PALETTE[labels]


def flip_labels(labels: np.ndarray) -> np.ndarray:
    """Mirror a label map left-right, swapping the left/right classes."""
    return FLIP_PERMUTATION[labels[:, ::-1]]
