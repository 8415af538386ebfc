"""Photographs: find the face, align it as the model was trained, mask it, and paste an edit back.

numpy + OpenCV, with mediapipe when the ``photos`` extra is installed; the parser path uses torch.
"""

from maskgan_studio.photos.align import FaceTransform, paste_back
from maskgan_studio.photos.automask import MASK_METHODS, auto_mask
from maskgan_studio.photos.detect import Face, NoFaceError, detect_faces
from maskgan_studio.photos.metrics import class_group_iou
from maskgan_studio.photos.pipeline import (
    PreparedPhoto,
    edited_mask_in_crop,
    mask_at_photo_size,
    paste_edit,
    prepare_photo,
)

__all__ = [
    "MASK_METHODS",
    "Face",
    "FaceTransform",
    "NoFaceError",
    "PreparedPhoto",
    "auto_mask",
    "class_group_iou",
    "detect_faces",
    "edited_mask_in_crop",
    "mask_at_photo_size",
    "paste_back",
    "paste_edit",
    "prepare_photo",
]
