"""Paste-back compositing: the source survives bit for bit wherever the mask did not change."""

import numpy as np
import pytest

from maskgan_studio.engine.paste_back import grow_pixels, paste_back, paste_weights


def _changed_square(size=64, lo=24, hi=40):
    changed = np.zeros((size, size), bool)
    changed[lo:hi, lo:hi] = True
    return changed


def test_weights_are_one_on_changed_pixels_and_zero_far_away():
    changed = _changed_square()
    weights = paste_weights(changed, feather=6)
    assert weights[changed].min() == 1.0
    assert weights[0, 0] == 0.0
    reach = grow_pixels(64, 64) + 6
    ring = weights[40 + reach :, :]  # more than grow + feather below the square
    assert not ring.any()


def test_feather_softens_the_edge_monotonically():
    weights = paste_weights(_changed_square(), feather=8)
    row = weights[32, 40:56]  # walking right from the square's edge
    assert np.all(np.diff(row) <= 0)
    assert 0 < row[5] < 1


def test_zero_feather_is_a_hard_edge():
    weights = paste_weights(_changed_square(), feather=0)
    assert set(np.unique(weights)) == {0.0, 1.0}


def test_nothing_changed_gives_zero_weights():
    assert not paste_weights(np.zeros((16, 16), bool)).any()


def test_negative_feather_is_refused():
    with pytest.raises(ValueError):
        paste_weights(_changed_square(), feather=-1)


def test_paste_back_keeps_unchanged_pixels_bit_identical():
    rng = np.random.default_rng(0)
    source = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    generated = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    weights = paste_weights(_changed_square(), feather=5)
    result = paste_back(source, generated, weights)
    untouched = weights == 0
    assert np.array_equal(result[untouched], source[untouched])
    full = weights == 1
    assert np.array_equal(result[full], generated[full])
    partial = (weights > 0) & (weights < 1)
    assert partial.any() and not np.array_equal(result[partial], source[partial])
