"""Finding faces and their eyes: mediapipe when installed, the Haar cascades always."""

import numpy as np
import pytest
import skimage.data

from maskgan_studio.photos import detect_faces, mediapipe_models

METHODS = ["haar", pytest.param("mediapipe", marks=pytest.mark.skipif(
    not mediapipe_models.available(), reason="mediapipe is not installed (the photos extra)"))]


@pytest.fixture(scope="module")
def astronaut():
    return skimage.data.astronaut()


@pytest.mark.parametrize("method", METHODS)
def test_astronaut_face_and_level_eye_line(astronaut, method):
    faces = detect_faces(astronaut, method)
    assert len(faces) == 1
    face = faces[0]
    assert face.method == method
    x0, y0, x1, y1 = face.box
    assert 150 < x0 < 200 and 250 < x1 < 300 and 40 < y0 < 90 and 140 < y1 < 200
    eye_axis = face.left_eye - face.right_eye
    assert 35 < eye_axis[0] < 55  # her left eye is on the image's right
    assert abs(eye_axis[1]) < 0.15 * eye_axis[0]
    assert np.allclose(face.right_eye, (203, 101), atol=6) and np.allclose(face.left_eye, (246, 103), atol=6)
    assert 130 < face.mouth[1] < 150 and abs(face.mouth[0] - 223) < 8


@pytest.mark.skipif(not mediapipe_models.available(), reason="mediapipe is not installed (the photos extra)")
def test_mesh_nose_tip_on_astronaut(astronaut):
    mesh = detect_faces(astronaut, "mediapipe")[0].mesh
    assert mesh.shape == (478, 2)
    assert np.allclose(mesh[1], (223, 130), atol=4)


@pytest.mark.parametrize("method", ["auto", *METHODS])
def test_no_face_in_flat_or_noise_images(method):
    rng = np.random.default_rng(0)
    assert detect_faces(np.full((240, 320, 3), 128, np.uint8), method) == []
    assert detect_faces(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8), method) == []


def test_several_faces_come_largest_first(astronaut):
    small = astronaut[::2, ::2]
    canvas = np.full((600, 900, 3), 90, np.uint8)
    canvas[40:552, 10:522] = astronaut
    canvas[300:556, 620:876] = small
    faces = detect_faces(canvas, "haar")
    assert len(faces) == 2
    assert faces[0].area > faces[1].area
    assert faces[0].left_eye[0] < 522 < faces[1].right_eye[0]


def test_unknown_method_is_refused(astronaut):
    with pytest.raises(ValueError, match="unknown detection method"):
        detect_faces(astronaut, "dlib")
