"""Open a file with Pillow and decode it completely, turning every failure into one clear error.

Pillow opens lazily: a truncated file only fails when its pixels are decoded. ``decode_file``
forces ``load()`` inside the same ``try`` as ``open()``, so a damaged file is refused here and
never half-decoded later. It does not set ``ImageFile.LOAD_TRUNCATED_IMAGES`` (which would make
Pillow pad truncated data silently); it leaves that flag at Pillow's default.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from maskgan_studio.errors import InputFileError

# What Pillow's decoders raise on damaged data (its PNG plugin raises SyntaxError internally).
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error)


def decode_file(path: str | os.PathLike, error_type: type[InputFileError]) -> Image.Image:
    """The fully decoded image at ``path`` with its EXIF orientation applied (``format`` kept).

    Raises ``error_type(path, problem)`` for a missing, empty, unreadable, unknown or damaged file.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise error_type(path, "is a folder, not a file")
        if path.stat().st_size == 0:
            raise error_type(path, "empty file (0 bytes)")
        with Image.open(path) as image:
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
        return image
    except FileNotFoundError:
        raise error_type(path, "file not found") from None
    except PermissionError:
        raise error_type(path, "cannot read: permission denied") from None
    except UnidentifiedImageError:
        raise error_type(path, "not an image file (unknown or unsupported format)") from None
    except Image.DecompressionBombError as exc:
        raise error_type(path, f"image too large to open safely ({exc})") from None
    except _DECODE_ERRORS as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise error_type(path, f"cannot read: {exc.strerror}") from None
        raise error_type(path, f"damaged or truncated image data ({exc})") from None
