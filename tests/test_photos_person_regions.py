"""Hair, neck, clothes and background below and beside a drawn face: bare shoulders, the
segmenter's stray pixels and a thin necklace are background, the neck under the chin stays neck,
a shirt is clothes, and white below the jaw is hair only when the hair is white."""

import cv2
import numpy as np
import pytest

from maskgan_studio.labels import ID
from maskgan_studio.photos import landmarks as lm
from maskgan_studio.photos import person_regions
from maskgan_studio.photos.face_frame import CHIN, EAR_LEVEL, FOREHEAD, JAW_CORNERS, FaceFrame
from maskgan_studio.photos.person_regions import NOSE_BOTTOM, PAINTED_CLASSES, paint_person_regions

SIZE = 256
CHIN_AT = np.array([128.0, 200.0])
SKIN, NECK_SKIN, HAIR, BACKDROP = (205, 155, 125), (170, 120, 95), (60, 40, 30), (70, 90, 160)
GOLD, SHIRT, WHITE, JACKET = (200, 160, 40), (40, 120, 60), (235, 235, 230), (30, 30, 35)


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


U, V = FaceFrame.from_mesh(_mesh()).coordinates((SIZE, SIZE))
OVAL = _ellipse((0, -75), (62, 75))
HEAD = (V < 0) & ((U / 1.5) ** 2 + ((V + 0.6) / 0.8) ** 2 < 1)


@pytest.fixture(scope="module")
def scene():
    return _paint_scene()


def _paint_scene(worn=None, top=-np.inf):
    """Hair over a face on a blue backdrop, a neck under the chin, bare shoulders beside it, and
    someone else's skin-coloured arm at the left edge that the segmenter took in beside the hair.
    ``worn(rgb)`` draws what the person wears over that and returns its pixels; the crop cuts the
    head at ``v = top``."""
    u, v, oval, head = U, V, OVAL, HEAD
    features = _ellipse((-30, -85), (12, 5)) | _ellipse((30, -85), (12, 5)) | _ellipse((0, -25), (20, 6))
    brows = _ellipse((-30, -105), (16, 3)) | _ellipse((30, -105), (16, 3))
    neck = (np.abs(u) < 0.75) & (v > -0.3)
    shoulders = (v > 0.15) & (np.abs(u) >= 0.75) & (np.abs(u) < 2.2)
    stray = (u < -1.9) & (v > -0.9) & (v < -0.4)
    arm = np.zeros((SIZE, SIZE), bool)
    arm[:, :24] = True
    rgb = np.empty((SIZE, SIZE, 3), np.float64)
    rgb[:] = BACKDROP
    rgb[arm | stray] = SKIN
    rgb[head], rgb[neck], rgb[shoulders], rgb[oval], rgb[brows] = HAIR, NECK_SKIN, SKIN, SKIN, HAIR
    worn_pixels = worn(rgb) if worn else np.zeros((SIZE, SIZE), bool)
    rgb = np.clip(rgb + np.random.default_rng(0).normal(0, 3, rgb.shape), 0, 255).astype(np.uint8)
    person = (head | oval | neck | shoulders | stray | worn_pixels) & (v >= top)
    rgb[v < top] = BACKDROP
    labels = np.zeros((SIZE, SIZE), np.uint8)
    paint_person_regions(labels, rgb, _mesh(), person, oval, features | brows)
    return labels, u, v, {"head": head, "shoulders": shoulders, "stray": stray, "worn": worn_pixels}


def _share(labels, where, name) -> float:
    return float((labels[where] == ID[name]).mean())


def test_bare_shoulders_beside_the_neck_are_background_and_the_neck_stays_neck(scene):
    labels, u, v, drawn = scene
    assert _share(labels, drawn["shoulders"] & (np.abs(u) > 1.3) & (v > 0.25), "background") > 0.95
    assert _share(labels, (np.abs(u) < 0.3) & (v > 0.1), "neck") > 0.95
    assert not (labels == ID["cloth"]).any()  # nothing in the picture is a garment
    assert set(np.unique(labels)) <= set(PAINTED_CLASSES)


def test_stray_person_pixels_that_look_like_the_backdrop_are_background_not_hair(scene):
    labels, _, v, drawn = scene
    assert _share(labels, drawn["stray"], "background") > 0.95
    assert _share(labels, drawn["head"] & (v < -1.1), "hair") > 0.95


def _necklace(rgb) -> np.ndarray:
    """A gold chain 5 px wide hanging in a V from both shoulders to below the throat."""
    chain = np.zeros((SIZE, SIZE), np.uint8)
    points = (CHIN_AT + [(-95, 15), (0, 52), (95, 15)]).astype(np.int32)
    cv2.polylines(chain, [points], False, 1, thickness=5)
    rgb[chain > 0] = GOLD
    return chain > 0


