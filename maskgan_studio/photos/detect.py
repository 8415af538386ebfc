"""Find faces in a photo: mediapipe's detector and face mesh when installed, else OpenCV's Haar cascades.

One interface for both: each ``Face`` names the method that found it, its box, both eye centres
and the mouth centre; the mesh points come along when mediapipe found the face.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from maskgan_studio.errors import StudioError
from maskgan_studio.photos import landmarks as lm
from maskgan_studio.photos import mediapipe_models

METHODS = ("auto", "mediapipe", "haar")


@dataclasses.dataclass(frozen=True)
class Face:
    """One face in a photo; coordinates are (x, y) pixels of that photo.

    ``left_eye`` is the person's left eye, on the image's right.
    """

    box: np.ndarray
    left_eye: np.ndarray
    right_eye: np.ndarray
    mouth: np.ndarray
    method: str
    score: float = 1.0
    mesh: np.ndarray | None = None

    @property
    def area(self) -> float:
        return float((self.box[2] - self.box[0]) * (self.box[3] - self.box[1]))


class NoFaceError(StudioError):
    """No face was found, or the face asked for does not exist."""


def detect_faces(image: np.ndarray, method: str = "auto") -> list[Face]:
    """All faces in ``image`` (uint8 RGB), largest first.

    ``auto`` uses mediapipe when it is installed and the Haar cascades otherwise.
    """
    if method not in METHODS:
        raise ValueError(f"unknown detection method {method!r}; choose from {', '.join(METHODS)}")
    if method == "mediapipe" or (method == "auto" and mediapipe_models.available()):
        if not mediapipe_models.available():
            raise StudioError(mediapipe_models.MISSING)
        faces = _mediapipe_faces(image)
    else:
        faces = _haar_faces(image)
    return sorted(faces, key=lambda face: -face.area)


def _face_from_mesh(mesh: np.ndarray, method: str, score: float) -> Face:
    corners = mesh[list(lm.MOUTH_CORNERS)]
    middle = mesh[list(lm.LIP_MIDDLE)]
    box = np.concatenate([mesh.min(axis=0), mesh.max(axis=0)])
    return Face(box=box, left_eye=mesh[lm.LEFT_IRIS_CENTRE], right_eye=mesh[lm.RIGHT_IRIS_CENTRE],
                mouth=(corners.mean(axis=0) + middle.mean(axis=0)) / 2, method=method, score=score, mesh=mesh)


def _mediapipe_faces(image: np.ndarray) -> list[Face]:
    """The detector finds the faces; the mesh then runs on a generous square around each one."""
    height, width = image.shape[:2]
    faces = []
    for box, score in mediapipe_models.detect_boxes(image):
        centre = (box[:2] + box[2:]) / 2
        half = 1.1 * max(box[2] - box[0], box[3] - box[1])
        x0, y0 = np.floor(np.maximum(centre - half, 0)).astype(int)
        x1, y1 = np.ceil(np.minimum(centre + half, (width, height))).astype(int)
        if x1 - x0 < 8 or y1 - y0 < 8:
            continue
        mesh = mediapipe_models.mesh_points(image[y0:y1, x0:x1])
        if mesh is not None:
            faces.append(_face_from_mesh(mesh + (x0, y0), "mediapipe", score))
    if not faces:  # the detector misses faces that fill the frame; the mesh alone finds them
        mesh = mediapipe_models.mesh_points(image)
        if mesh is not None:
            faces.append(_face_from_mesh(mesh, "mediapipe", 1.0))
    return faces


def _cascade(name: str) -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():
        raise StudioError(f"OpenCV's Haar cascade {name} is missing from {cv2.data.haarcascades}")
    return classifier


def _haar_faces(image: np.ndarray) -> list[Face]:
    grey = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY))
    min_side = max(24, min(grey.shape) // 12)
    boxes = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        grey, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side))
    eyes = _cascade("haarcascade_eye.xml")
    return [_haar_face(grey, eyes, *map(int, box)) for box in boxes]


def _haar_face(grey: np.ndarray, eye_cascade: cv2.CascadeClassifier, x: int, y: int, w: int, h: int) -> Face:
    """Eyes from the eye cascade in the upper half of the box when it finds one per side; else
    where they sit in an average Haar face box."""
    upper = grey[y : y + h // 2 + h // 10, x : x + w]
    found = eye_cascade.detectMultiScale(upper, scaleFactor=1.1, minNeighbors=4, minSize=(w // 10, w // 10))
    centres = np.array([(ex + ew / 2 + x, ey + eh / 2 + y) for ex, ey, ew, eh in found]).reshape(-1, 2)
    right_default = np.array([x + 0.31 * w, y + 0.40 * h])
    left_default = np.array([x + 0.69 * w, y + 0.40 * h])
    right_eye = _closest_within(centres[centres[:, 0] < x + w / 2], right_default, 0.15 * w)
    left_eye = _closest_within(centres[centres[:, 0] >= x + w / 2], left_default, 0.15 * w)
    eye_mid = (right_eye + left_eye) / 2
    eye_axis = left_eye - right_eye
    mouth = eye_mid + np.array([-eye_axis[1], eye_axis[0]]) * (0.40 * h / max(np.hypot(*eye_axis), 1.0))
    return Face(box=np.array([x, y, x + w, y + h], dtype=np.float64), left_eye=left_eye,
                right_eye=right_eye, mouth=mouth, method="haar")


def _closest_within(candidates: np.ndarray, default: np.ndarray, radius: float) -> np.ndarray:
    if len(candidates):
        distances = np.hypot(*(candidates - default).T)
        best = int(np.argmin(distances))
        if distances[best] <= radius:
            return candidates[best]
    return default
