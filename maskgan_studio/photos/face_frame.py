"""Coordinates attached to the face, so that rules about where hair, neck and clothes lie hold
whatever the face's size, position and roll.

``u`` runs along the eye line (image left to right), 0 on the face's centre line and +-1 at the
jaw's corners; ``v`` runs down, perpendicular to it, 0 at the chin and -1 at the top of the face
oval (the mesh's forehead point), so one unit of ``v`` is the face's height.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from maskgan_studio.photos import landmarks as lm

FOREHEAD = 10
CHIN = 152
JAW_CORNERS = (172, 397)  # the person's right (image left), then left
EAR_LEVEL = (234, 454)  # the face oval's widest points, beside the eyes


@dataclasses.dataclass(frozen=True)
class FaceFrame:
    origin: np.ndarray  # (x, y) of the chin projected onto the centre line
    across: np.ndarray  # unit vector along the eye line
    down: np.ndarray  # unit vector from forehead towards chin
    half_jaw: float  # pixels
    height: float  # pixels

    @classmethod
    def from_mesh(cls, mesh: np.ndarray) -> FaceFrame:
        left_eye = mesh[list(lm.LEFT_EYE)].mean(axis=0)
        right_eye = mesh[list(lm.RIGHT_EYE)].mean(axis=0)
        across = (left_eye - right_eye) / max(np.linalg.norm(left_eye - right_eye), 1e-6)
        down = np.array([-across[1], across[0]])
        corners = mesh[list(JAW_CORNERS)]
        half_jaw = max(abs(float((corners[1] - corners[0]) @ across)) / 2, 1.0)
        height = max(float((mesh[CHIN] - mesh[FOREHEAD]) @ down), 1.0)
        centre = corners.mean(axis=0)
        origin = centre + down * float((mesh[CHIN] - centre) @ down)  # under the jaw's middle, level with the chin
        return cls(origin=origin, across=across, down=down, half_jaw=half_jaw, height=height)

    def coordinates(self, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(u, v) for every pixel of an image of ``shape`` (float32 arrays)."""
        ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
        dx, dy = xs - self.origin[0], ys - self.origin[1]
        u = (dx * self.across[0] + dy * self.across[1]) / self.half_jaw
        v = (dx * self.down[0] + dy * self.down[1]) / self.height
        return u.astype(np.float32), v.astype(np.float32)

    def v_of(self, points: np.ndarray) -> np.ndarray:
        """``v`` of mesh points (N, 2)."""
        return (points - self.origin) @ self.down / self.height
