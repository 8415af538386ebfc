"""Rendering: a pure function of mask and style, at any size, with eyes that have irises."""

import cv2
import numpy as np
import pytest

from maskgan_studio.labels import ID
from maskgan_studio.synth import Style, iter_samples, random_mask, random_style, render, sample


def test_render_is_deterministic_and_style_survives_json():
    rng = np.random.default_rng(3)
    mask, style = random_mask(rng, 256), random_style(rng)
    image = render(mask, style)
    assert image.dtype == np.uint8 and image.shape == (256, 256, 3)
    assert np.array_equal(image, render(mask.copy(), style))
    again = Style.from_json(style.to_json())
    assert again == style
    assert np.array_equal(image, render(mask, again))
    assert Style.from_dict(style.to_dict()) == style


def test_style_from_dict_names_missing_fields():
    data = random_style(np.random.default_rng(0)).to_dict()
    del data["skin"]
    with pytest.raises(ValueError, match="skin"):
        Style.from_dict(data)


def test_different_styles_paint_the_same_mask_differently():
    mask = random_mask(np.random.default_rng(1), 128)
    first, second = (render(mask, random_style(np.random.default_rng(s))) for s in (10, 11))
    assert np.abs(first.astype(int) - second.astype(int)).mean() > 10


def test_256_and_512_renders_look_alike():
    rng = np.random.default_rng(5)
    mask, style = random_mask(rng, 512), random_style(rng)
    large = cv2.resize(render(mask, style), (256, 256), interpolation=cv2.INTER_AREA)
    small = render(cv2.resize(mask, (256, 256), interpolation=cv2.INTER_NEAREST), style)
    large, small = (cv2.GaussianBlur(i, (0, 0), 2).astype(int) for i in (large, small))  # beyond the grain
    assert np.abs(large - small).mean() < 4


def test_every_eye_has_a_white_an_iris_and_a_dark_pupil():
    image, mask, _ = sample(4, 512)
    for label in (ID["l_eye"], ID["r_eye"]):
        values = image[mask == label].astype(int).sum(axis=1) / 3
        assert values.min() < 50  # pupil
        assert values.max() > 150  # white or highlight


def test_sample_is_deterministic_and_iter_samples_walks_the_seeds():
    image, mask, style = sample(12, 128)
    again = sample(12, 128)
    assert np.array_equal(image, again[0]) and np.array_equal(mask, again[1]) and style == again[2]
    stream = iter_samples(seed=11, size=128)
    next(stream)
    streamed = next(stream)
    assert np.array_equal(streamed[0], image) and np.array_equal(streamed[1], mask)
