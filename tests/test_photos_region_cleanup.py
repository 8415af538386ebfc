"""Specks and frayed borders leave a pixel-wise mask; labels outside the cleaned classes stay put."""

import numpy as np

from maskgan_studio.labels import ID
from maskgan_studio.photos.region_cleanup import clean_regions

CLASSES = (ID["background"], ID["skin"], ID["hair"])
FACE_HEIGHT = 150.0


def _drawn():
    """Hair over the top half, skin below, specks of each in the other, a frayed border, and a small
    nose (not one of the cleaned classes) inside the skin."""
    labels = np.full((128, 128), ID["skin"], np.uint8)
    labels[:64] = ID["hair"]
    rng = np.random.default_rng(0)
    ys, xs = rng.integers(4, 60, 40), rng.integers(4, 124, 40)
    labels[ys, xs] = ID["skin"]
    labels[ys + 64, xs] = ID["background"]
    labels[64, ::8] = ID["hair"]  # one-pixel spikes of the hair into the skin
    labels[63, 4::8] = ID["skin"]  # and of the skin into the hair
    labels[90:96, 60:66] = ID["nose"]
    return labels


def test_specks_take_the_label_around_them():
    labels = _drawn()
    clean_regions(labels, CLASSES, FACE_HEIGHT)
    assert (labels[:63] == ID["hair"]).all()
    assert np.isin(labels[66:], [ID["skin"], ID["nose"]]).all()


def test_borders_are_smoothed_and_other_labels_neither_change_nor_spread():
    labels = _drawn()
    clean_regions(labels, CLASSES, FACE_HEIGHT)
    assert (labels[60:64] == ID["hair"]).all() and (labels[64:70] == ID["skin"]).all()
    assert (labels == ID["nose"]).sum() == 36 and (labels[90:96, 60:66] == ID["nose"]).all()


def test_a_region_large_enough_to_draw_survives():
    labels = np.full((128, 128), ID["skin"], np.uint8)
    labels[20:40, 20:40] = ID["hair"]  # 400 px: larger than a speck for a face 150 px high
    clean_regions(labels, CLASSES, FACE_HEIGHT)
    assert (labels[22:38, 22:38] == ID["hair"]).all()
