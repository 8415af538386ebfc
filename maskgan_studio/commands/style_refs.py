"""``edit --style-ref CLASSES=IMAGE``: classes drawn in another face's style (style per region).

A reference's mask is the one lying beside it (``b.png`` -> ``b_mask.png``, as the editor finds
masks); without one the reference is a photo whose face is found, aligned and masked as
``parse`` does. Every reference is read and checked before anything is drawn or written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from maskgan_studio.errors import InputFileError, StudioError


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--style-ref", action="append", default=[], metavar="CLASSES=IMAGE",
                        help="draw these classes (class or group names: hair, skin, eyes, brows, lips, clothes, "
                        "background, or any class such as eye_g) in the style of the face in IMAGE, whose mask "
                        "lies beside it (IMAGE_mask.png) or is made automatically; repeatable: --style-ref "
                        "hair=b.png --style-ref lips,skin=c.jpg")


def parse(values: list[str]) -> list[tuple[tuple[int, ...], Path]]:
    """``["hair=b.png", ...]`` -> [(class ids, path)], checked (names known, files present)
    before any file is read."""
    from maskgan_studio.core.style_map import parse_classes

    parsed = []
    for value in values:
        classes, separator, path = value.partition("=")
        if not separator or not classes.strip() or not path:
            raise StudioError(f"--style-ref {value!r}: expected CLASSES=IMAGE, e.g. hair=b.png")
        try:
            ids = parse_classes(classes)
        except StudioError as exc:
            raise StudioError(f"--style-ref {value!r}: {exc}") from None
        if not Path(path).is_file():
            raise InputFileError(path, "no such file (--style-ref)")
        parsed.append((ids, Path(path)))
    return parsed


def load(parsed: list[tuple[tuple[int, ...], Path]], parser=None):
    """-> (``core.style_map.StyleMap``, the ``core.style_gallery.StyleFace`` list it names), each
    face read, masked and keyed once; a later --style-ref wins for a class two of them name."""
    from maskgan_studio.core.style_map import StyleMap

    style_map, faces, read = StyleMap(), {}, {}
    for classes, path in parsed:
        if path not in read:
            face = _read(path, parser)
            read[path] = faces.setdefault(face.key, face).key
        style_map = style_map.assign(classes, read[path])
    return style_map, [faces[key] for key in style_map.keys]


def _read(path: Path, parser):
    from maskgan_studio.photos.style_faces import read_style_face

    return read_style_face(path, parser=parser)
