"""``maskgan-studio parse``: a label PNG at the photo's size, or one clear line and exit 2."""

import numpy as np
import pytest
import skimage.data
import torch
from PIL import Image

from maskgan_studio.cli import main
from maskgan_studio.io.masks import read_mask
from maskgan_studio.labels import ID, OURS_TO_BISENET
from maskgan_studio.nets.parser import FaceParser, parser_state_from_published

FACE_CLASSES = [ID[n] for n in ("skin", "nose", "l_eye", "r_eye", "l_brow", "r_brow", "mouth", "u_lip", "l_lip")]


@pytest.fixture
def astronaut_file(tmp_path):
    path = tmp_path / "astronaut.jpg"
    Image.fromarray(skimage.data.astronaut()).save(path, quality=95)
    return path


def test_writes_a_mask_at_the_photos_size(astronaut_file, tmp_path, capsys):
    out = tmp_path / "mask.png"
    assert main(["parse", str(astronaut_file), "--out", str(out), "--method", "template", "--resolution", "256"]) == 0
    mask = read_mask(out)
    assert mask.shape == (512, 512)
    assert mask[0, 0] == ID["background"] and mask[511, 0] != ID["hair"]
    assert np.isin(mask[110:150, 200:245], FACE_CLASSES).mean() > 0.9
    assert "mask by template" in capsys.readouterr().err


def test_no_face_is_one_clear_line_and_exit_2(tmp_path, capsys):
    photo = tmp_path / "wall.png"
    Image.fromarray(np.full((120, 160, 3), 200, np.uint8)).save(photo)
    out = tmp_path / "mask.png"
    assert main(["parse", str(photo), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(photo) in err and "no face found" in err and "--whole-image" in err
    assert not out.exists()
    assert main(["parse", str(photo), "--out", str(out), "--whole-image", "--method", "template",
                 "--resolution", "128"]) == 0
    assert read_mask(out).shape == (120, 160)


def test_a_face_index_that_does_not_exist_exits_2(astronaut_file, tmp_path, capsys):
    assert main(["parse", str(astronaut_file), "--out", str(tmp_path / "m.png"), "--face", "3"]) == 2
    assert "there is no face 3: found 1" in capsys.readouterr().err


def test_published_parser_weights_are_converted_to_our_class_order(tmp_path):
    torch.manual_seed(0)
    published = FaceParser().eval()
    converted = FaceParser().eval()
    converted.load_state_dict(parser_state_from_published({f"module.{k}": v for k, v in published.state_dict().items()}))
    image = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        ours, theirs = converted(image), published(image)
    assert torch.allclose(ours, theirs[:, torch.from_numpy(OURS_TO_BISENET.astype(np.int64))], atol=1e-5)


def test_parse_with_a_parser_file(astronaut_file, tmp_path, capsys):
    torch.manual_seed(0)
    weights = tmp_path / "79999_iter.pth"
    torch.save(FaceParser().state_dict(), weights)
    out = tmp_path / "mask.png"
    assert main(["parse", str(astronaut_file), "--out", str(out), "--model", str(weights),
                 "--resolution", "128"]) == 0
    assert read_mask(out).shape == (512, 512)
    assert "mask by parser" in capsys.readouterr().err
    broken = tmp_path / "broken.pth"
    torch.save({"conv.weight": torch.zeros(3)}, broken)
    assert main(["parse", str(astronaut_file), "--out", str(out), "--model", str(broken)]) == 2
    assert "does not fit the BiSeNet face parser layout" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["mask.jpg", "mask.webp", "mask"])
def test_a_mask_is_never_written_under_a_lossy_or_missing_extension(astronaut_file, tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["parse", str(astronaut_file), "--out", str(out), "--method", "template"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0] and ".png" in err[0]
    assert not out.exists()
