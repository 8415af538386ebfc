"""Random face masks: every class occurs, areas and layout follow CelebA-HQ (DESIGN.md)."""

import numpy as np
import pytest

from maskgan_studio.labels import ID, NUM_CLASSES
from maskgan_studio.synth import random_mask

SIZE = 128  # the properties below hold at any size; 128 keeps 300 masks near a second


@pytest.fixture(scope="module")
def masks():
    return [random_mask(np.random.default_rng(seed), SIZE) for seed in range(300)]


def test_every_class_occurs_within_300_samples(masks):
    seen = set()
    for mask in masks:
        seen.update(np.unique(mask).tolist())
    assert seen == set(range(NUM_CLASSES))


def test_class_areas_stay_in_celeba_ranges_on_average(masks):
    areas = np.mean([np.bincount(m.ravel(), minlength=NUM_CLASSES) / m.size for m in masks], axis=0)
    assert 0.20 <= areas[ID["skin"]] <= 0.35
    assert 0.15 <= areas[ID["background"]] <= 0.45
    assert 0.12 <= areas[ID["hair"]] <= 0.40


def _mean_centroid(masks, label):
    points = []
    for mask in masks:
        ys, xs = np.nonzero(mask == label)
        if len(ys):
            points.append((xs.mean() / SIZE, ys.mean() / SIZE))
    return np.mean(points, axis=0)


@pytest.mark.parametrize(
    ("name", "x", "y"),
    [("l_eye", 0.62, 0.48), ("r_eye", 0.37, 0.48), ("l_brow", 0.62, 0.41), ("r_brow", 0.37, 0.41),
     ("nose", 0.5, 0.57), ("neck", 0.5, 0.93)],
)
def test_layout_follows_celeba_hq(masks, name, x, y):
    cx, cy = _mean_centroid(masks, ID[name])
    assert abs(cx - x) < 0.02 and abs(cy - y) < 0.025


def test_lips_sit_between_071_and_078(masks):
    upper = _mean_centroid(masks, ID["u_lip"])[1]
    lower = _mean_centroid(masks, ID["l_lip"])[1]
    assert 0.69 < upper < lower < 0.79


def test_same_rng_seed_gives_same_mask_and_ids_are_valid():
    first = random_mask(np.random.default_rng(7), 256)
    second = random_mask(np.random.default_rng(7), 256)
    other = random_mask(np.random.default_rng(8), 256)
    assert first.dtype == np.uint8 and first.shape == (256, 256)
    assert np.array_equal(first, second)
    assert not np.array_equal(first, other)
    assert first.max() < NUM_CLASSES
