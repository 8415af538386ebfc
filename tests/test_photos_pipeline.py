"""A small photo is masked at its face's own size, not from a crop blown up to the model's."""

import numpy as np
import pytest

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
