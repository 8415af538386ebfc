"""Between a full photograph and the aligned face crop the editor works on.

``edited_photo`` puts an edit back into the photo by ``photos.paste_edit``, the rule the
``edit`` command uses too. ``mask_in_crop`` brings a mask of the whole photo (as ``parse`` writes it)
into the crop.
"""

from __future__ import annotations

import numpy as np

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.photos import FaceTransform, PreparedPhoto, edited_mask_in_crop, paste_edit


def _transform(document: MaskDocument) -> FaceTransform:
    frame = document.photo
    if frame is None:
        raise ValueError("this document was not cut from a photo")
    return FaceTransform(frame.matrix.copy(), document.shape[0], frame.photo_size, frame.method)


def edited_photo(document: MaskDocument, result: np.ndarray) -> np.ndarray:
    """``result`` (the edited crop, at the document's size) pasted into ``document.photo``."""
    return paste_edit(document.photo.photo, document.source_image, result, _transform(document),
                      document.settings.feather)


def mask_in_crop(document: MaskDocument, mask: np.ndarray) -> np.ndarray:
    """A label map of the whole photo in the document's crop: where it differs from the source
    mask placed on the photo, its labels are mapped in; elsewhere the source mask stays exact."""
    prepared = PreparedPhoto(document.source_image, document.source_mask, _transform(document), "")
    return edited_mask_in_crop(prepared, mask)
