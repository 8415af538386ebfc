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


MIN_MASK_RESOLUTION = 128
"""The smallest crop a mask is made at: below it the small parts (eyes, brows) are a few pixels."""


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
    mask, mask_method_used = _mask(image, crop, transform, mask_method, parser)
    note = "" if mediapipe_models.available() else f" ({mediapipe_models.FALLBACK_NOTE})"
    return PreparedPhoto(crop, mask, transform, f"{found}; mask by {mask_method_used}{note}")


def mask_resolution(transform: FaceTransform) -> int:
    """The crop side to mask at: the face's own scale in the photo (one crop pixel per photo pixel)
    when that is smaller than the crop, so that a small photo is not masked from an upsampled blur."""
    own = round(transform.resolution / transform.scale)
    return int(min(transform.resolution, max(own, MIN_MASK_RESOLUTION)))


def _mask(photo: np.ndarray, crop: np.ndarray, transform: FaceTransform, method: str, parser) -> tuple[np.ndarray, str]:
    size = mask_resolution(transform)
    if size == transform.resolution:
        return auto_mask(crop, method, parser)
    mask, used = auto_mask(warp_to_crop(photo, transform.resized(size)), method, parser)
    grown = cv2.resize(mask, (transform.resolution,) * 2, interpolation=cv2.INTER_NEAREST_EXACT)
    return grown, f"{used} at {size} px, the face's own size"


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


def paste_edit(photo: np.ndarray, source_crop: np.ndarray, edited_crop: np.ndarray, transform: FaceTransform,
               feather: float) -> np.ndarray:
    """The photo with an edit of its aligned crop put back: the one round trip of ``edit`` and the editor.

    Only the crop pixels the edit changed (``edited_crop`` against ``source_crop``) go back, grown by
    ``feather`` crop pixels so that the changed pixels themselves are pasted at full weight and the
    paste fades out around them; everywhere else, the rest of the face included, the photo stays bit
    for bit, and an unchanged crop gives the photo exactly as it was.
    """
    if edited_crop.shape != source_crop.shape:
        raise ValueError(f"the edited crop is {edited_crop.shape}, the source crop {source_crop.shape}")
    changed = np.any(edited_crop != source_crop, axis=2)
    if not changed.any():
        return photo.copy()
    feather = max(int(round(feather)), 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * feather + 1, 2 * feather + 1))
    region = cv2.dilate(changed.astype(np.uint8), kernel).astype(bool)
    return paste_back(photo, edited_crop, transform, region=region, feather=feather)


MAX_TEXTURE_CROP = 1024
"""The largest crop the texture stage works on (a face larger in the photo is still redrawn at
up to twice the 512 crop's resolution)."""


def at_photo_scale(photo: np.ndarray, prepared: PreparedPhoto, edited_mask: np.ndarray,
                   limit: int = MAX_TEXTURE_CROP) -> tuple[PreparedPhoto, np.ndarray]:
    """The crop again at the photo's own resolution when the face is larger in the photo than in
    the crop (up to ``limit`` px): the same framing, the photo's own pixels, and the crop's masks
    enlarged by the nearest pixel, so that the texture stage copies the photo's real grain.
    Returns ``(prepared, edited_mask)`` unchanged when the crop already holds the photo's detail."""
    transform = prepared.transform
    factor = min(limit / transform.resolution, 1.0 / transform.scale)
    size = int(round(transform.resolution * factor))
    if size <= transform.resolution:
        return prepared, edited_mask
    larger = transform.resized(size)

    def enlarge(mask):
        return cv2.resize(mask, (size, size), interpolation=cv2.INTER_NEAREST_EXACT)

    enlarged = PreparedPhoto(warp_to_crop(photo, larger), enlarge(prepared.mask), larger, prepared.description)
    return enlarged, enlarge(edited_mask)


EDIT_CROP = 512
"""The side of the crop a photo is edited at: ``parse``'s default, so that the mask it wrote is
the one an edited mask is compared with. The engine resamples the crop to its resolution."""


def prepare_for_editing(photo: np.ndarray, face_index: int | None = None, model_resolution: int = EDIT_CROP,
                        whole_image: bool = False) -> PreparedPhoto:
    """The crop the editor works on: ``EDIT_CROP`` px (or the model's resolution when that is
    larger), then the photo's own scale when the face is larger in the photo (up to
    ``MAX_TEXTURE_CROP``), so that the texture stage copies the photo's real grain. The model
    draws at its own resolution whatever the crop's."""
    prepared = prepare_photo(photo, face_index=face_index, resolution=max(EDIT_CROP, model_resolution),
                             whole_image=whole_image)
    return at_photo_scale(photo, prepared, prepared.mask)[0]


def disagreement(prepared: PreparedPhoto, photo_mask: np.ndarray) -> float:
    """The share of the face's own (automatic) mask, at the photo's size, that ``photo_mask``
    labels otherwise. An edit of that mask changes a part of it; a mask made for another face
    (another ``--face``) disagrees almost everywhere."""
    own = mask_at_photo_size(prepared.mask, prepared.transform)
    face = own != ID["background"]
    return float((photo_mask[face] != own[face]).mean()) if face.any() else 0.0
