"""Style per region: which face each class takes its style from.

A ``StyleMap`` assigns classes to style references by key; a class it does not name keeps the
style of the face being edited. Keys are ``reference_key`` of the reference's pixels, so the
same face added twice is one reference. Class and group names (``parse_classes``) are shared by
the command line, the editor and project files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from maskgan_studio.errors import StudioError
from maskgan_studio.labels import CLASSES, ID, NUM_CLASSES

GROUPS: dict[str, tuple[int, ...]] = {
    "hair": (ID["hair"],),
    "skin": (ID["skin"], ID["nose"], ID["l_ear"], ID["r_ear"], ID["neck"]),
    "eyes": (ID["l_eye"], ID["r_eye"]),
    "brows": (ID["l_brow"], ID["r_brow"]),
    "lips": (ID["u_lip"], ID["l_lip"]),
    "clothes": (ID["cloth"],),
    "background": (ID["background"],),
}
"""The editor's style rows and the command line's group names: classes that look wrong apart
(a restyled skin with the photo's nose) go together. The mouth's inside is not in ``lips``:
lipstick from a closed-mouth face would otherwise paint over a smile's teeth."""


def group_of(class_id: int) -> tuple[str, tuple[int, ...]]:
    """(name, classes) of the group ``class_id`` takes its style with (``GROUPS``: a nose restyled
    apart from its skin looks wrong), or its display name and itself when no group holds it."""
    for name, classes in GROUPS.items():
        if class_id in classes:
            return name, classes
    return CLASSES[class_id].display_name, (int(class_id),)


def parse_classes(text: str) -> tuple[int, ...]:
    """``"lips,skin"`` -> the class ids of those class or group names, sorted; StudioError naming
    the unknown name and the known ones otherwise."""
    ids: set[int] = set()
    for name in (part.strip().lower() for part in text.split(",")):
        if name in GROUPS:
            ids.update(GROUPS[name])
        elif name in ID:
            ids.add(ID[name])
        else:
            known = ", ".join([*GROUPS, *(c.name for c in CLASSES if c.name not in GROUPS)])
            raise StudioError(f"unknown class {name!r} in {text!r} (choose from {known})")
    return tuple(sorted(ids))


def reference_key(image: np.ndarray, mask: np.ndarray) -> str:
    """A short key naming a reference face by its pixels (the same face gives the same key)."""
    digest = hashlib.sha1()
    for array in (image, mask):
        array = np.ascontiguousarray(array)
        digest.update(repr((array.dtype.str, array.shape)).encode())
        digest.update(array.data)
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class StyleMap:
    """``pairs``: (class id, reference key), sorted by class; classes not named keep the edited
    face's own style. Use ``of`` or ``assign`` rather than building pairs by hand."""

    pairs: tuple[tuple[int, str], ...] = ()

    def __post_init__(self):
        classes = [c for c, _ in self.pairs]
        if classes != sorted(set(classes)) or any(not 0 <= c < NUM_CLASSES for c in classes):
            raise ValueError(f"style map pairs must name distinct classes in order: {self.pairs}")
        if any(not isinstance(key, str) or not key for _, key in self.pairs):
            raise ValueError(f"style map keys must be non-empty strings: {self.pairs}")

    @classmethod
    def of(cls, sources: Mapping[int, str]) -> StyleMap:
        return cls(tuple(sorted((int(c), key) for c, key in sources.items())))

    def source(self, class_id: int) -> str | None:
        """The reference key class ``class_id`` takes its style from, None for the face's own."""
        return dict(self.pairs).get(class_id)

    def assign(self, classes: Iterable[int], key: str | None) -> StyleMap:
        """A copy with ``classes`` taking their style from ``key`` (None: back to the face's own)."""
        sources = dict(self.pairs)
        for class_id in classes:
            if key is None:
                sources.pop(class_id, None)
            else:
                sources[class_id] = key
        return StyleMap.of(sources)

    def without(self, key: str) -> StyleMap:
        """A copy in which the classes styled from ``key`` go back to the face's own style."""
        return StyleMap(tuple(pair for pair in self.pairs if pair[1] != key))

    @property
    def keys(self) -> tuple[str, ...]:
        """The distinct reference keys in use, in order of first class."""
        return tuple(dict.fromkeys(key for _, key in self.pairs))

    def classes_of(self, key: str) -> tuple[int, ...]:
        return tuple(c for c, k in self.pairs if k == key)

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def to_dict(self) -> dict[str, str]:
        """``{class name: key}`` for a project file."""
        return {CLASSES[c].name: key for c, key in self.pairs}

    @classmethod
    def from_dict(cls, data: object) -> StyleMap:
        """The inverse of ``to_dict``, checked: StudioError on anything else."""
        if not isinstance(data, dict):
            raise StudioError(f"style map: expected an object of class names to keys, got {type(data).__name__}")
        sources = {}
        for name, key in data.items():
            if name not in ID:
                raise StudioError(f"style map: unknown class {name!r}")
            if not isinstance(key, str) or not key:
                raise StudioError(f"style map: class {name!r} has no reference key")
            sources[ID[name]] = key
        return cls.of(sources)
