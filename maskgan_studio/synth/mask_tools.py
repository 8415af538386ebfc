"""Reading a face's frame back from a mask, and filling in what a removed part covered.

Edits work on any mask (generated, user-painted, parsed from a photo), so they cannot rely on
the generator's parameters: they estimate the pose from the eyes (or brows, or the skin).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.synth.face_parts import head_outline
from maskgan_studio.synth.masks import FACE_FEATURES, FACE_ORIGIN
from maskgan_studio.synth.shapes import Pose, polygon_mask

EYE_DISTANCE = 0.25  # the generator's eye spacing in face units (DESIGN.md: x 0.37 and 0.62)
BROW_DISTANCE = 0.26
FACE_CLASSES = (ID["skin"], *FACE_FEATURES)


def _centroid(mask: np.ndarray, label: int, minimum: int) -> np.ndarray | None:
    ys, xs = np.nonzero(mask == label)
    if len(ys) < minimum:
        return None
    return np.array([xs.mean(), ys.mean()])


def estimate_pose(mask: np.ndarray) -> Pose:
    """The face's pose from its eyes, else its brows, else the skin; upright at scale 1 if none."""
    size = max(mask.shape)
    minimum = max(3, int(20 * (size / 512) ** 2))
    for pair, spacing, offset in (((ID["l_eye"], ID["r_eye"]), EYE_DISTANCE, 0.0),
                                  ((ID["l_brow"], ID["r_brow"]), BROW_DISTANCE, 0.068)):
        left, right = (_centroid(mask, label, minimum) for label in pair)
        if left is not None and right is not None:
            dx, dy = left - right
            scale = math.hypot(dx, dy) / spacing
            if scale > 0.4 * size:
                roll = math.atan2(dy, dx)
                mid = (left + right) / 2
                return Pose(mid[0] - offset * scale * math.sin(roll), mid[1] + offset * scale * math.cos(roll),
                            scale, roll)
    face = np.isin(mask, FACE_CLASSES)
    ys, xs = np.nonzero(face)
    if len(ys) < minimum:
        return Pose(FACE_ORIGIN[0] * mask.shape[1], FACE_ORIGIN[1] * mask.shape[0], float(size), 0.0)
    scale = max((xs.max() - xs.min()) / 0.54, 0.4 * size)
    return Pose(float(xs.mean()), float(ys.mean()) - 0.07 * scale, float(scale), 0.0)


def head_width(mask: np.ndarray, pose: Pose) -> float:
    """Half the face's width at eye level in face units (0.27 when it cannot be measured)."""
    ys, xs = np.nonzero(np.isin(mask, FACE_CLASSES + (ID["eye_g"],)))
    if len(ys) == 0:
        return 0.27
    face = pose.to_face(np.stack([xs, ys], 1))
    row = face[np.abs(face[:, 1]) < 0.03]
    if len(row) < 2:
        return 0.27
    return float(np.clip((row[:, 0].max() - row[:, 0].min()) / 2, 0.2, 0.34))


def nearest_fill(mask: np.ndarray, region: np.ndarray, sources) -> np.ndarray:
    """``mask`` with ``region`` replaced by the nearest label among ``sources`` outside it.

    When no source pixel exists, the region becomes background.
    """
    donors = np.isin(mask, list(sources)) & ~region
    out = mask.copy()
    if not region.any():
        return out
    if not donors.any():
        out[region] = ID["background"]
        return out
    _, nearest = cv2.distanceTransformWithLabels((~donors).view(np.uint8), cv2.DIST_L2, 5,
                                                 labelType=cv2.DIST_LABEL_PIXEL)
    donor_labels = mask[donors]  # raster order, as the labels number them
    out[region] = donor_labels[nearest[region] - 1]
    return out


def head_region(mask: np.ndarray, pose: Pose, width: float, top=-0.31) -> np.ndarray:
    """Where a default head outline of ``width`` would put skin (bool)."""
    return polygon_mask(mask.shape, pose, head_outline(width, 0.2, 0.1, 0.41, top)).view(bool)


def uncover(mask: np.ndarray, region: np.ndarray, pose: Pose, skin_below: float = -0.19) -> np.ndarray:
    """Remove what covers ``region`` (hair, a hat): skin inside the head below ``skin_below``,
    otherwise the nearest background, neck or clothes."""
    width = head_width(mask, pose)
    inside = head_region(mask, pose, width)
    _, v = pose.face_grid(mask.shape)
    to_skin = region & inside & (v > skin_below)
    out = nearest_fill(mask, region & ~to_skin, (ID["background"], ID["neck"], ID["cloth"]))
    out[to_skin] = ID["skin"]
    return out


def align(other: np.ndarray, pose_other: Pose, pose_self: Pose, shape) -> np.ndarray:
    """``other`` resampled so its face lands on ``pose_self`` (nearest neighbour)."""
    corners = np.array([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]) * max(shape)
    target = pose_other.to_pixels(pose_self.to_face(corners))
    matrix = cv2.getAffineTransform(corners.astype(np.float32), target.astype(np.float32))
    return cv2.warpAffine(other, matrix, (shape[1], shape[0]), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)