def _shirt(rgb) -> np.ndarray:
    """A green shirt over the shoulders and chest, open at the neck."""
    shirt = (V > 0.2) & (np.abs(U) > 0.6 - (V - 0.2) * 0.5)
    rgb[shirt] = SHIRT
    return shirt


def test_a_thin_necklace_over_bare_skin_is_not_clothes():
    labels, _, _, drawn = _paint_scene(_necklace)
    assert not (labels == ID["cloth"]).any()
    assert _share(labels, drawn["worn"], "background") > 0.5


def test_a_shirt_over_the_shoulders_is_clothes():
    labels, _, _, drawn = _paint_scene(_shirt)
    assert _share(labels, drawn["worn"], "cloth") > 0.9


def _suit(rgb) -> np.ndarray:
    """A dark jacket over the shoulders, open on a white shirt buttoned up to the throat; returns
    the shirt."""
    shirt = (V > 0.12) & (np.abs(U) < 0.8)
    rgb[(V > 0.12) & (np.abs(U) < 2.2)] = JACKET
    rgb[shirt] = WHITE
    return shirt


def test_a_white_shirt_under_the_chin_is_clothes_not_neck():
    labels, u, v, drawn = _paint_scene(_suit)
    assert _share(labels, drawn["worn"] & (np.abs(u) < 0.6), "cloth") > 0.9
    assert _share(labels, (np.abs(u) < 0.3) & (v > 0.02) & (v < 0.08), "neck") > 0.9



COLLAR = (V > -0.1) & (np.abs(U) > 0.8) & (np.abs(U) < 1.4)
WHITE_LOCKS = (V > -0.2) & (V < 0.5) & (np.abs(U) > 0.8) & (np.abs(U) < 1.3)


def _white_collar(rgb) -> np.ndarray:
    """A white collar on the shoulders beside the neck; returns it."""
    rgb[COLLAR] = WHITE
    return COLLAR


def _white_hair_and_locks(rgb) -> np.ndarray:
    """White hair on the head and locks of it hanging below the jaw; returns the locks."""
    rgb[(HEAD & ~OVAL) | WHITE_LOCKS] = WHITE
    return WHITE_LOCKS


def _hair_grabcut_takes(pixels, monkeypatch):
    """Make the hair GrabCut (the first of the two) claim ``pixels`` as well, as its colour model
    did on a photo whose dark cap bore a white logo: it took the white shirt below the jaw."""
    grabcut = person_regions._grabcut
    calls = []

    def hair_grabcut_claiming_pixels(*args, **kwargs):
        calls.append(None)
        found = grabcut(*args, **kwargs)
        return found | pixels if len(calls) == 1 else found

    monkeypatch.setattr(person_regions, "_grabcut", hair_grabcut_claiming_pixels)


def test_white_below_the_jaw_is_not_hair_when_the_hair_is_dark(monkeypatch):
    _hair_grabcut_takes(COLLAR, monkeypatch)
    labels, _, v, drawn = _paint_scene(_white_collar)
    assert _share(labels, drawn["worn"] & (v > 0.1), "hair") < 0.05
    assert _share(labels, drawn["worn"] & (v > 0.1), "cloth") > 0.9


def test_white_hair_hanging_below_the_jaw_stays_hair(monkeypatch):
    _hair_grabcut_takes(WHITE_LOCKS, monkeypatch)
    labels, _, v, drawn = _paint_scene(_white_hair_and_locks)
    assert _share(labels, drawn["worn"] & (v > 0.1), "hair") > 0.9


def _long_hair(rgb) -> np.ndarray:
    """Locks hanging beside the face from the temples to below the jaw; returns them."""
    locks = (V > -0.6) & (V < 0.5) & (np.abs(U) > 0.85) & (np.abs(U) < 1.4)
    rgb[locks] = HAIR
    return locks


def test_long_hair_below_the_jaw_is_hair_when_the_crop_cuts_off_the_top_of_the_head():
    labels, _, v, drawn = _paint_scene(_long_hair, top=-1.15)
    assert _share(labels, drawn["worn"] & (v > 0.1), "hair") > 0.9


def _strand_over_the_temple(rgb) -> np.ndarray:
    """A lock of hair over the face's outline at the temple, between the brows' and the eyes' level;
    returns it."""
    strand = (V > -0.69) & (V < -0.58) & (U > -1.2) & (U < -0.9)
    rgb[strand] = HAIR
    return strand


def test_hair_over_the_face_outline_below_the_brows_is_hair():
    labels, _, _, drawn = _paint_scene(_strand_over_the_temple)
    assert _share(labels, drawn["worn"] & OVAL, "hair") > 0.9
