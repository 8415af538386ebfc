"""Files: images, label masks and the CelebAMask-HQ per-part merge (numpy and Pillow only)."""

from maskgan_studio.io.atomic import atomic_write, check_writable
from maskgan_studio.io.celebamask import merge_parts
from maskgan_studio.io.images import ImageFileError, read_image, write_image
from maskgan_studio.io.masks import MaskFileError, read_mask, write_mask

__all__ = [
    "ImageFileError",
    "MaskFileError",
    "atomic_write",
    "check_writable",
    "merge_parts",
    "read_image",
    "read_mask",
    "write_image",
    "write_mask",
]
