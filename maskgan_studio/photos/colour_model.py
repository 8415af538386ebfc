"""A Gaussian colour model in CIELAB: how much a pixel looks like a sample of skin, hair or cloth."""

from __future__ import annotations

import cv2
import numpy as np

MIN_SAMPLES = 30


def to_lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)


class ColourModel:
    """One full-covariance Gaussian fitted to sample pixels (N, 3) in Lab.

    ``extra_variance`` (per channel) widens it beyond the sample: lightness for skin that may lie
    in shadow, for instance.
    """

    def __init__(self, samples: np.ndarray, regularisation: float = 4.0, extra_variance=(0.0, 0.0, 0.0)):
        samples = samples.reshape(-1, 3).astype(np.float64)
        self.mean = samples.mean(axis=0)
        covariance = np.cov(samples.T) + np.eye(3) * regularisation + np.diag(extra_variance)
        self._inverse = np.linalg.inv(covariance)
        self._log_norm = -0.5 * np.log(np.linalg.det(covariance))

    def log_likelihood(self, lab: np.ndarray) -> np.ndarray:
        delta = lab - self.mean
        return (-0.5 * np.einsum("...i,ij,...j->...", delta, self._inverse, delta) + self._log_norm).astype(np.float32)


def fit(lab: np.ndarray, where: np.ndarray) -> ColourModel | None:
    """A model of the pixels ``where`` is true, or None when there are too few of them."""
    return ColourModel(lab[where]) if np.count_nonzero(where) >= MIN_SAMPLES else None
