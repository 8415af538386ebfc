"""EditSession's texture stage: after the generator's final picture, only where the edit reaches."""

import numpy as np
import pytest

from engine_support import face_with_edit, tiny_model
from maskgan_studio.engine import EditSession
from maskgan_studio.errors import StudioError
from maskgan_studio.labels import ID
from maskgan_studio.synth import sample
from maskgan_studio.texture.exemplars import SOURCES
from maskgan_studio.texture.region import grow_pixels, texture_region

SIZE = 96


def _session():
    return EditSession(tiny_model(), device="cpu", compile=False)


def _hair_edit(seed=1):
    image, mask, _ = sample(seed, SIZE)
    edited = mask.copy()
    edited[60:75, 5:30] = ID["hair"]
    return image, mask, edited


def test_generator_texture_is_the_generators_picture_as_before():
    image, mask, edited = _hair_edit()
    session = _session()
    session.set_style_source(image, mask)
    stages = list(session.edit_progressive(edited, texture="generator"))
    assert [s.stage for s in stages] == ["preview", "final"]
    assert np.array_equal(session.edit(edited), stages[-1].image)
    assert np.array_equal(session.edit(edited, texture="generator"), stages[-1].image)


def test_photo_texture_comes_after_the_final_picture_and_stays_in_its_region():
    image, mask, edited = _hair_edit()
    session = _session()
    session.set_style_source(image, mask)
    stages = list(session.edit_progressive(edited, texture="photo"))
    assert [s.stage for s in stages] == ["preview", "final", "texture"]
    textured = stages[-1].image
    region = texture_region(mask, edited, grow_pixels(SIZE, SIZE))
    assert np.array_equal(textured[~region], image[~region])
    assert not np.array_equal(textured[region], stages[1].image[region])
    assert np.array_equal(session.edit(edited, texture="photo"), textured)


def test_a_newer_edit_stops_the_texture_stage_and_leaves_the_final_picture():
    image, mask, edited = _hair_edit()
    session = _session()
    session.set_style_source(image, mask)
    stages = list(session.edit_progressive(edited, texture="photo", cancelled=lambda: True))
    assert [s.stage for s in stages] == ["preview", "final"]


def test_without_paste_back_or_without_a_change_there_is_no_texture_stage():
    image, mask, edited = _hair_edit()
    session = _session()
    session.set_style_source(image, mask)
    assert [s.stage for s in session.edit_progressive(edited, paste_back=False, texture="photo")][-1] == "final"
    assert [s.stage for s in session.edit_progressive(mask, texture="photo")][-1] == "final"


def test_an_unknown_texture_is_refused():
    image, mask, edited = _hair_edit()
    session = _session()
    session.set_style_source(image, mask)
    with pytest.raises(StudioError, match="texture 'fancy'"):
        session.edit(edited, texture="fancy")


def test_the_source_guide_is_drawn_once_per_style_source(monkeypatch):
    image, mask, edited = _hair_edit()
    session = _session()
    session.set_style_source(image, mask)
    drawings = []
    original = session._drawing
    monkeypatch.setattr(session, "_drawing", lambda *a: drawings.append(1) or original(*a))
    session.edit(edited, texture="photo")
    session.edit(edited, texture="photo")
    assert len(drawings) == 1
    session.set_style_source(image, mask)
    session.edit(edited, texture="photo")
    assert len(drawings) == 2


def test_a_texture_reference_lends_the_class_the_face_lacks():
    image, mask, edited = face_with_edit(SIZE)  # a hat painted where the face has none
    reference_image, reference_mask, _ = sample(7, SIZE)
    reference_mask = reference_mask.copy()
    reference_mask[:30] = ID["hat"]
    session = _session()
    session.set_style_source(image, mask)
    final = session.edit(edited)
    drawn = session.edit(edited, paste_back=False)
    alone = session.texture_stage(edited, final, drawn)
    assert alone.class_source[ID["hat"]] == -1
    session.set_texture_reference(reference_image, reference_mask)
    lent = session.texture_stage(edited, final, drawn)
    assert SOURCES[lent.class_source[ID["hat"]]] == "reference"
    hat = (edited == ID["hat"]) & lent.synthesised
    assert hat.sum() == (edited == ID["hat"]).sum()
    session.set_texture_reference(None)
    assert session.texture_stage(edited, final, drawn).class_source[ID["hat"]] == -1
