"""The texture stage: where it may write, where each pixel's patch comes from, who lends a class."""

import cv2
import numpy as np
import pytest

from maskgan_studio.labels import ID
from maskgan_studio.synth import sample
from maskgan_studio.texture import Exemplar, Lenders, TextureParams, synthesise
from maskgan_studio.texture.exemplars import SOURCES
from maskgan_studio.texture.patchmatch import PAD_LABEL
from maskgan_studio.texture.region import grow_pixels, soft_borders, texture_region

SIZE = 128


def _stripes(height, width, colour, period=4):
    """A striped texture: something a patch copy reproduces and a blur does not."""
    rows = (np.arange(height)[:, None] // (period // 2)) % 2
    image = np.empty((height, width, 3), np.uint8)
    image[:] = colour
    image[np.broadcast_to(rows, (height, width)) == 1] = np.asarray(colour) // 2
    return image


def _hair_scene():
    """Background above, striped hair band in the middle, skin below; the edit grows the hair
    band down by 12 rows. The generator's stand-ins are flat colours."""
    mask = np.full((SIZE, SIZE), ID["background"], np.uint8)
    mask[30:70] = ID["hair"]
    mask[70:] = ID["skin"]
    photo = np.empty((SIZE, SIZE, 3), np.uint8)
    photo[:] = (40, 120, 200)
    photo[30:70] = _stripes(40, SIZE, (200, 160, 60))
    photo[70:] = (220, 170, 150)
    edited = mask.copy()
    edited[70:82] = ID["hair"]
    guide = _flat(mask)
    return photo, mask, edited, guide, _flat(edited)


def _flat(mask):
    colours = {ID["background"]: (50, 110, 190), ID["hair"]: (150, 120, 50), ID["skin"]: (210, 160, 140),
               ID["eye_g"]: (20, 20, 20), ID["l_brow"]: (70, 50, 30), ID["r_brow"]: (70, 50, 30)}
    image = np.zeros((*mask.shape, 3), np.uint8)
    for label, colour in colours.items():
        image[mask == label] = colour
    return image


def _synthesise(photo, mask, edited, guide, drawn, reference=None, params=TextureParams(), should_stop=None):
    generated = np.where((edited != mask)[..., None], drawn, photo)
    lenders = Lenders(Exemplar(photo, mask, guide), reference, params)
    return synthesise(lenders, edited, drawn, generated, should_stop=should_stop)


def test_pixels_outside_the_grown_region_stay_bit_for_bit():
    image, mask, _ = sample(3, SIZE)
    edited = mask.copy()
    edited[SIZE // 2:SIZE // 2 + 20, 10:40] = ID["hair"]
    drawn = _flat(edited)
    result = _synthesise(image, mask, edited, _flat(mask), drawn)
    region = texture_region(mask, edited, grow_pixels(SIZE, SIZE))
    assert np.array_equal(result.region, region)
    assert np.array_equal(result.image[~region], image[~region])
    assert not np.array_equal(result.image[edited != mask], image[edited != mask])


def test_every_synthesised_pixel_takes_its_patch_from_its_own_class():
    image, mask, _ = sample(5, SIZE)
    edited = mask.copy()
    edited[SIZE // 2:SIZE // 2 + 20, 10:40] = ID["hair"]
    edited[SIZE - 30:, SIZE // 2:] = ID["cloth"]
    result = _synthesise(image, mask, edited, _flat(mask), _flat(edited))
    ys, xs = np.nonzero(result.synthesised)
    centres = result.field[ys, xs]
    assert len(ys) > 500
    assert np.array_equal(result.canvas_labels[centres[:, 0], centres[:, 1]], result.labels[ys, xs])
    assert result.synthesised[edited != mask].all()
    # the image follows the edit's classes, but on the soft borders of hair, which may move
    soft = soft_borders(edited, result.region) != PAD_LABEL
    assert np.array_equal(result.labels[~soft], edited[~soft])


def test_new_hair_takes_the_photos_own_texture():
    photo, mask, edited, guide, drawn = _hair_scene()
    result = _synthesise(photo, mask, edited, guide, drawn)
    new = np.zeros(mask.shape, bool)
    new[72:80, 10:-10] = True
    # the flat generator colour is gone: the new rows carry the stripes' contrast and colours
    rows = result.image[72:80, 10:-10].astype(float).mean(axis=(1, 2))
    assert rows.max() - rows.min() > 40
    hair_colours = {tuple(c) for c in photo[30:70].reshape(-1, 3)}
    assert np.mean([tuple(c) in hair_colours for c in result.image[new]]) > 0.8


def test_a_jacket_labelled_hair_lends_nothing():
    photo, mask, edited, guide, drawn = _hair_scene()
    photo[30:50, 90:] = (20, 200, 20)  # a green patch inside the hair's label
    result = _synthesise(photo, mask, edited, guide, drawn)
    centres = result.field[result.synthesised]
    assert len(centres)
    in_jacket = (centres[:, 0] >= 30 - 3) & (centres[:, 0] < 50 + 3) & (centres[:, 1] >= 90 - 3)
    assert not in_jacket.any()
    assert (result.image[72:80, 10:-10, 1] < 190).all()  # no green came over


def test_a_speck_of_a_class_lends_nothing():
    photo, mask, edited, guide, drawn = _hair_scene()
    mask[100:103, 100:103] = ID["hair"]  # a mask error: 9 pixels of "hair" in the skin
    edited[100:103, 100:103] = ID["hair"]
    result = _synthesise(photo, mask, edited, guide, drawn)
    centres = result.field[result.synthesised & (edited == ID["hair"])]
    assert len(centres)
    assert not ((abs(centres[:, 0] - 101) <= 2) & (abs(centres[:, 1] - 101) <= 2)).any()


def test_reuse_of_one_patch_is_bounded():
    photo, mask, edited, guide, drawn = _hair_scene()
    edited[70:110] = ID["hair"]  # a fill as large as the hair itself
    counts = {}
    for overuse in (0.0, TextureParams().overuse):
        result = _synthesise(photo, mask, edited, guide, drawn, params=TextureParams(overuse=overuse))
        centres = result.field[result.synthesised]
        counts[overuse] = np.unique(centres[:, 0] * SIZE * 4 + centres[:, 1], return_counts=True)[1]
    bounded, free = counts[TextureParams().overuse], counts[0.0]
    assert bounded.max() < free.max()
    assert (bounded > 4).sum() < (free > 4).sum() / 2
    assert len(bounded) > len(free)


def _face_without_left_brow(seed=2):
    image, mask, _ = sample(seed, SIZE)
    assert (mask == ID["l_brow"]).sum() > 20 and (mask == ID["r_brow"]).sum() > 20
    source_mask = mask.copy()
    brow = mask == ID["l_brow"]
    source_mask[brow] = ID["skin"]
    source = cv2.inpaint(image, cv2.dilate(brow.astype(np.uint8), np.ones((3, 3), np.uint8)) * 255, 3,
                         cv2.INPAINT_TELEA)
    return source, source_mask, mask


def test_a_removed_left_brow_is_lent_by_the_right_one_mirrored():
    source, source_mask, edited = _face_without_left_brow()
    result = _synthesise(source, source_mask, edited, _flat(source_mask), _flat(edited))
    assert SOURCES[result.class_source[ID["l_brow"]]] == "mirrored face"
    brow = (edited == ID["l_brow"]) & result.synthesised
    assert brow.any()
    centres = result.field[brow]
    assert (centres[:, 0] >= SIZE).all()  # below the face itself: on its mirror image
    assert (result.canvas_labels[centres[:, 0], centres[:, 1]] == ID["l_brow"]).all()


def test_a_class_nobody_has_keeps_the_generators_drawing():
    image, mask, _ = sample(4, SIZE)
    edited = mask.copy()
    edited[50:60, 30:100] = ID["eye_g"]
    assert not (mask == ID["eye_g"]).any()
    drawn = _flat(edited)
    result = _synthesise(image, mask, edited, _flat(mask), drawn)
    assert result.class_source[ID["eye_g"]] == -1
    glasses = edited == ID["eye_g"]
    assert not result.synthesised[glasses].any()
    inner = cv2.erode(glasses.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert np.array_equal(result.image[inner], drawn[inner])


def test_a_reference_lends_the_class_the_face_lacks():
    image, mask, _ = sample(4, SIZE)
    edited = mask.copy()
    edited[50:60, 30:100] = ID["eye_g"]
    reference_mask = mask.copy()
    reference_mask[40:70, 20:108] = ID["eye_g"]
    reference_image = image.copy()
    reference_image[reference_mask == ID["eye_g"]] = _stripes(SIZE, SIZE, (90, 20, 140))[reference_mask == ID["eye_g"]]
    reference = Exemplar(reference_image, reference_mask, _flat(reference_mask))
    result = _synthesise(image, mask, edited, _flat(mask), _flat(edited), reference=reference)
    assert SOURCES[result.class_source[ID["eye_g"]]] == "reference"
    glasses = (edited == ID["eye_g"]) & result.synthesised
    assert glasses.sum() > 0.9 * (edited == ID["eye_g"]).sum()
    assert abs(result.image[glasses].astype(float).mean(0) - (68, 15, 105)).max() < 30


def test_stopping_gives_no_result():
    photo, mask, edited, guide, drawn = _hair_scene()
    asked = []

    def should_stop():
        asked.append(1)
        return len(asked) > 2

    assert _synthesise(photo, mask, edited, guide, drawn, should_stop=should_stop) is None


@pytest.mark.parametrize("seed", [0, 1])
def test_the_same_input_gives_the_same_picture(seed):
    photo, mask, edited, guide, drawn = _hair_scene()
    first = _synthesise(photo, mask, edited, guide, drawn, params=TextureParams(seed=seed))
    second = _synthesise(photo, mask, edited, guide, drawn, params=TextureParams(seed=seed))
    assert np.array_equal(first.image, second.image)


def test_lenders_are_made_once_for_many_edits():
    photo, mask, edited, guide, drawn = _hair_scene()
    lenders = Lenders(Exemplar(photo, mask, guide))
    generated = np.where((edited != mask)[..., None], drawn, photo)
    first = synthesise(lenders, edited, drawn, generated)
    levels = {level: lenders.at(level) for level in range(lenders.levels)}
    other = mask.copy()
    other[70:76, :40] = ID["hair"]
    synthesise(lenders, other, _flat(other), np.where((other != mask)[..., None], _flat(other), photo))
    assert all(lenders.at(level) is canvas for level, canvas in levels.items())
    assert np.array_equal(synthesise(lenders, edited, drawn, generated).image, first.image)


def test_new_hair_may_take_its_outline_from_the_photos_own_hair_edges():
    """A straight painted edge of hair over the background: the photo's hair edge is ragged, so
    the result's outline moves off the painted line by at most the soft border's width."""
    photo, mask, edited, guide, drawn = _hair_scene()
    ragged = mask.copy()
    for x in range(SIZE):  # the photo's own hair ends raggedly above the skin
        ragged[70 + (x * 7919) % 5 - 2:70, x] = ID["skin"]
        ragged[70:70 + (x * 104729) % 3, x] = ID["hair"]
    photo[ragged == ID["hair"]] = _stripes(SIZE, SIZE, (200, 160, 60))[ragged == ID["hair"]]
    photo[ragged == ID["skin"]] = (220, 170, 150)
    edited = ragged.copy()
    edited[:, :] = np.where(np.arange(SIZE)[:, None] >= 84, edited, np.where(edited == ID["skin"], ID["hair"], edited))
    edited[84:] = ID["skin"]
    edited[:30] = ID["background"]
    result = _synthesise(photo, ragged, edited, _flat(ragged), _flat(edited))
    soft = soft_borders(edited, result.region) != PAD_LABEL
    moved = result.labels != edited
    assert moved.any(), "the straight painted edge stays exactly as painted"
    assert soft[moved].all()
    assert set(np.unique(result.labels[moved])) <= {ID["hair"], ID["skin"]}
