"""Image metrics against ground truth: PSNR, SSIM (scikit-image) and per-class colour error.

All functions take uint8 RGB images of the same size; regions are boolean (H, W) maps.
"""

from __future__ import annotations

import cv2
import numpy as np
from skimage.color import deltaE_ciede2000, rgb2lab
from skimage.metrics import structural_similarity

from maskgan_studio.labels import NUM_CLASSES

PSNR_CAP_DB = 100.0
"""PSNR of identical pixels is infinite; report this cap instead so means stay finite."""


def psnr(output: np.ndarray, truth: np.ndarray, region: np.ndarray | None = None) -> float:
    """PSNR in dB over the whole image or over ``region`` (None when the region is empty)."""
    diff = output.astype(np.float64) - truth.astype(np.float64)
    if region is not None:
        if not region.any():
            return float("nan")
        diff = diff[region]
    mse = float(np.mean(diff**2))
    if mse == 0.0:
        return PSNR_CAP_DB
    return min(PSNR_CAP_DB, 10.0 * np.log10(255.0**2 / mse))


def ssim_map(output: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """The local SSIM of every pixel, averaged over the colour channels: float (H, W)."""
    _, full = structural_similarity(output, truth, channel_axis=2, data_range=255, full=True)
    return full.mean(axis=2)


def ssim(output: np.ndarray, truth: np.ndarray, region: np.ndarray | None = None) -> float:
    """Mean SSIM over the whole image or over ``region`` (the SSIM map averaged inside it)."""
    local = ssim_map(output, truth)
    if region is None:
        return float(local.mean())
    return float(local[region].mean()) if region.any() else float("nan")


def changed_region(source_mask: np.ndarray, edited_mask: np.ndarray, dilate_px: int) -> np.ndarray:
    """Pixels whose class changed, grown by ``dilate_px`` (a disc), as a boolean map."""
    changed = (source_mask != edited_mask).astype(np.uint8)
    if dilate_px > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * dilate_px + 1, 2 * dilate_px + 1))
        changed = cv2.dilate(changed, kernel)
    return changed.astype(bool)


def class_delta_e(
    output: np.ndarray, truth: np.ndarray, mask: np.ndarray, min_pixels: int = 16, region: np.ndarray | None = None
) -> dict[int, float]:
    """CIEDE2000 between the mean colours of each class region in output and truth.

    With ``region``, each class region is cut down to its pixels inside it (where an edit drew).
    Classes with fewer than ``min_pixels`` pixels are left out: their mean colour is dominated
    by anti-aliasing at the border.
    """
    labels = mask.ravel() if region is None else mask[region]
    counts = np.bincount(labels, minlength=NUM_CLASSES)
    present = np.flatnonzero(counts >= min_pixels)
    if present.size == 0:
        return {}

    def class_means(image: np.ndarray) -> np.ndarray:
        pixels = image.reshape(-1, 3) if region is None else image[region]
        sums = np.stack(
            [np.bincount(labels, weights=pixels[:, c], minlength=NUM_CLASSES) for c in range(3)],
            axis=1,
        )
        return sums[present] / counts[present, None]

    lab_out = rgb2lab((class_means(output) / 255.0)[None])[0]
    lab_truth = rgb2lab((class_means(truth) / 255.0)[None])[0]
    errors = deltaE_ciede2000(lab_out, lab_truth)
    return {int(c): float(e) for c, e in zip(present, errors)}
