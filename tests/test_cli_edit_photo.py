"""``maskgan-studio edit`` on a photo (no --mask): find, align, auto-mask, edit, paste back into the photo."""

import json

import numpy as np
import pytest

from engine_support import tiny_model
from maskgan_studio.checkpoints import save_bundle
from maskgan_studio.cli import main
from maskgan_studio.io import read_image, read_mask, write_image, write_mask
from maskgan_studio.labels import ID
from maskgan_studio.photos import detect_faces
from maskgan_studio.synth import sample

FACE_AT = (60, 150)  # top-left corner of the 256 px face in the 400 x 520 photo


def make_photo() -> np.ndarray:
    """A procedural face (one both detectors find) on a patterned backdrop of another size."""
    face, _, _ = sample(3, 256)
    photo = np.zeros((400, 520, 3), np.uint8)
    photo[..., 0] = 90
    photo[..., 1] = np.arange(520)[None] % 256
    photo[..., 2] = np.arange(400)[:, None] % 256
    top, left = FACE_AT
    photo[top : top + 256, left : left + 256] = face
    return photo


@pytest.fixture(scope="module")
def photo_files(tmp_path_factory):
    """The photo, the mask ``parse`` writes for it, and a model."""
    folder = tmp_path_factory.mktemp("photo")
    paths = {"photo": folder / "photo.png", "mask": folder / "mask.png", "model": folder / "tiny.safetensors"}
    write_image(paths["photo"], make_photo())
    assert main(["parse", str(paths["photo"]), "--out", str(paths["mask"])]) == 0
    save_bundle(paths["model"], tiny_model())
    return paths


def edit_argv(files, edited, out, *extra):
    return ["edit", "--image", str(files["photo"]), "--edited-mask", str(edited), "--out", str(out),
            "--model", str(files["model"]), "--device", "cpu", *extra]


def test_the_procedural_photo_has_one_face():
    assert len(detect_faces(make_photo())) == 1


def test_an_edit_is_pasted_back_into_the_full_photo_and_nothing_far_from_it_changes(photo_files, tmp_path, capsys):
    capsys.readouterr()
    mask = read_mask(photo_files["mask"])
    nose = np.argwhere(mask == ID["nose"])
    (top, left), (bottom, right) = nose.min(axis=0), nose.max(axis=0) + 1
    edited = mask.copy()
    window = edited[top:bottom, left - 12 : right + 12]
    window[window == ID["skin"]] = ID["nose"]  # a wider nose
    edited_path, out = tmp_path / "edited.png", tmp_path / "out.png"
    write_mask(edited_path, edited)

    assert main([*edit_argv(photo_files, edited_path, out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["face_method"] in ("mediapipe", "haar") and "face 0 of 1" in report["face"]

    photo, result = read_image(photo_files["photo"]), read_image(out)
    assert result.shape == photo.shape
    changed = np.any(result != photo, axis=2)
    assert changed[top:bottom, left - 12 : right + 12].mean() > 0.5
    far = np.ones(photo.shape[:2], bool)
    far[top - 40 : bottom + 40, left - 52 : right + 52] = False
    assert not changed[far].any()  # bit for bit: the backdrop and the rest of the face


def test_the_unedited_mask_gives_back_the_photo_bit_for_bit(photo_files, tmp_path):
    out = tmp_path / "same.png"
    assert main(edit_argv(photo_files, photo_files["mask"], out)) == 0
    assert np.array_equal(read_image(out), read_image(photo_files["photo"]))


def test_a_photo_without_a_face_is_one_line_and_exit_2_naming_whole_image(photo_files, tmp_path, capsys):
    wall = tmp_path / "wall.png"
    write_image(wall, np.full((120, 160, 3), 200, np.uint8))
    edited = tmp_path / "edited.png"
    write_mask(edited, np.zeros((120, 160), np.uint8))
    out = tmp_path / "out.png"
    argv = ["edit", "--image", str(wall), "--edited-mask", str(edited), "--out", str(out),
            "--model", str(photo_files["model"]), "--device", "cpu"]
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(wall) in err and "no face found" in err and "--whole-image" in err
    assert not out.exists()
    assert main([*argv, "--whole-image"]) == 0
    assert read_image(out).shape == (120, 160, 3)


def test_photo_options_with_a_mask_and_a_mask_of_another_size_are_refused(photo_files, tmp_path, capsys):
    out = tmp_path / "out.png"
    argv = edit_argv(photo_files, photo_files["mask"], out)
    capsys.readouterr()
    assert main([*argv, "--mask", str(photo_files["mask"]), "--face", "0"]) == 2
    assert "--face: only for photos, which are edited without --mask" in capsys.readouterr().err
    small = tmp_path / "small.png"
    write_mask(small, read_mask(photo_files["mask"])[::2, ::2])
    assert main(edit_argv(photo_files, small, out)) == 2
    assert "260x200 but the image is 520x400" in capsys.readouterr().err
    assert not out.exists()


def test_a_mask_made_for_another_face_is_warned_about(tmp_path, capsys):
    """Face 0's mask with --face 1 would draw a garbage face 1: the edit says so."""
    photo = np.full((400, 760, 3), 90, np.uint8)
    photo[60:316, 40:296] = sample(3, 256)[0]
    photo[100:300, 460:660] = sample(5, 200)[0]
    write_image(tmp_path / "pair.png", photo)
    files = {"photo": tmp_path / "pair.png", "model": save_bundle(tmp_path / "tiny.safetensors", tiny_model())}
    assert main(["parse", str(files["photo"]), "--out", str(tmp_path / "face0.png"), "--face", "0"]) == 0
    edited = read_mask(tmp_path / "face0.png")
    edited[20:40, 100:250] = ID["hat"]
    write_mask(tmp_path / "edited0.png", edited)
    capsys.readouterr()
    assert main(edit_argv(files, tmp_path / "edited0.png", tmp_path / "ok.png", "--face", "0")) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(edit_argv(files, tmp_path / "edited0.png", tmp_path / "odd.png", "--face", "1")) == 0
    warning = capsys.readouterr().err
    assert "warning: " in warning and "edited0.png differs from the automatic mask of face 1 of 2" in warning
    assert "made for another face" in warning
