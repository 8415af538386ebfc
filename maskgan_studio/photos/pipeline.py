"""From a full photo to what the model edits, and back: find, align, mask; then paste back."""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.photos import mediapipe_models
from maskgan_studio.photos.align import (
    FaceTransform,
    face_transform,
    paste_back,
    warp_to_crop,
    warp_to_photo,
    whole_image_transform,
)
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


def edited_mask_in_crop(prepared: PreparedPhoto, photo_mask: np.ndarray) -> np.ndarray:
    """An edited mask drawn at the photo's size (an edit of what ``mask_at_photo_size`` gives, as
    ``parse`` writes it), brought into the aligned crop.

    Only the pixels whose class the user changed are mapped through the transform; every other
    crop pixel keeps the crop's own mask exactly. Resampling a whole mask there and back is not
    the identity, and would read as edits along every class border.
    """
    transform = prepared.transform
    if photo_mask.shape != transform.photo_size:
        raise ValueError(f"the mask is {photo_mask.shape}, the photo {transform.photo_size}")
    changed = photo_mask != mask_at_photo_size(prepared.mask, transform)
    crop = prepared.mask.copy()
    if changed.any():
        changed_in_crop = warp_to_crop(changed.astype(np.uint8), transform, nearest=True).astype(bool)
        crop[changed_in_crop] = warp_to_crop(photo_mask, transform, nearest=True)[changed_in_crop]
    return crop


def paste_edit(photo: np.ndarray, prepared: PreparedPhoto, edited_mask: np.ndarray, edited_crop: np.ndarray,
               reach: float, feather: float) -> np.ndarray:
    """The photo with an edited crop pasted back around the edit only.

    ``edited_crop`` differs from ``prepared.image`` at most ``reach`` crop pixels away from the
    pixels where ``edited_mask`` differs from ``prepared.mask`` (the engine's own paste-back keeps
    the rest of the crop). The photo takes the crop there, fading out over ``feather`` more crop
    pixels; everywhere else, the rest of the face included, the photo stays bit for bit.
    """
    changed = edited_mask != prepared.mask
    if not changed.any():
        return photo.copy()
    distance = cv2.distanceTransform((~changed).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    region = distance <= reach + feather
    return paste_back(photo, edited_crop, prepared.transform, region=region, feather=feather)


def disagreement(prepared: PreparedPhoto, photo_mask: np.ndarray) -> float:
    """The share of the face's own (automatic) mask, at the photo's size, that ``photo_mask``
    labels otherwise. An edit of that mask changes a part of it; a mask made for another face
    (another ``--face``) disagrees almost everywhere."""
    own = mask_at_photo_size(prepared.mask, prepared.transform)
    face = own != ID["background"]
    return float((photo_mask[face] != own[face]).mean()) if face.any() else 0.0
