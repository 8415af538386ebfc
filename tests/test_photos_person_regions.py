"""Hair, neck and background below and beside a drawn face: bare shoulders and the segmenter's
stray pixels are background, the neck under the chin stays neck."""

import cv2
import numpy as np
import pytest

from maskgan_studio.labels import ID
from maskgan_studio.photos import landmarks as lm
from maskgan_studio.photos.face_frame import CHIN, EAR_LEVEL, FOREHEAD, JAW_CORNERS, FaceFrame
from maskgan_studio.photos.person_regions import NOSE_BOTTOM, paint_person_regions

SIZE = 256
CHIN_AT = np.array([128.0, 200.0])
SKIN, NECK_SKIN, HAIR, BACKDROP = (205, 155, 125), (170, 120, 95), (60, 40, 30), (70, 90, 160)


def _mesh():
    """The points the regions read, for an upright face 150 px high with its chin at CHIN_AT."""
    mesh = np.zeros((478, 2))
    mesh[FOREHEAD], mesh[CHIN] = (0, -150), (0, 0)
    mesh[list(JAW_CORNERS)] = (-55, -30), (55, -30)
    mesh[list(EAR_LEVEL)] = (-62, -85), (62, -85)
    mesh[NOSE_BOTTOM] = (0, -45)
    circle = np.linspace(0, 2 * np.pi, len(lm.LEFT_EYE), endpoint=False)
    eye = np.stack([12 * np.cos(circle), 5 * np.sin(circle)], axis=1)
    mesh[list(lm.RIGHT_EYE)], mesh[list(lm.LEFT_EYE)] = eye + (-30, -85), eye + (30, -85)
    mesh[[105, 334]] = (-30, -105), (30, -105)  # the brows' middles
    return mesh + CHIN_AT


def _ellipse(centre, axes) -> np.ndarray:
    mask = np.zeros((SIZE, SIZE), np.uint8)
    cv2.ellipse(mask, tuple(int(c) for c in CHIN_AT + centre), axes, 0, 0, 360, 1, thickness=-1)
    return mask > 0


@pytest.fixture(scope="module")
def scene():
    """Hair over a face on a blue backdrop, a neck under the chin, bare shoulders beside it, and
    someone else's skin-coloured arm at the left edge that the segmenter took in beside the hair."""
    mesh = _mesh()
    u, v = FaceFrame.from_mesh(mesh).coordinates((SIZE, SIZE))
    oval = _ellipse((0, -75), (62, 75))
    features = _ellipse((-30, -85), (12, 5)) | _ellipse((30, -85), (12, 5)) | _ellipse((0, -25), (20, 6))
    brows = _ellipse((-30, -105), (16, 3)) | _ellipse((30, -105), (16, 3))
    head = (v < 0) & ((u / 1.5) ** 2 + ((v + 0.6) / 0.8) ** 2 < 1)
    neck = (np.abs(u) < 0.75) & (v > -0.3)
    shoulders = (v > 0.15) & (np.abs(u) >= 0.75) & (np.abs(u) < 2.2)
    stray = (u < -1.9) & (v > -0.9) & (v < -0.4)
    arm = np.zeros((SIZE, SIZE), bool)
    arm[:, :24] = True
    rgb = np.empty((SIZE, SIZE, 3), np.float64)
    rgb[:] = BACKDROP
    rgb[arm | stray] = SKIN
    rgb[head], rgb[neck], rgb[shoulders], rgb[oval], rgb[brows] = HAIR, NECK_SKIN, SKIN, SKIN, HAIR
    rgb = np.clip(rgb + np.random.default_rng(0).normal(0, 3, rgb.shape), 0, 255).astype(np.uint8)
    person = head | oval | neck | shoulders | stray
    labels = np.zeros((SIZE, SIZE), np.uint8)
    paint_person_regions(labels, rgb, mesh, person, oval, features | brows)
    return labels, u, v, {"head": head, "shoulders": shoulders, "stray": stray}


def _share(labels, where, name) -> float:
    return float((labels[where] == ID[name]).mean())


def test_bare_shoulders_beside_the_neck_are_background_and_the_neck_stays_neck(scene):
    labels, u, v, drawn = scene
    assert _share(labels, drawn["shoulders"] & (np.abs(u) > 1.3) & (v > 0.25), "background") > 0.95
    assert _share(labels, (np.abs(u) < 0.3) & (v > 0.1), "neck") > 0.95
    assert not (labels == ID["cloth"]).any()  # nothing in the picture is a garment


def test_stray_person_pixels_that_look_like_the_backdrop_are_background_not_hair(scene):
    labels, _, v, drawn = scene
    assert _share(labels, drawn["stray"], "background") > 0.95
    assert _share(labels, drawn["head"] & (v < -1.1), "hair") > 0.95
