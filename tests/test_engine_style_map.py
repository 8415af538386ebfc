"""Style per region in EditSession: classes drawn in other faces' styles, composited by class."""

import cv2
import numpy as np
import pytest

from engine_support import tiny_model
from maskgan_studio.core.style_map import GROUPS, StyleMap
from maskgan_studio.engine import EditSession
from maskgan_studio.engine.paste_back import grow_pixels
from maskgan_studio.errors import StudioError
from maskgan_studio.labels import ID
from maskgan_studio.synth import sample

HAIR = GROUPS["hair"]


def _session():
    session = EditSession(tiny_model(), device="cpu", compile=False)
    image, mask, _ = sample(0, 96)
    session.set_style_source(image, mask)
    return session, image, mask


def _near(pixels: np.ndarray, reach: int) -> np.ndarray:
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    return cv2.dilate(pixels.astype(np.uint8), kernel).astype(bool)


def test_an_empty_map_or_one_naming_only_absent_classes_is_todays_edit_exactly():
    session, image, mask = _session()
    session.set_style_reference("b", *sample(5, 96)[:2])
    edited = mask.copy()
    edited[10:20, 10:30] = ID["hat"]
    today = session.edit(edited)
    assert np.array_equal(session.edit(edited, style_map=StyleMap()), today)
    assert not (edited == ID["eye_g"]).any()
    assert np.array_equal(session.edit(edited, style_map=StyleMap().assign([ID["eye_g"]], "b")), today)


def test_restyled_hair_changes_only_hair_and_its_border_and_the_rest_stays_bit_for_bit():
    session, image, mask = _session()
    session.set_style_reference("b", *sample(5, 96)[:2])
    for texture in ("generator", "photo"):
        result = session.edit(mask, style_map=StyleMap().assign(HAIR, "b"), feather=4, texture=texture)
        hair = mask == ID["hair"]
        reach = 4 + grow_pixels(96, 96) + 1 + (13 if texture == "photo" else 0)  # the texture region grows
        far = ~_near(hair, reach)
        assert np.array_equal(result[far], image[far])
        assert np.abs(result[hair].astype(int) - image[hair]).mean() > 5


def test_restyled_hair_takes_the_reference_faces_colour_with_the_bundled_model():
    session = EditSession(device="cpu", compile=False)
    a_image, a_mask, _ = sample(0, 256)  # auburn hair
    b_image, b_mask, _ = sample(5, 256)  # grey hair
    session.set_style_source(a_image, a_mask)
    session.set_style_reference("b", b_image, b_mask)
    hair = a_mask == ID["hair"]
    own = session.edit(a_mask, paste_back=False)[hair].mean(0)
    restyled = session.edit(a_mask, style_map=StyleMap().assign(HAIR, "b"))[hair].mean(0)
    target = b_image[b_mask == ID["hair"]].mean(0)
    assert np.abs(restyled - target).max() < 20 < np.abs(own - target).max()


def test_each_reference_is_encoded_once_across_edits(monkeypatch):
    session, image, mask = _session()
    calls = []
    original = session._model.dmn.encode_style
    monkeypatch.setattr(session._model.dmn, "encode_style", lambda *a: calls.append(1) or original(*a))
    b_image, b_mask, _ = sample(5, 96)
    c_image, c_mask, _ = sample(6, 96)
    style = StyleMap().assign(HAIR, "b").assign(GROUPS["lips"], "c")
    for _ in range(3):
        session.set_style_reference("b", b_image, b_mask)
        session.set_style_reference("c", c_image, c_mask)
        session.edit(mask, style_map=style)
    assert len(calls) == 2 and session.style_encodings == 3  # the source, then b and c once each
    session.set_style_reference("b", c_image, c_mask)  # new pixels under a known key
    assert len(calls) == 3


def test_a_reference_without_hair_leaves_hair_in_the_photos_style_with_a_notice():
    session, image, mask = _session()
    bald_image, bald_mask, _ = sample(7, 96)
    assert not (bald_mask == ID["hair"]).any()
    session.set_style_reference("bald", bald_image, bald_mask)
    results = list(session.edit_progressive(mask, style_map=StyleMap().assign([ID["hair"], ID["skin"]], "bald")))
    assert all(r.notices == ("Hair: the style face has none, so it keeps the photo's style",) for r in results)
    hair = mask == ID["hair"]
    far_from_skin = hair & ~_near(mask == ID["skin"], 8)
    assert np.array_equal(results[-1].image[far_from_skin], image[far_from_skin])


def test_a_key_never_set_is_refused():
    session, image, mask = _session()
    with pytest.raises(StudioError, match="'nobody' was never set"):
        session.edit(mask, style_map=StyleMap().assign(HAIR, "nobody"))


def test_the_style_faces_texture_lends_the_restyled_classes():
    session, image, mask = _session()
    b_image, b_mask, _ = sample(5, 96)
    session.set_style_reference("b", b_image, b_mask)
    style = StyleMap().assign(HAIR, "b")
    lenders = session._lenders(session._source, style)
    from maskgan_studio.texture.exemplars import SOURCES

    assert lenders.class_source[ID["hair"]] == len(SOURCES)  # the first style face
    assert lenders.class_source[ID["skin"]] == 0  # the face itself


def test_a_restyle_without_a_mask_change_draws_only_the_style_face_and_lays_it_onto_the_photo():
    session, image, mask = _session()
    session.set_style_reference("b", *sample(5, 96)[:2])
    calls = []
    generator = session._generator
    session._generator = lambda label, style: calls.append(style) or generator(label, style)
    results = list(session.edit_progressive(mask, style_map=StyleMap().assign(HAIR, "b")))
    assert len(calls) == len(results) == 2  # preview and final, each one pass in face b's style
    assert all(style is session._references["b"].style for style in calls)
    hair = mask == ID["hair"]
    outside = ~_near(hair, grow_pixels(96, 96) + 1)
    assert np.array_equal(results[-1].image[outside], image[outside])  # no feather of drawn neighbours


def test_an_in_between_strength_draws_each_style_face_through_the_blender_too():
    session = EditSession(tiny_model(strength=True), device="cpu", compile=False)
    image, mask, _ = sample(0, 64)
    session.set_style_source(image, mask)
    session.set_style_reference("b", *sample(5, 64)[:2])
    edited = mask.copy()
    edited[8:16, 8:24] = ID["hat"]
    style = StyleMap().assign(HAIR, "b")
    halfway = session.edit(edited, strength=0.5, style_map=style)
    assert not np.array_equal(halfway, session.edit(edited, strength=0.5))
    far = ~_near((mask == ID["hair"]) | (edited != mask), 12)
    assert np.array_equal(halfway[far], image[far])


def test_the_faces_own_lender_is_drawn_once_whatever_the_style_map():
    session, image, mask = _session()
    session.set_style_reference("b", *sample(5, 96)[:2])
    plain = session._lenders(session._source, StyleMap())
    restyled = session._lenders(session._source, StyleMap().assign(HAIR, "b"))
    assert restyled is not plain and restyled.face is plain.face
