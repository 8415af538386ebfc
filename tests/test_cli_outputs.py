"""``edit`` and ``parse`` outputs: never one of the inputs, and a full disk is one line, exit 2."""

import os

import pytest
import skimage.data
from disk_support import fill_disk
from engine_support import edit_files

from maskgan_studio.cli import main
from maskgan_studio.io import write_image


@pytest.fixture
def files(tmp_path):
    return edit_files(tmp_path, 64)


def _edit(files, out):
    return main(["edit", "--image", str(files["image"]), "--mask", str(files["mask"]), "--edited-mask",
                 str(files["edited"]), "--model", str(files["model"]), "--device", "cpu", "--out", str(out)])


def _one_line(capsys, *words):
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("input_name, flag", [("image", "--image"), ("mask", "--mask"), ("edited", "--edited-mask")])
def test_edit_refuses_to_write_over_an_input(files, tmp_path, capsys, input_name, flag):
    before = files[input_name].read_bytes()
    os.symlink(files[input_name], tmp_path / "link.png")
    for out in (tmp_path / "sub" / ".." / f"{input_name}.png", tmp_path / "link.png"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        assert _edit(files, out) == 2
        _one_line(capsys, f"is also the input {flag}", "choose another --out")
    assert files[input_name].read_bytes() == before


def test_parse_refuses_to_write_its_mask_over_the_photo(tmp_path, capsys):
    photo = tmp_path / "photo.png"
    write_image(photo, skimage.data.astronaut())
    before = photo.read_bytes()
    assert main(["parse", str(photo), "--out", str(photo), "--method", "template"]) == 2
    _one_line(capsys, "is also the input IMAGE")
    assert photo.read_bytes() == before


def test_edit_on_a_full_disk_is_one_line_and_exit_2(files, tmp_path, capsys, monkeypatch):
    fill_disk(monkeypatch)
    assert _edit(files, tmp_path / "out.png") == 2
    _one_line(capsys, "out.png: cannot write: No space left on device")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".out.png", "out.png"))]


def test_parse_on_a_full_disk_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    photo = tmp_path / "photo.png"
    write_image(photo, skimage.data.astronaut())
    fill_disk(monkeypatch)
    assert main(["parse", str(photo), "--out", str(tmp_path / "mask.png"), "--method", "template",
                 "--resolution", "256"]) == 2
    _one_line(capsys, "mask.png: cannot write: No space left on device")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.png"]
