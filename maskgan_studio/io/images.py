"""Photos in and out as uint8 (H, W, 3) RGB arrays.

Reading accepts whatever Pillow opens, with the EXIF orientation applied, and converts it to
8-bit RGB:
- greyscale and bilevel are repeated into three channels;
- alpha (RGBA, LA, a transparent palette entry) is composited over black, so a fully
  transparent pixel reads as black whatever colour it hides;
- 16-bit greyscale (Pillow modes ``I;16*``, and ``I``, taken as 0..65535) is scaled to 0..255
  with rounding, not clipped; 32-bit float (``F``) is clipped to 0..255 as Pillow does;
- CMYK and YCbCr go through Pillow's conversion (no ICC colour management).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from maskgan_studio.errors import InputFileError
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.io.decode import decode_file

WRITE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}

_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


class ImageFileError(InputFileError):
    """An image file that cannot be read or written."""


def read_image(path: str | os.PathLike) -> np.ndarray:
    """The image at ``path`` as uint8 (H, W, 3) RGB; raises ImageFileError naming the problem."""
    image = decode_file(path, ImageFileError)
    try:
        return _to_rgb8(image)
    except ValueError as exc:
        raise ImageFileError(path, f"cannot convert a {image.mode} image to RGB ({exc})") from None


def _to_rgb8(image: Image.Image) -> np.ndarray:
    if image.mode.startswith("I"):
        wide = np.clip(np.asarray(image).astype(np.int64), 0, 65535)
        return _grey_to_rgb(((wide * 255 + 32767) // 65535).astype(np.uint8))
    if image.mode == "F":
        return _grey_to_rgb(np.clip(np.rint(np.asarray(image)), 0, 255).astype(np.uint8))
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        rgba = np.asarray(image.convert("RGBA")).astype(np.uint16)
        over_black = (rgba[..., :3] * rgba[..., 3:] + 127) // 255
        return over_black.astype(np.uint8)
    return np.asarray(image.convert("RGB")).copy()


def _grey_to_rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[..., None], 3, axis=2)


def write_image(path: str | os.PathLike, rgb: np.ndarray, quality: int = 95) -> None:
    """Write uint8 (H, W, 3) RGB atomically; the format follows the extension (.png/.jpg/.webp).

    ``quality`` applies to JPEG and WebP. An unknown extension raises ImageFileError before
    anything is written; an array of the wrong shape or type raises ValueError (a caller bug).
    """
    path = Path(path)
    image_format = WRITE_FORMATS.get(path.suffix.lower())
    if image_format is None:
        known = ", ".join(WRITE_FORMATS)
        raise ImageFileError(path, f"cannot write '{path.suffix}' images: use one of {known}")
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"write_image needs uint8 (H, W, 3), got {rgb.dtype} {rgb.shape}")
    options = {} if image_format == "PNG" else {"quality": quality}
    with atomic_write(path) as handle:
        Image.fromarray(np.ascontiguousarray(rgb)).save(handle, format=image_format, **options)
