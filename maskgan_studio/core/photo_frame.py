"""The full photo a face crop was cut from, and where: so an edit can go back into the photo.

A document opened from a photograph edits the aligned face crop; its ``PhotoFrame`` keeps the
whole photo and the (2, 3) similarity matrix that maps photo pixels to crop pixels (what
``photos.FaceTransform.matrix`` holds). The arrays are read-only, so documents, undo history and
autosave snapshots can share one frame without copying a large photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maskgan_studio.core.arrays import check_image
from maskgan_studio.errors import StudioError


@dataclass(frozen=True, eq=False)
class PhotoFrame:
    photo: np.ndarray   # uint8 (H, W, 3): the full photo, as opened
    matrix: np.ndarray  # float64 (2, 3): photo pixels -> crop pixels
    method: str = ""    # how the face was found ("mediapipe", "haar", "whole image")

    def __post_init__(self):
        photo = check_image(np.array(self.photo, copy=True), "photo")
        matrix = np.array(self.matrix, dtype=np.float64)
        if matrix.shape != (2, 3) or not np.isfinite(matrix).all():
            raise StudioError(f"the photo's transform must be a finite 2x3 matrix, got {matrix.shape}")
        if abs(np.linalg.det(matrix[:, :2])) < 1e-12:
            raise StudioError("the photo's transform is not invertible")
        if not isinstance(self.method, str):
            raise StudioError("the photo's detection method must be text")
        photo.flags.writeable = False
        matrix.flags.writeable = False
        object.__setattr__(self, "photo", photo)
        object.__setattr__(self, "matrix", matrix)

    @property
    def photo_size(self) -> tuple[int, int]:
        """(height, width) of the full photo."""
        return self.photo.shape[:2]

    def to_dict(self) -> dict:
        """The transform as JSON-ready values (the photo itself is stored as an image)."""
        return {"matrix": self.matrix.tolist(), "method": self.method}

    @classmethod
    def from_dict(cls, data: dict, photo: np.ndarray) -> PhotoFrame:
        """Raises ``StudioError`` when ``data`` does not describe a usable transform."""
        if not isinstance(data, dict) or "matrix" not in data:
            raise StudioError("the photo's transform is missing")
        try:
            matrix = np.array(data["matrix"], dtype=np.float64)
        except (TypeError, ValueError):
            raise StudioError("the photo's transform is not a matrix of numbers") from None
        return cls(photo, matrix, data.get("method", ""))
