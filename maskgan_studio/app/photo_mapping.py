"""Between a full photograph and the aligned face crop the editor works on.

``edited_photo`` puts an edit back into the photo: only the pixels the edit changed go back
(grown by the feather radius, so the changed pixels themselves are pasted at full weight);
everything else in the photo stays bit-identical, and an unedited face exports the photo
exactly as it was. ``mask_in_crop`` brings a mask of the whole photo (as ``parse`` writes it)
into the crop.
"""

from __future__ import annotations

import cv2
import numpy as np

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.photos import FaceTransform, PreparedPhoto, edited_mask_in_crop, paste_back


def _transform(document: MaskDocument) -> FaceTransform:
    frame = document.photo
    if frame is None:
        raise ValueError("this document was not cut from a photo")
    return FaceTransform(frame.matrix.copy(), document.shape[0], frame.photo_size, frame.method)


def edited_photo(document: MaskDocument, result: np.ndarray) -> np.ndarray:
    """``result`` (the edited crop, at the document's size) pasted into ``document.photo``."""
    transform = _transform(document)
    photo = document.photo.photo
    changed = np.any(result != document.source_image, axis=2)
    if not changed.any():
        return photo.copy()
    feather = max(int(document.settings.feather), 2)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * feather + 1, 2 * feather + 1))
    region = cv2.dilate(changed.astype(np.uint8), kernel).astype(bool)
    return paste_back(photo, result, transform, region=region, feather=feather)


def mask_in_crop(document: MaskDocument, mask: np.ndarray) -> np.ndarray:
    """A label map of the whole photo in the document's crop: where it differs from the source
    mask placed on the photo, its labels are mapped in; elsewhere the source mask stays exact."""
    prepared = PreparedPhoto(document.source_image, document.source_mask, _transform(document), "")
    return edited_mask_in_crop(prepared, mask)
