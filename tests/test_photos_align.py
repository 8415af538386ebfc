"""Alignment to the CelebA-HQ layout and the paste-back of an edited crop into the full photo."""

import numpy as np
import pytest
import skimage.data

from maskgan_studio.labels import ID
from maskgan_studio.photos import detect_faces, mask_at_photo_size, paste_back
from maskgan_studio.photos.align import (CROP_LAYOUT, face_transform, similarity_matrix, warp_to_crop,
                                         warp_to_photo, whole_image_transform)


@pytest.fixture(scope="module")
def photo_and_transform():
    photo = skimage.data.astronaut()
    face = detect_faces(photo, "haar")[0]
    return photo, face, face_transform(face, photo.shape[:2], 256)


def _apply(matrix, points):
    return points @ matrix[:, :2].T + matrix[:, 2]


def test_similarity_recovers_a_known_rotation_scale_and_shift():
    angle, scale = np.deg2rad(17), 1.7
    truth = np.array([[scale * np.cos(angle), -scale * np.sin(angle), 12.0],
                      [scale * np.sin(angle), scale * np.cos(angle), -5.0]])
    source = np.array([[10.0, 20.0], [50.0, 22.0], [31.0, 70.0], [5.0, 5.0]])
    assert np.allclose(similarity_matrix(source, _apply(truth, source)), truth)


def test_eyes_and_mouth_land_on_the_layout(photo_and_transform):
    _, face, transform = photo_and_transform
    placed = _apply(transform.matrix, np.stack([face.right_eye, face.left_eye, face.mouth]))
    assert np.abs(placed - CROP_LAYOUT * 256).max() < 0.03 * 256
    assert transform.method == "haar" and transform.resolution == 256


def test_round_trip_leaves_everything_outside_the_face_bit_identical(photo_and_transform):
    photo, _, transform = photo_and_transform
    crop = warp_to_crop(photo, transform)
    pasted = paste_back(photo, crop, transform)
    footprint = warp_to_photo(np.ones((256, 256), np.float32), transform) > 0
    assert 0.02 < footprint.mean() < 0.5
    assert np.array_equal(pasted[~footprint], photo[~footprint])
    assert np.abs(pasted.astype(int) - photo).mean() < 1.0  # inside: only resampling error


def test_an_edit_shows_inside_its_region_only(photo_and_transform):
    photo, _, transform = photo_and_transform
    crop = warp_to_crop(photo, transform)
    edited = crop.copy()
    edited[150:200, 90:170] = (0, 255, 0)  # paint the mouth area green
    region = np.zeros((256, 256), bool)
    region[130:220, 70:190] = True
    pasted = paste_back(photo, edited, transform, region=region, feather=8, colour_match=False)
    reach = warp_to_photo(region.astype(np.float32), transform) > 0
    assert np.array_equal(pasted[~reach], photo[~reach])
    mouth = _apply(transform.inverse, np.array([[130.0, 175.0]]))[0].round().astype(int)
    assert pasted[mouth[1], mouth[0], 1] > 200 and pasted[mouth[1], mouth[0], 0] < 60


def test_colour_matching_removes_a_global_cast(photo_and_transform):
    photo, _, transform = photo_and_transform
    crop = warp_to_crop(photo, transform)
    tinted = np.clip(crop.astype(int) + (25, -10, 0), 0, 255).astype(np.uint8)
    plain = paste_back(photo, tinted, transform, colour_match=False)
    matched = paste_back(photo, tinted, transform, colour_match=True)
    assert np.abs(matched.astype(int) - photo).mean() < 0.5 * np.abs(plain.astype(int) - photo).mean()


def test_whole_image_mask_comes_back_at_photo_size():
    transform = whole_image_transform((300, 200), 128)
    mask = np.full((128, 128), ID["skin"], np.uint8)
    placed = mask_at_photo_size(mask, transform)
    assert placed.shape == (300, 200)
    assert (placed == ID["skin"]).mean() > 0.98


def test_paste_back_refuses_a_crop_of_the_wrong_size(photo_and_transform):
    photo, _, transform = photo_and_transform
    with pytest.raises(ValueError, match="expects 256x256"):
        paste_back(photo, np.zeros((128, 128, 3), np.uint8), transform)


def test_paste_edit_is_one_rule_for_the_editor_and_the_command_line(photo_and_transform):
    """The editor's export and ``edit`` on a photo go through ``photos.paste_edit``: the pixels the
    edit changed come back at full weight, everything else in the photo stays bit for bit."""
    from maskgan_studio.app.photo_mapping import edited_photo
    from maskgan_studio.core import MaskDocument, PhotoFrame
    from maskgan_studio.photos import paste_edit

    photo, _, transform = photo_and_transform
    crop = warp_to_crop(photo, transform)
    assert np.array_equal(paste_edit(photo, crop, crop, transform, 8), photo), "no change: the photo itself"
    edited = crop.copy()
    edited[150:200, 90:170] = (0, 255, 0)
    pasted = paste_edit(photo, crop, edited, transform, 8)
    beyond = np.ones((256, 256), np.float32)
    beyond[150 - 12:200 + 12, 90 - 12:170 + 12] = 0   # the change grown by more than the feather
    far = warp_to_photo(beyond, transform) > 0.999
    assert np.array_equal(pasted[far], photo[far]), "the rest of the face and the photo stay bit for bit"
    mouth = _apply(transform.inverse, np.array([[130.0, 175.0]]))[0].round().astype(int)
    assert pasted[mouth[1], mouth[0], 1] > 200 and pasted[mouth[1], mouth[0], 0] < 60
    mask = np.zeros((256, 256), np.uint8)
    document = MaskDocument(crop, mask, photo=PhotoFrame(photo, transform.matrix, transform.method))
    assert np.array_equal(edited_photo(document, edited), paste_edit(photo, crop, edited, transform,
                                                                     document.settings.feather))
