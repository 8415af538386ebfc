"""A face cut from a photo: the photo frame in the document and in projects, and whole-mask replacement."""

import json
import zipfile

import numpy as np
import pytest
from app_support import face

from maskgan_studio.core import MaskDocument, PhotoFrame, ProjectState, Stroke, load_project, save_project
from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.labels import ID

MATRIX = np.array([[0.5, -0.1, 3.25], [0.1, 0.5, -7.5]])


def photo(height=90, width=130, seed=1):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


@pytest.fixture
def from_photo():
    document = MaskDocument(*face(48), photo=PhotoFrame(photo(), MATRIX, "mediapipe"))
    Stroke(document).paint((5, 5), (40, 30), 6, ID["hat"])
    return document


def test_the_frame_is_a_read_only_copy():
    pixels = photo()
    original = pixels.copy()
    frame = PhotoFrame(pixels, MATRIX, "haar")
    pixels[:] = 0
    assert np.array_equal(frame.photo, original) and frame.photo_size == (90, 130)
    with pytest.raises(ValueError):
        frame.photo[0, 0] = 1
    with pytest.raises(ValueError):
        frame.matrix[0, 0] = 1


@pytest.mark.parametrize("matrix, photo_pixels", [
    (np.zeros((2, 3)), photo()),                                   # not invertible
    (np.ones((3, 3)), photo()),                                    # wrong shape
    (np.array([[np.nan, 0, 0], [0, 1, 0]]), photo()),              # not finite
    (MATRIX, np.zeros((10, 10), np.uint8)),                        # not RGB
])
def test_bad_frames_are_refused(matrix, photo_pixels):
    with pytest.raises(StudioError):
        PhotoFrame(photo_pixels, matrix)


def test_a_face_from_a_photo_must_be_square():
    image, mask = face(48)
    with pytest.raises(StudioError, match="square"):
        MaskDocument(image[:, :40], mask[:, :40], photo=PhotoFrame(photo(), MATRIX))


def test_project_round_trip_keeps_the_photo_and_its_transform(tmp_path, from_photo):
    save_project(tmp_path / "p.maskgan", ProjectState.of(from_photo))
    state = load_project(tmp_path / "p.maskgan")
    assert np.array_equal(state.photo.photo, from_photo.photo.photo)
    assert np.array_equal(state.photo.matrix, MATRIX) and state.photo.method == "mediapipe"
    assert np.array_equal(state.edited_mask, from_photo.edited_mask)
    document = state.to_document()
    assert np.array_equal(document.photo.photo, from_photo.photo.photo)
    other = MaskDocument(*face(32))
    state.apply_to(other)
    assert other.photo is not None and other.shape == (48, 48)


def test_a_project_without_a_photo_opens_as_before(tmp_path):
    document = MaskDocument(*face(32))
    save_project(tmp_path / "old.maskgan", ProjectState.of(document))
    with zipfile.ZipFile(tmp_path / "old.maskgan") as archive:
        assert "photo.png" not in archive.namelist()
        assert "photo" not in json.loads(archive.read("project.json"))
    assert load_project(tmp_path / "old.maskgan").photo is None
    with_photo = MaskDocument(*face(32), photo=PhotoFrame(photo(), MATRIX))
    ProjectState.of(document).apply_to(with_photo)
    assert with_photo.photo is None, "opening a plain project forgets the previous photo"


def _rewrite(src, dst, drop=(), manifest=None):
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            if name in drop:
                continue
            data = old.read(name)
            if name == "project.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            new.writestr(name, data)


@pytest.mark.parametrize("drop, manifest, problem", [
    (("photo.png",), None, "photo.png is missing"),
    ((), lambda m: {**m, "photo": {"matrix": [[0, 0, 0], [0, 0, 0]]}}, "not invertible"),
    ((), lambda m: {**m, "photo": {"matrix": "three by two"}}, "not a matrix"),
    ((), lambda m: {**m, "photo": "here"}, "transform is missing"),
])
def test_a_damaged_photo_entry_is_refused(tmp_path, from_photo, drop, manifest, problem):
    save_project(tmp_path / "good.maskgan", ProjectState.of(from_photo))
    _rewrite(tmp_path / "good.maskgan", tmp_path / "bad.maskgan", drop, manifest)
    with pytest.raises(InputFileError, match=problem):
        load_project(tmp_path / "bad.maskgan")


def test_replacing_the_whole_mask_is_one_tight_atom(from_photo):
    document = from_photo
    before = document.edited_mask.copy()
    new = before.copy()
    new[10:20, 30:33] = ID["nose"]
    new[25, 12] = ID["mouth"]
    atom = document.replace_edited_mask(new, "Auto mask")
    assert atom.rect == (10, 12, 26, 33) and atom.label == "Auto mask"
    assert np.array_equal(document.edited_mask, new)
    document.apply_atom(atom, undo=True)
    assert np.array_equal(document.edited_mask, before)
    assert document.replace_edited_mask(before, "Again") is None
    with pytest.raises(StudioError):
        document.replace_edited_mask(new[:10], "Wrong size")
