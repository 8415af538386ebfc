"""Reconstruction of real photos from their own human-made masks, laid out like SEAN's table.

For each ``face_NN.png`` with ``face_NN_mask.png`` (the layout of ``../shared/real_faces``) the
model encodes the style of the photo and its mask, then draws that same mask: the generator's
raw output at the model's resolution (no paste-back) against the photo brought to that size.
PSNR is that of ``metrics`` (uint8, data range 255); SSIM is scikit-image's mean SSIM (borders
cropped by half the window, colour channels averaged), the usual figure; RMSE is over pixels in
[0, 1], as SEAN reports it. Each figure is the mean over the faces.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from skimage.metrics import structural_similarity

from maskgan_studio.core.arrays import resize_image, resize_mask
from maskgan_studio.errors import InputFileError
from maskgan_studio.evaluation import metrics
from maskgan_studio.io import read_image, read_mask
from maskgan_studio.nets.tensors import tensor_to_image

SEAN_ROWS = (("pix2pixHD", 17.14, 0.68, 0.15), ("SPADE", 14.30, 0.63, 0.21), ("SEAN", 18.74, 0.73, 0.12))
"""SEAN (Zhu et al., CVPR 2020), Table 1: reconstruction on CelebAMask-HQ at 256 px."""
_PHOTO = re.compile(r"^(face_\d+)\.png$")


@dataclass(frozen=True)
class FaceScore:
    name: str
    psnr: float
    ssim: float
    rmse: float


def find_faces(folder: str | os.PathLike) -> list[tuple[str, Path, Path]]:
    """``(name, photo, mask)`` for every ``face_NN.png`` beside a ``face_NN_mask.png``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(folder, "not a folder (expected face_NN.png with face_NN_mask.png)")
    found = []
    for path in sorted(folder.iterdir()):
        match = _PHOTO.match(path.name)
        if match and (mask := folder / f"{match.group(1)}_mask.png").is_file():
            found.append((match.group(1), path, mask))
    if not found:
        raise InputFileError(folder, "no face_NN.png with its face_NN_mask.png found")
    return found


def rmse(output: np.ndarray, truth: np.ndarray) -> float:
    """Root mean squared error of uint8 images over pixels scaled to [0, 1]."""
    diff = (output.astype(np.float64) - truth.astype(np.float64)) / 255.0
    return float(np.sqrt(np.mean(diff**2)))


def reconstruct(session, photo: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(photo at the model's resolution, the raw redrawing of its own mask)``, both uint8."""
    size = session.resolution
    session.set_style_source(photo, mask)
    drawn = tensor_to_image(session.generate_raw(resize_mask(mask, size, size)))
    return resize_image(photo, size, size), drawn


def evaluate_real(session, folder: str | os.PathLike) -> tuple[list[FaceScore], list[np.ndarray]]:
    """The scores of every face and its side-by-side row (photo | reconstruction)."""
    scores, rows = [], []
    for name, photo_path, mask_path in find_faces(folder):
        photo, mask = read_image(photo_path), read_mask(mask_path)
        if mask.shape != photo.shape[:2]:
            raise InputFileError(mask_path, f"is {mask.shape[1]}x{mask.shape[0]}, the photo "
                                 f"{photo.shape[1]}x{photo.shape[0]}")
        truth, drawn = reconstruct(session, photo, mask)
        ssim = float(structural_similarity(drawn, truth, channel_axis=2, data_range=255))
        scores.append(FaceScore(name, metrics.psnr(drawn, truth), ssim, rmse(drawn, truth)))
        rows.append(np.concatenate([truth, drawn], axis=1))
    return scores, rows


def means(scores: list[FaceScore]) -> dict[str, float]:
    return {key: float(np.mean([getattr(s, key) for s in scores])) for key in ("psnr", "ssim", "rmse")}


def table(scores: list[FaceScore], model_name: str, resolution: int) -> str:
    """SEAN's rows as published, then this model's, in SEAN's columns."""
    lines = [f"{'reconstruction at ' + str(resolution) + ' px':<44} {'PSNR dB':>8} {'SSIM':>6} {'RMSE':>6}"]
    for name, psnr, ssim, error in SEAN_ROWS:
        lines.append(f"{name + ' (SEAN, Table 1; CelebAMask-HQ test)':<44} {psnr:>8.2f} {ssim:>6.2f} {error:>6.2f}")
    mean = means(scores)
    label = f"{model_name} ({len(scores)} faces)"
    lines.append(f"{label:<44} {mean['psnr']:>8.2f} {mean['ssim']:>6.2f} {mean['rmse']:>6.2f}")
    return "\n".join(lines)


def summary(scores: list[FaceScore], model_name: str, folder: str | os.PathLike, resolution: int) -> dict:
    return {
        "model": model_name,
        "folder": os.fspath(Path(folder).resolve()),
        "resolution": resolution,
        "mean": means(scores),
        "faces": [{"name": s.name, "psnr": s.psnr, "ssim": s.ssim, "rmse": s.rmse} for s in scores],
        "published": {name: {"psnr": p, "ssim": s, "rmse": r} for name, p, s, r in SEAN_ROWS},
    }
