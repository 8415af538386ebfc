"""``edit --style-ref CLASSES=IMAGE``: classes drawn in another face's style; bad references refused."""

import json

import numpy as np
import pytest

from engine_support import edit_files, refused
from maskgan_studio.cli import main
from maskgan_studio.io import read_image, write_image, write_mask
from maskgan_studio.labels import ID
from maskgan_studio.synth import sample


@pytest.fixture
def files(tmp_path):
    paths = edit_files(tmp_path, 96)
    paths["out"] = tmp_path / "out.png"
    b_image, b_mask, _ = sample(5, 96)
    paths["b"] = tmp_path / "b.png"
    write_image(paths["b"], b_image)
    write_mask(tmp_path / "b_mask.png", b_mask)
    return paths


def _argv(files, *extra, edited="mask"):
    return ["edit", "--image", str(files["image"]), "--mask", str(files["mask"]), "--edited-mask",
            str(files[edited]), "--out", str(files["out"]), "--model", str(files["model"]), "--device", "cpu",
            "--texture", "generator", *extra]


def test_style_ref_redraws_only_the_named_classes(files, capsys):
    assert main(_argv(files, "--style-ref", f"hair={files['b']}", "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["style_refs"] == [f"hair={files['b']}"]
    image, mask = read_image(files["image"]), sample(1, 96)[1]
    result = read_image(files["out"])
    hair = mask == ID["hair"]
    assert np.abs(result[hair].astype(int) - image[hair]).mean() > 5
    assert main(_argv(files)) == 0  # the mask unchanged and no style ref: the photo itself
    assert np.array_equal(read_image(files["out"]), image)


def test_repeated_style_refs_with_groups_each_restyle_their_classes(files, tmp_path):
    c_image, c_mask, _ = sample(6, 96)
    write_image(tmp_path / "c.png", c_image)
    write_mask(tmp_path / "c_mask.png", c_mask)
    assert main(_argv(files, "--style-ref", f"hair={files['b']}")) == 0
    hair_only = read_image(files["out"])
    assert main(_argv(files, "--style-ref", f"hair={files['b']}", "--style-ref", f"lips,skin={tmp_path / 'c.png'}")) == 0
    both = read_image(files["out"])
    skin = sample(1, 96)[1] == ID["skin"]
    assert np.abs(both[skin].astype(int) - hair_only[skin]).mean() > 2


def test_a_reference_lacking_the_class_gives_a_note_not_an_error(files, tmp_path, capsys):
    bald_image, bald_mask, _ = sample(7, 96)
    write_image(tmp_path / "bald.png", bald_image)
    write_mask(tmp_path / "bald_mask.png", bald_mask)
    assert main(_argv(files, "--style-ref", f"hair={tmp_path / 'bald.png'}")) == 0
    assert "note: Hair: the style face has none" in capsys.readouterr().err


def test_an_unknown_class_name_is_refused(files, capsys):
    refused(files, capsys, _argv(files, "--style-ref", f"fur={files['b']}"), "--style-ref", "'fur'", "hair")


def test_a_malformed_style_ref_is_refused(files, capsys):
    refused(files, capsys, _argv(files, "--style-ref", str(files["b"])), "CLASSES=IMAGE")


def test_a_missing_reference_file_is_refused(files, capsys, tmp_path):
    refused(files, capsys, _argv(files, "--style-ref", f"hair={tmp_path / 'nobody.png'}"), "nobody.png",
             "no such file")


def test_a_faceless_reference_without_a_mask_is_refused(files, capsys, tmp_path):
    write_image(tmp_path / "wall.png", np.full((96, 96, 3), 128, np.uint8))
    refused(files, capsys, _argv(files, "--style-ref", f"hair={tmp_path / 'wall.png'}"), "wall.png",
             "no face found")
