"""Class-group IoU: how well an automatic mask matches a human-made one (../shared/real_faces)."""

from __future__ import annotations

import numpy as np

from maskgan_studio.labels import ID

GROUPS: dict[str, tuple[int, ...]] = {
    "skin": (ID["skin"],),
    "nose": (ID["nose"],),
    "eyes": (ID["l_eye"], ID["r_eye"]),
    "brows": (ID["l_brow"], ID["r_brow"]),
    "lips": (ID["u_lip"], ID["l_lip"]),
    "hair": (ID["hair"],),
    "neck": (ID["neck"],),
    "clothes": (ID["cloth"],),
    "background": (ID["background"],),
}


def class_group_iou(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """IoU of each group present in either mask (groups absent from both are left out)."""
    if predicted.shape != truth.shape:
        raise ValueError(f"masks differ in size: {predicted.shape} and {truth.shape}")
    scores = {}
    for name, ids in GROUPS.items():
        in_pred = np.isin(predicted, ids)
        in_truth = np.isin(truth, ids)
        union = np.count_nonzero(in_pred | in_truth)
        if union:
            scores[name] = np.count_nonzero(in_pred & in_truth) / union
    return scores


def mean_group_iou(scores: dict[str, float]) -> float:
    return float(np.mean(list(scores.values())))
