"""From a full photo to what the model edits, and back: find, align, mask; then paste back."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.photos import mediapipe_models
from maskgan_studio.photos.align import FaceTransform, face_transform, warp_to_crop, warp_to_photo, whole_image_transform
from maskgan_studio.photos.automask import auto_mask
from maskgan_studio.photos.detect import NoFaceError, detect_faces


class PreparedPhoto(NamedTuple):
    image: np.ndarray  # uint8 (R, R, 3): the aligned crop
    mask: np.ndarray  # uint8 (R, R): its class ids
    transform: FaceTransform  # photo -> crop; ``transform.method`` names the detector
    description: str  # one line for the user: which face, found how, masked how


def prepare_photo(image: np.ndarray, face_index: int | None = None, resolution: int = 512,
                  mask_method: str = "auto", parser=None, whole_image: bool = False) -> PreparedPhoto:
    """Find the face (the largest one unless ``face_index`` says which), align it, mask it.

    Raises NoFaceError (a StudioError) when there is no face, or no face ``face_index``;
    ``whole_image=True`` skips detection and uses the whole picture, fitted into the crop.
    """
    if whole_image:
        transform = whole_image_transform(image.shape[:2], resolution)
        found = "the whole image"
    else:
        faces = detect_faces(image)
        detector = "mediapipe" if mediapipe_models.available() else "Haar cascades"
        if not faces:
            raise NoFaceError(f"no face found (searched with {detector}); "
                              "use the whole image instead (--whole-image on the command line)")
        index = 0 if face_index is None else face_index
        if not 0 <= index < len(faces):
            raise NoFaceError(f"there is no face {index}: found {len(faces)} (indices 0 to {len(faces) - 1})")
        transform = face_transform(faces[index], image.shape[:2], resolution)
        found = f"face {index} of {len(faces)}, found by {faces[index].method}"
    crop = warp_to_crop(image, transform)
    mask, mask_method_used = auto_mask(crop, mask_method, parser)
    note = "" if mediapipe_models.available() else f" ({mediapipe_models.FALLBACK_NOTE})"
    return PreparedPhoto(crop, mask, transform, f"{found}; mask by {mask_method_used}{note}")


def mask_at_photo_size(mask: np.ndarray, transform: FaceTransform) -> np.ndarray:
    """The crop's mask on the photo's pixel grid; background wherever the crop does not reach."""
    placed = warp_to_photo(mask, transform, nearest=True)
    inside = warp_to_photo(np.ones_like(mask), transform, nearest=True).astype(bool)
    return np.where(inside, placed, ID["background"]).astype(np.uint8)
