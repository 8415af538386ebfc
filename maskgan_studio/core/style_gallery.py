"""The gallery of style faces: the faces a region can take its style from (style per region).

Each ``StyleFace`` is a face and its mask, named by ``style_map.reference_key`` of its pixels, so
adding the same face twice gives one entry. The gallery holds the built-in faces
(``assets/style_faces``) and every face the user opens as a style face; the document's
``StyleMap`` says which classes take their style from which of them. Events on
``gallery.events``:

- ``faces()``: a face was added.

Faces are any size (the engine encodes each at the model's resolution); their arrays are
read-only, so a snapshot for the worker or a project file shares them without copying.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maskgan_studio.core.arrays import check_image, check_mask
from maskgan_studio.core.events import EventGroup
from maskgan_studio.core.style_map import StyleMap, reference_key
from maskgan_studio.errors import StudioError
from maskgan_studio.io import read_image, read_mask


@dataclass(frozen=True, eq=False)
class StyleFace:
    """One face of the gallery; ``key`` is ``reference_key(image, mask)``."""

    key: str
    name: str
    image: np.ndarray
    mask: np.ndarray
    builtin: bool = False

    @classmethod
    def of(cls, image: np.ndarray, mask: np.ndarray, name: str, builtin: bool = False) -> StyleFace:
        """A checked face (uint8 RGB and a class-id mask of the same size), its arrays made read-only."""
        mask = check_mask(mask, what=f"style face {name!r} mask")
        image = check_image(image, f"style face {name!r}")
        if image.shape[:2] != mask.shape:
            raise StudioError(f"style face {name!r} is {image.shape[1]}x{image.shape[0]} but its mask is "
                              f"{mask.shape[1]}x{mask.shape[0]}: they must have the same shape")
        image, mask = np.array(image), np.array(mask)
        image.flags.writeable = mask.flags.writeable = False
        return cls(reference_key(image, mask), name, image, mask, builtin)


class StyleGallery:
    """The style faces by key, in the order they were added."""

    def __init__(self):
        self.events = EventGroup("faces")
        self._faces: dict[str, StyleFace] = {}

    def __len__(self) -> int:
        return len(self._faces)

    def __contains__(self, key: object) -> bool:
        return key in self._faces

    def __getitem__(self, key: str) -> StyleFace:
        return self._faces[key]

    @property
    def faces(self) -> tuple[StyleFace, ...]:
        return tuple(self._faces.values())

    def add(self, face: StyleFace) -> StyleFace:
        """Add ``face`` (a face already here stays as it is); returns the gallery's entry."""
        if face.key in self._faces:
            return self._faces[face.key]
        self._faces[face.key] = face
        self.events.faces.emit()
        return face

    def add_all(self, faces: Iterable[StyleFace]) -> None:
        for face in faces:
            self.add(face)

    def in_use(self, style_map: StyleMap) -> tuple[StyleFace, ...]:
        """The faces ``style_map`` names, in its order; StudioError naming a key the gallery lacks."""
        missing = [key for key in style_map.keys if key not in self._faces]
        if missing:
            raise StudioError(f"style map names faces that are not in the gallery: {', '.join(missing)}")
        return tuple(self._faces[key] for key in style_map.keys)


def read_style_faces(folder: Path, builtin: bool = False) -> list[StyleFace]:
    """Every ``NAME.png`` / ``.jpg`` in ``folder`` with its ``NAME_mask.png``, sorted by name and
    named by ``NAME`` (underscores as spaces); a folder that is not there gives none."""
    if not folder.is_dir():
        return []
    faces = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".png", ".jpg", ".jpeg") or path.stem.endswith("_mask"):
            continue
        mask_path = path.with_name(f"{path.stem}_mask.png")
        if mask_path.is_file():
            faces.append(StyleFace.of(read_image(path), read_mask(mask_path), path.stem.replace("_", " "), builtin))
    return faces
