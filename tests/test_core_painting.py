"""Brush, line, fill and eyedropper on label masks: exact pixels, checked against brute force."""

import math

import numpy as np
import pytest

from maskgan_studio.core import painting
from maskgan_studio.core.geometry import Rect


def brute_force_capsule(shape, p0, p1, size):
    """Pixel centres within size/2 of the segment, plus the pixels under the end points."""
    radius = max(size, 1) / 2
    (ax, ay), (bx, by) = p0, p1
    covered = np.zeros(shape, dtype=bool)
    for row in range(shape[0]):
        for col in range(shape[1]):
            cx, cy = col + 0.5, row + 0.5
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else min(max(((cx - ax) * dx + (cy - ay) * dy) / (dx * dx + dy * dy), 0), 1)
            covered[row, col] = math.hypot(cx - ax - t * dx, cy - ay - t * dy) <= radius
    for x, y in (p0, p1):
        if 0 <= y < shape[0] and 0 <= x < shape[1]:
            covered[int(y), int(x)] = True
    return covered


@pytest.mark.parametrize("p0, p1, size", [
    ((10.0, 12.0), (10.0, 12.0), 7),        # a dab
    ((3.2, 4.7), (30.9, 20.1), 5),           # a diagonal segment
    ((0.5, 0.5), (39.5, 0.5), 12),           # clipped at the top edge
    ((20.3, 20.8), (20.3, 20.8), 1),         # a 1-pixel brush still paints its pixel
    ((-5.0, 10.0), (50.0, 30.0), 3),         # starts and ends outside the mask
])
def test_paint_segment_changes_exactly_the_capsule(p0, p1, size):
    mask = np.zeros((32, 40), dtype=np.uint8)
    rect = painting.paint_segment(mask, p0, p1, size, 13)
    expected = brute_force_capsule(mask.shape, p0, p1, size)
    assert np.array_equal(mask == 13, expected)
    outside = np.ones_like(expected)
    outside[rect.slices] = False
    assert not (expected & outside).any(), "the dirty rect must hold every painted pixel"


def test_copy_segment_restores_only_under_the_brush():
    source = np.random.default_rng(1).integers(0, 19, (24, 24), dtype=np.uint8)
    mask = np.full_like(source, 7)
    painting.copy_segment(mask, source, (4.0, 4.0), (18.0, 9.0), 4)
    covered = brute_force_capsule(mask.shape, (4.0, 4.0), (18.0, 9.0), 4)
    assert np.array_equal(mask[covered], source[covered])
    assert (mask[~covered] == 7).all()


def test_flood_fill_fills_one_four_connected_region():
    mask = np.zeros((10, 10), dtype=np.uint8)
    mask[:, 5] = 1                  # a wall
    mask[2, 2] = 3                  # an island inside the left region
    mask[0, 6] = 0
    rect = painting.flood_fill(mask, (1.5, 1.5), 13)
    left = mask[:, :5]
    assert ((left == 13) | (left == 3)).all()
    assert mask[2, 2] == 3 and (mask[:, 5] == 1).all()
    assert (mask[:, 6:] == 0).all(), "the right region is not connected"
    assert rect == Rect(0, 0, 10, 5)


def test_flood_fill_is_a_no_op_on_the_same_class_or_outside():
    mask = np.ones((5, 5), dtype=np.uint8)
    assert painting.flood_fill(mask, (2, 2), 1).is_empty
    assert painting.flood_fill(mask, (-1, 2), 4).is_empty
    assert (mask == 1).all()


def test_flood_fill_does_not_leak_diagonally():
    mask = np.zeros((4, 4), dtype=np.uint8)
    mask[[0, 1, 2, 3], [3, 2, 1, 0]] = 5      # an anti-diagonal line: 4-connected fill stops at it
    painting.flood_fill(mask, (0.5, 0.5), 9)
    assert mask[3, 3] == 0 and mask[0, 0] == 9


def test_label_at():
    mask = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert painting.label_at(mask, (2.9, 1.1)) == 6
    assert painting.label_at(mask, (4.0, 0.0)) is None
