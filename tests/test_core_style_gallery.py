"""The gallery of style faces and the document's style per region."""

import numpy as np
import pytest
from app_support import face

from maskgan_studio.core import MaskDocument
from maskgan_studio.core.style_gallery import StyleFace, StyleGallery, read_style_faces
from maskgan_studio.core.style_map import GROUPS, StyleMap
from maskgan_studio.errors import StudioError
from maskgan_studio.io import write_image, write_mask


def test_the_same_face_added_twice_is_one_entry_and_its_arrays_are_read_only():
    gallery, seen = StyleGallery(), []
    gallery.events.faces.connect(lambda: seen.append(len(gallery)))
    first = gallery.add(StyleFace.of(*face(32, seed=1), "one"))
    again = gallery.add(StyleFace.of(*face(32, seed=1), "one again"))
    gallery.add(StyleFace.of(*face(40, seed=2), "two"))
    assert again is first and len(gallery) == 2 and seen == [1, 2]
    assert [f.name for f in gallery.faces] == ["one", "two"]
    with pytest.raises(ValueError):
        first.image[0, 0] = 0


def test_a_face_and_mask_of_different_sizes_is_refused():
    image, _ = face(32)
    with pytest.raises(StudioError, match="same shape"):
        StyleFace.of(image, face(40)[1], "odd")


def test_the_style_map_names_only_gallery_faces_and_counts_as_an_unsaved_change():
    document = MaskDocument(*face(32))
    styled = document.gallery.add(StyleFace.of(*face(32, seed=3), "styled"))
    events = []
    document.events.style_map.connect(lambda: events.append(document.style_map))
    with pytest.raises(StudioError, match="not in the gallery"):
        document.set_style_map(StyleMap().assign(GROUPS["hair"], "0123456789abcdef"))
    assert not document.style_map and not document.modified
    hair = StyleMap().assign(GROUPS["hair"], styled.key)
    document.set_style_map(hair)
    assert events == [hair] and document.modified
    document.set_style_map(StyleMap())
    assert not document.modified   # back to what was saved


def test_faces_are_read_from_a_folder_with_their_masks(tmp_path):
    for name, seed in (("red_hair", 1), ("dark", 2)):
        image, mask = face(24, seed)
        write_image(tmp_path / f"{name}.png", image)
        write_mask(tmp_path / f"{name}_mask.png", mask)
    write_image(tmp_path / "maskless.png", face(24)[0])
    faces = read_style_faces(tmp_path, builtin=True)
    assert [f.name for f in faces] == ["dark", "red hair"] and all(f.builtin for f in faces)
    assert np.array_equal(faces[1].mask, face(24, 1)[1])
    assert read_style_faces(tmp_path / "absent") == []
