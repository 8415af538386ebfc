"""Align a face as the model was trained, and put an edited crop back into the full photo.

The similarity transform puts the eyes and mouth where CelebA-HQ crops have them (DESIGN.md's
layout: eyes at y 0.48, x 0.37 and 0.62). The mouth point (between the corners and the lip
middle) sits a little above the lips' centroid, hence y 0.73 rather than the lips' 0.745.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from maskgan_studio.photos.detect import Face

# (x, y) as fractions of the crop: person's right eye (image left), left eye, mouth.
CROP_LAYOUT = np.array([(0.37, 0.48), (0.62, 0.48), (0.495, 0.73)])


@dataclasses.dataclass(frozen=True)
class FaceTransform:
    """``matrix`` (2, 3) maps photo pixels to crop pixels; the crop is ``resolution`` square."""

    matrix: np.ndarray
    resolution: int
    photo_size: tuple[int, int]  # (height, width)
    method: str

    @property
    def inverse(self) -> np.ndarray:
        return cv2.invertAffineTransform(self.matrix)

    @property
    def scale(self) -> float:
        """Crop pixels per photo pixel."""
        return float(np.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))

    def resized(self, resolution: int) -> FaceTransform:
        """The same framing for a crop of another side, pixel centres kept aligned."""
        factor = resolution / self.resolution
        matrix = self.matrix * factor
        matrix[:, 2] += (factor - 1) / 2
        return FaceTransform(matrix, resolution, self.photo_size, self.method)


def face_transform(face: Face, photo_size: tuple[int, int], resolution: int) -> FaceTransform:
    source = np.stack([face.right_eye, face.left_eye, face.mouth])
    matrix = similarity_matrix(source, CROP_LAYOUT * resolution)
    return FaceTransform(matrix, resolution, tuple(photo_size), face.method)


def similarity_matrix(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The (2, 3) rotation + uniform scale + shift that maps ``source`` points onto ``target``
    with the least squared error."""
    x, y = source[:, 0], source[:, 1]
    ones, zeros = np.ones_like(x), np.zeros_like(x)
    # unknowns a, b, tx, ty of [[a, -b, tx], [b, a, ty]]
    system = np.concatenate([np.stack([x, -y, ones, zeros], 1), np.stack([y, x, zeros, ones], 1)])
    a, b, tx, ty = np.linalg.lstsq(system, np.concatenate([target[:, 0], target[:, 1]]), rcond=None)[0]
    return np.array([[a, -b, tx], [b, a, ty]])


def whole_image_transform(photo_size: tuple[int, int], resolution: int) -> FaceTransform:
    """The whole photo, centred and scaled to fit the square crop (for photos without a face)."""
    height, width = photo_size
    scale = resolution / max(height, width)
    matrix = np.array([[scale, 0.0, (resolution - scale * width) / 2],
                       [0.0, scale, (resolution - scale * height) / 2]])
    return FaceTransform(matrix, resolution, tuple(photo_size), "whole image")


def warp_to_crop(image: np.ndarray, transform: FaceTransform, nearest: bool = False) -> np.ndarray:
    """Resample ``image`` (the photo, or a photo-sized mask) into the aligned crop.

    Shrinking uses area averaging (a pre-blur) so a big photo does not alias.
    """
    size = (transform.resolution, transform.resolution)
    if nearest:
        return cv2.warpAffine(image, transform.matrix, size, flags=cv2.INTER_NEAREST,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    if transform.scale < 0.75:
        sigma = 0.5 / transform.scale
        image = cv2.GaussianBlur(image, (0, 0), sigmaX=sigma)
    return cv2.warpAffine(image, transform.matrix, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)


def warp_to_photo(crop: np.ndarray, transform: FaceTransform, nearest: bool = False) -> np.ndarray:
    """Resample a crop-sized array back onto the photo's pixel grid (zero outside the crop)."""
    height, width = transform.photo_size
    flags = cv2.INTER_NEAREST if nearest else cv2.INTER_LINEAR
    return cv2.warpAffine(crop, transform.inverse, (width, height), flags=flags,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def seam_alpha(region: np.ndarray, feather: float) -> np.ndarray:
    """float32 weights in [0, 1]: 1 deep inside ``region``, falling to 0 at its edge over ``feather`` px."""
    inside = np.pad(region.astype(np.uint8), 1)  # the crop's own border is an edge too
    distance = cv2.distanceTransform(inside, cv2.DIST_L2, 5)[1:-1, 1:-1]
    return np.clip(distance / max(feather, 1e-6), 0.0, 1.0).astype(np.float32)


def paste_back(photo: np.ndarray, edited_crop: np.ndarray, transform: FaceTransform,
               region: np.ndarray | None = None, feather: float | None = None,
               colour_match: bool = True) -> np.ndarray:
    """The photo with ``edited_crop`` warped back into it.

    ``region`` (crop-sized, bool) limits the change, e.g. to the classes that were edited; by
    default the whole crop. The seam is feathered inside the region (``feather`` crop pixels,
    default 1/16 of the crop), and pixels the region does not reach stay bit-identical. With
    ``colour_match``, the crop's colours are shifted so that they agree with the photo along the
    seam, where the edit is not meant to change anything.
    """
    size = transform.resolution
    if edited_crop.shape[:2] != (size, size):
        raise ValueError(f"the edited crop is {edited_crop.shape[:2]}, the transform expects {size}x{size}")
    region = np.ones((size, size), bool) if region is None else region.astype(bool)
    alpha_crop = seam_alpha(region, size / 16 if feather is None else feather)
    edited = edited_crop.astype(np.float32)
    if colour_match:
        edited = _match_along_seam(photo, edited, alpha_crop, transform)
    alpha = warp_to_photo(alpha_crop, transform)[..., None]
    edited_photo = warp_to_photo(edited, transform)
    blended = photo.astype(np.float32) * (1 - alpha) + edited_photo * alpha
    result = np.clip(np.rint(blended), 0, 255).astype(np.uint8)
    return np.where(alpha > 0, result, photo)


def _match_along_seam(photo: np.ndarray, edited: np.ndarray, alpha: np.ndarray,
                      transform: FaceTransform) -> np.ndarray:
    band = (alpha > 0) & (alpha < 1)
    if band.sum() < 16:
        return edited
    original = warp_to_crop(photo, transform).astype(np.float32)
    offset = np.median(original[band] - edited[band], axis=0)
    return np.clip(edited + offset, 0, 255)
