"""The face's own frame, the eyes' outline and the sunglasses test, on meshes and images the tests draw."""

import numpy as np
import pytest

from maskgan_studio.photos import landmarks as lm
from maskgan_studio.photos.eyewear import sunglasses
from maskgan_studio.photos.face_frame import CHIN, FOREHEAD, JAW_CORNERS, FaceFrame
from maskgan_studio.photos.face_parts import EYE_CORNERS, LOWER_LID_LIFT, eye_outline, polygon_mask


def _mesh(angle_degrees=0.0, centre=(128.0, 128.0), scale=1.0):
    """A 478-point mesh with the points the frame and the lens test read: an upright face of
    height 150 px, jaw corners 120 px apart, eyes 60 px apart, then rotated and placed."""
    mesh = np.zeros((478, 2))
    mesh[FOREHEAD], mesh[CHIN] = (0, -90), (0, 60)
    mesh[list(JAW_CORNERS)] = (-60, 30), (60, 30)
    circle = np.linspace(0, 2 * np.pi, len(lm.LEFT_EYE), endpoint=False)
    eye = np.stack([12 * np.cos(circle), 5 * np.sin(circle)], axis=1)
    mesh[list(lm.RIGHT_EYE)], mesh[list(lm.LEFT_EYE)] = eye + (-30, -30), eye + (30, -30)
    brow = np.stack([np.linspace(-14, 14, len(lm.LEFT_BROW)), np.full(len(lm.LEFT_BROW), -44.0)], axis=1)
    mesh[list(lm.RIGHT_BROW)], mesh[list(lm.LEFT_BROW)] = brow + (-30, 0), brow + (30, 0)
    turn = np.radians(angle_degrees)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    return mesh @ rotation.T * scale + centre


@pytest.mark.parametrize("angle", [0.0, 25.0, -40.0])
def test_face_frame_follows_the_face_whatever_its_roll_and_size(angle):
    mesh = _mesh(angle, centre=(140.0, 120.0), scale=0.8)
    frame = FaceFrame.from_mesh(mesh)
    assert frame.height == pytest.approx(150 * 0.8) and frame.half_jaw == pytest.approx(60 * 0.8)
    u, v = frame.coordinates((256, 256))
    for point, expected in ((mesh[CHIN], (0, 0)), (mesh[FOREHEAD], (0, -1)), (mesh[JAW_CORNERS[1]], (1, -0.2))):
        x, y = np.rint(point).astype(int)
        assert u[y, x] == pytest.approx(expected[0], abs=0.03) and v[y, x] == pytest.approx(expected[1], abs=0.03)
    assert frame.v_of(mesh[[FOREHEAD, CHIN]]) == pytest.approx([-1, 0])


@pytest.mark.parametrize("angle", [0.0, 25.0, -40.0])
def test_eye_outline_lifts_only_the_lower_lid_towards_the_corners_line(angle):
    """The helper's eye: corners at positions 0 and 8, lower lid 5 px deep between them."""
    mesh = _mesh(angle)
    raw, lifted = mesh[list(lm.LEFT_EYE)], eye_outline(mesh, lm.LEFT_EYE)
    first, last = raw[list(EYE_CORNERS)]
    along = (last - first) / np.linalg.norm(last - first)
    normal = np.array([-along[1], along[0]])
    lower, upper = slice(1, 8), slice(9, None)
    assert lifted[list(EYE_CORNERS)] == pytest.approx(raw[list(EYE_CORNERS)])
    assert lifted[upper] == pytest.approx(raw[upper])
    depth_before, depth_after = (raw[lower] - first) @ normal, (lifted[lower] - first) @ normal
    assert depth_after == pytest.approx((1 - LOWER_LID_LIFT) * depth_before)
    assert np.abs(depth_before).max() == pytest.approx(5.0, abs=0.1)
    centre = mesh[list(lm.LEFT_EYE)].mean(axis=0)
    shape = (256, 256)
    assert polygon_mask(shape, lifted).sum() < polygon_mask(shape, raw).sum()
    assert polygon_mask(shape, lifted)[tuple(np.rint(centre[::-1]).astype(int))]


def _face_lightness(lens_value):
    mesh = _mesh()
    lightness = np.full((256, 256), 180.0, np.float32)  # cheeks and forehead
    eyes = {"l_eye": polygon_mask((256, 256), mesh[list(lm.LEFT_EYE)]),
            "r_eye": polygon_mask((256, 256), mesh[list(lm.RIGHT_EYE)])}
    for eye in eyes.values():
        lightness[eye] = 40.0  # iris and lashes: dark even when the eye is bare
    if lens_value is not None:
        for x in (128 - 30, 128 + 30):
            lightness[128 - 40 : 128 - 10, x - 20 : x + 20] = lens_value
    cheeks = np.zeros((256, 256), bool)
    cheeks[128 : 128 + 30, 128 - 50 : 128 + 50] = True
    return lightness, mesh, eyes, cheeks


def test_dark_lenses_over_both_eyes_are_found_with_their_extent():
    lenses = sunglasses(*_face_lightness(lens_value=20.0))
    assert lenses is not None
    assert lenses[128 - 30, 128 - 30] and lenses[128 - 30, 128 + 30] and lenses[128 - 15, 128 + 45]
    assert not lenses[128 + 20, 128] and not lenses[128 - 60, 128 - 30]


def test_dark_eyes_on_bare_skin_are_not_sunglasses():
    assert sunglasses(*_face_lightness(lens_value=None)) is None
