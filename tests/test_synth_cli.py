"""``maskgan-studio synth``: N triples, same seed same faces, bad input refused with exit 2."""

import json

import numpy as np

from maskgan_studio.cli import main
from maskgan_studio.io.images import read_image
from maskgan_studio.io.masks import read_mask
from maskgan_studio.synth import Style, sample


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_writes_exactly_n_triples_matching_sample(tmp_path):
    assert main(["synth", "--out", str(tmp_path), "--count", "3", "--size", "64", "--seed", "5"]) == 0
    expected = [f"{kind}/{i:05d}.{ext}" for kind, ext in (("images", "png"), ("masks", "png"), ("styles", "json"))
                for i in range(3)]
    assert _files(tmp_path) == sorted(expected)
    image, mask, style = sample(6, 64)
    assert np.array_equal(read_image(tmp_path / "images" / "00001.png"), image)
    assert np.array_equal(read_mask(tmp_path / "masks" / "00001.png"), mask)
    assert Style.from_dict(json.loads((tmp_path / "styles" / "00001.json").read_text())) == style


def test_same_seed_same_faces(tmp_path):
    for name in ("a", "b"):
        assert main(["synth", "--out", str(tmp_path / name), "--count", "2", "--size", "64"]) == 0
    for rel in _files(tmp_path / "a"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_bad_count_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["synth", "--out", str(out), "--count", "0"]) == 2
    assert "--count" in capsys.readouterr().err
    assert not out.exists()


def test_unwritable_out_exits_2(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert main(["synth", "--out", str(blocker / "faces"), "--count", "1", "--size", "64"]) == 2
    assert "a_file" in capsys.readouterr().err
