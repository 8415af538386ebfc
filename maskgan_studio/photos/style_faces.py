"""A style face (style per region) from a file, the same for ``edit --style-ref`` and the editor.

With its mask (given, or lying beside it as ``face_mask.png``) the picture is the face as it is;
without one it is a photo whose largest face is found, aligned (a 512 px crop) and masked as
``edit`` does with photos.
"""

from __future__ import annotations

from pathlib import Path

from maskgan_studio.core.style_gallery import StyleFace
from maskgan_studio.errors import InputFileError
from maskgan_studio.io import read_image, read_mask
from maskgan_studio.io.masks import find_mask_beside
from maskgan_studio.photos.detect import NoFaceError
from maskgan_studio.photos.pipeline import EDIT_CROP, prepare_photo


def face_name(path: Path) -> str:
    return path.stem.replace("_", " ")


def read_style_face(path: str | Path, mask_path: str | Path | None = None, parser=None) -> StyleFace:
    """InputFileError naming the file for an unreadable picture or mask, a mask of another size,
    or a photo without a face."""
    path = Path(path)
    image = read_image(path)
    mask_path = mask_path or find_mask_beside(path)
    if mask_path is not None:
        mask = read_mask(mask_path)
        if mask.shape != image.shape[:2]:
            raise InputFileError(mask_path, f"mask is {mask.shape[1]}x{mask.shape[0]} but {path.name} is "
                                            f"{image.shape[1]}x{image.shape[0]}")
        return StyleFace.of(image, mask, face_name(path))
    try:
        prepared = prepare_photo(image, resolution=EDIT_CROP, parser=parser)
    except NoFaceError:
        raise InputFileError(path, f"no face found in this style face (a mask beside it, {path.stem}_mask.png, "
                                   "makes the whole picture the face)") from None
    return StyleFace.of(prepared.image, prepared.mask, face_name(path))
