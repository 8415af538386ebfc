"""A small photo is masked at its face's own size, not from a crop blown up to the model's."""

import cv2
import numpy as np
import pytest

from maskgan_studio.labels import ID
from maskgan_studio.photos import pipeline
from maskgan_studio.synth import sample


@pytest.mark.parametrize("photo_side, masked_at", [(200, 200), (96, pipeline.MIN_MASK_RESOLUTION), (1024, 512)])
def test_the_mask_is_made_at_the_faces_own_size_at_most_the_crops(monkeypatch, photo_side, masked_at):
    image, mask, _ = sample(1, photo_side)
    seen = []

    def auto_mask(crop, method, parser):
        seen.append(crop.shape[:2])
        return np.full(crop.shape[:2], 1, np.uint8), "stub"

    monkeypatch.setattr(pipeline, "auto_mask", auto_mask)
    prepared = pipeline.prepare_photo(image, resolution=512, whole_image=True)
    assert seen == [(masked_at, masked_at)]
    assert prepared.image.shape == (512, 512, 3) and prepared.mask.shape == (512, 512)
    assert ("own size" in prepared.description) == (masked_at < 512)


def _prepared_whole(monkeypatch, side):
    image, mask, _ = sample(2, side)
    monkeypatch.setattr(pipeline, "auto_mask", lambda crop, method, parser: (
        cv2.resize(mask, crop.shape[1::-1], interpolation=cv2.INTER_NEAREST_EXACT), "stub"))
    return image, pipeline.prepare_photo(image, resolution=512, whole_image=True)


def test_a_face_larger_than_the_crop_is_textured_at_the_photos_own_scale(monkeypatch):
    photo, prepared = _prepared_whole(monkeypatch, 1600)
    edited = prepared.mask.copy()
    edited[300:340, 100:200] = ID["hair"]
    larger, edited_larger = pipeline.at_photo_scale(photo, prepared, edited)
    assert larger.transform.resolution == pipeline.MAX_TEXTURE_CROP
    assert larger.image.shape == (1024, 1024, 3) and edited_larger.shape == (1024, 1024)
    # the same framing: shrunk back, the larger crop is the crop
    shrunk = cv2.resize(larger.image, (512, 512), interpolation=cv2.INTER_AREA)
    assert np.abs(shrunk.astype(int) - prepared.image.astype(int)).mean() < 3
    assert np.array_equal(edited_larger[::2, ::2], edited)
    # and it holds more of the photo's fine detail than the crop enlarged
    enlarged = cv2.resize(prepared.image, (1024, 1024), interpolation=cv2.INTER_CUBIC)
    assert _detail(larger.image) > 1.2 * _detail(enlarged)


def _detail(image):
    return cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), cv2.CV_32F).std()


def test_a_face_no_larger_than_the_crop_keeps_the_crop(monkeypatch):
    photo, prepared = _prepared_whole(monkeypatch, 400)
    same, edited = pipeline.at_photo_scale(photo, prepared, prepared.mask)
    assert same is prepared and edited is prepared.mask
