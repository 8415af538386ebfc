"""Label masks in and out as uint8 (H, W) arrays of class ids (the table in ``labels``).

Read forms (anything else is refused with the file name and what was found):
- paletted PNG: the index is the id, whatever the palette (ours, a grey ramp, any other);
- greyscale (8-bit, or 16-bit with values <= 18): the value is the id;
- RGB with R = G = B = id (the published MaskGAN samples);
- colour images in exactly the palette colours (``labels.PALETTE``);
- an alpha channel is accepted only when fully opaque.
JPEG is refused: its compression changes values at every edge, so ids cannot survive it.

Written as an 8-bit paletted PNG whose palette is the class table: ids stay ids, and any viewer
shows the class colours.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from maskgan_studio.errors import InputFileError
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.io.decode import decode_file
from maskgan_studio.labels import MAX_ID, PALETTE

_SHOWN = 5  # how many offending values or colours a message lists
MASK_SUFFIXES = ("_mask", ".mask", "-mask", "_label", "_labels", "_seg")
"""What a face's mask may be called beside it: ``face.png`` -> ``face_mask.png`` and the like."""


def find_mask_beside(image_path: str | os.PathLike) -> Path | None:
    """``face.png`` -> ``face_mask.png`` (or ``.mask``, ``-mask``, ``_label``…), when one exists."""
    image_path = Path(image_path)
    for suffix in MASK_SUFFIXES:
        candidate = image_path.with_name(image_path.stem + suffix + ".png")
        if candidate.is_file():
            return candidate
    return None


def _colour_keys(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


_SORTED_PALETTE_IDS = np.argsort(_colour_keys(PALETTE)).astype(np.uint8)
_SORTED_PALETTE_KEYS = _colour_keys(PALETTE)[_SORTED_PALETTE_IDS]


class MaskFileError(InputFileError):
    """A mask file that cannot be read as class ids."""


def read_mask(path: str | os.PathLike) -> np.ndarray:
    """The mask at ``path`` as uint8 (H, W) class ids; raises MaskFileError naming the problem."""
    image = decode_file(path, MaskFileError)
    if image.format == "JPEG":
        raise MaskFileError(path, "JPEG cannot hold a mask (lossy compression alters ids); use PNG")
    if image.mode in ("RGBA", "LA", "PA"):
        _require_opaque(path, np.asarray(image.getchannel("A")))
        image = image.convert(image.mode[:-1])  # drop the opaque alpha
    if image.mode in ("P", "L", "1") or image.mode.startswith("I"):
        values = np.asarray(image.convert("L") if image.mode == "1" else image)
        return _ids_from_values(path, values, "palette indices" if image.mode == "P" else "values")
    if image.mode == "RGB":
        rgb = np.asarray(image)
        if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 0], rgb[..., 2]):
            return _ids_from_values(path, rgb[..., 0], "grey values")
        return _ids_from_colours(path, rgb)
    raise MaskFileError(path, f"a {image.mode} image is not a mask (expected ids or class colours)")


def _require_opaque(path: str | os.PathLike, alpha: np.ndarray) -> None:
    transparent = int(np.count_nonzero(alpha != 255))
    if transparent:
        problem = f"{transparent} pixels are (partly) transparent; a mask must be opaque"
        raise MaskFileError(path, problem)


def _ids_from_values(path: str | os.PathLike, values: np.ndarray, what: str) -> np.ndarray:
    found, counts = np.unique(values, return_counts=True)
    bad = (found < 0) | (found > MAX_ID)
    if bad.any():
        shown = zip(found[bad][:_SHOWN], counts[bad][:_SHOWN])
        listed = ", ".join(f"{value} ({count} px)" for value, count in shown)
        more = f" and {int(bad.sum()) - _SHOWN} more" if bad.sum() > _SHOWN else ""
        raise MaskFileError(path, f"class ids must be 0..{MAX_ID}; found {what} {listed}{more}")
    return values.astype(np.uint8)


def _ids_from_colours(path: str | os.PathLike, rgb: np.ndarray) -> np.ndarray:
    found, inverse, counts = np.unique(_colour_keys(rgb), return_inverse=True, return_counts=True)
    slot = np.clip(np.searchsorted(_SORTED_PALETTE_KEYS, found), 0, len(_SORTED_PALETTE_KEYS) - 1)
    known = _SORTED_PALETTE_KEYS[slot] == found
    if not known.all():
        unknown = np.flatnonzero(~known)
        worst = unknown[np.argsort(-counts[unknown], kind="stable")][:_SHOWN]
        listed = ", ".join(f"{_rgb_text(found[i])} ({counts[i]} px)" for i in worst)
        more = f" and {len(unknown) - _SHOWN} more" if len(unknown) > _SHOWN else ""
        raise MaskFileError(path, f"{len(unknown)} colours are not class colours: {listed}{more}")
    ids_of_found = _SORTED_PALETTE_IDS[slot]
    return ids_of_found[inverse.reshape(rgb.shape[:2])]


def _rgb_text(key: int) -> str:
    return f"RGB({key >> 16 & 255}, {key >> 8 & 255}, {key & 255})"


def check_mask_name(path: str | os.PathLike) -> None:
    """Masks are PNG: a lossy or other format would blur the class ids, so another extension is
    refused by name (InputFileError) rather than written as PNG bytes under a misleading name."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix != ".png":
        raise InputFileError(path, f"masks are written as PNG (exact class ids), not '{suffix or 'no extension'}': "
                                   "use a .png name")


def write_mask(path: str | os.PathLike, mask: np.ndarray) -> None:
    """Write (H, W) class ids atomically as a paletted PNG with the class table as palette.

    A name that does not end in .png is refused (``check_mask_name``); a mask that is not 2-D
    integers in 0..18 raises ValueError (a caller bug, not a file problem).
    """
    check_mask_name(path)
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f"write_mask needs a 2-D (H, W) array of ids, got shape {mask.shape}")
    if not (np.issubdtype(mask.dtype, np.integer) or mask.dtype == bool):
        raise ValueError(f"write_mask needs integer class ids, got {mask.dtype}")
    if mask.size and (mask.min() < 0 or mask.max() > MAX_ID):
        bad = np.unique(mask[(mask < 0) | (mask > MAX_ID)])[:_SHOWN].tolist()
        raise ValueError(f"write_mask: class ids must be 0..{MAX_ID}, got {bad}")
    height, width = mask.shape
    image = Image.frombytes("P", (width, height), mask.astype(np.uint8).tobytes())
    image.putpalette(PALETTE.tobytes())
    with atomic_write(path) as handle:
        image.save(handle, format="PNG")
