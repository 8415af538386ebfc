"""Face parsers in bundles: ``models import 79999_iter.pth`` -> a parser-only bundle in our class order,
loaded by ``load_parser`` through the one loader, shown by ``models info``, refused for editing."""

import json

import numpy as np
import pytest
import torch
from safetensors import safe_open

from engine_support import face_with_edit, tiny_model
from maskgan_studio.checkpoints import CheckpointError, load_model, read_bundle_info, save_bundle
from maskgan_studio.cli import main
from maskgan_studio.engine import EditSession
from maskgan_studio.io import write_image, write_mask
from maskgan_studio.labels import OURS_TO_BISENET
from maskgan_studio.nets import FaceParser
from maskgan_studio.photos.parser_model import load_parser, parse_crop

BISENET_ROW = torch.from_numpy(OURS_TO_BISENET.astype(np.int64))  # of each of our classes


@pytest.fixture
def published_parser(tmp_path, conformance_dir):
    """The conformance file's random-weight parser in the published layout (DataParallel keys),
    with its input and the published code's logits (BiSeNet class order)."""
    entry = torch.load(conformance_dir / "parser_parity.pt", weights_only=True)["face_parser_bisenet"]
    path = tmp_path / "79999_iter.pth"
    torch.save({f"module.{k}": v.float() if v.is_floating_point() else v
                for k, v in entry["state_dict_fp16"].items()}, path)
    return path, entry["inputs"]["image01"].float(), entry["expected"]["logits"]


def test_import_writes_a_parser_only_bundle_in_our_class_order(published_parser, tmp_path, capsys):
    source, image, expected = published_parser
    out = tmp_path / "parser.safetensors"
    assert main(["models", "import", str(source), "--out", str(out)]) == 0
    assert f"wrote {out} (parser, resolution 512" in capsys.readouterr().out
    with safe_open(str(out), framework="pt") as handle:
        assert all(key.startswith("parser.") for key in handle.keys())
        assert json.loads(handle.metadata()["maskgan_studio"])["training"]["imported_from"] == "79999_iter.pth"
    assert list(read_bundle_info(out)["components"]) == ["parser"]
    model = load_model(out)
    assert model.dmn is None and model.parser.config.input_size == 512
    with torch.no_grad():
        logits = model.parser(image)
    ours = expected[:, BISENET_ROW]
    assert (logits - ours).abs().max() <= 1e-3 * ours.abs().max()


def test_load_parser_reads_the_published_file_and_the_bundle_alike(published_parser, tmp_path):
    source, _, _ = published_parser
    bundle = save_bundle(tmp_path / "p.safetensors", load_model(source))
    crop = np.random.default_rng(0).integers(0, 256, (96, 96, 3), dtype=np.uint8)
    from_pth, from_bundle = load_parser(source), load_parser(bundle)
    labels = parse_crop(from_bundle, crop)
    assert labels.shape == (96, 96) and labels.max() < 19
    assert np.array_equal(parse_crop(from_pth, crop), labels)


def test_a_parser_built_here_round_trips_through_the_published_layout(tmp_path, capsys):
    torch.manual_seed(3)
    published = FaceParser().eval()  # heads in BiSeNet order, as the distributed file has them
    source = tmp_path / "parser.pth"
    torch.save(published.state_dict(), source)
    assert main(["models", "info", str(source)]) == 0
    info = capsys.readouterr().out
    assert "edits:       no (it holds no DMN generator)" in info
    assert "auto mask:   a face parser of 512 px crops" in info
    assert f"parser   FaceParser, {sum(p.numel() for p in published.parameters()):,} parameters" in info
    image = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(load_parser(source)(image), published(image)[:, BISENET_ROW], atol=1e-5)


def test_bundles_without_a_dmn_cannot_edit_and_say_why(tmp_path, capsys):
    torch.manual_seed(0)
    parser_only = tmp_path / "parser.pth"
    torch.save(FaceParser().state_dict(), parser_only)
    with pytest.raises(CheckpointError, match=r"holds no DMN generator, which editing needs \(it holds: face parser\)"):
        EditSession(parser_only, device="cpu", compile=False)

    image, mask, edited = face_with_edit(64)
    write_image(tmp_path / "image.png", image)
    write_mask(tmp_path / "mask.png", mask)
    write_mask(tmp_path / "edited.png", edited)
    out = tmp_path / "out.png"
    argv = ["edit", "--image", str(tmp_path / "image.png"), "--mask", str(tmp_path / "mask.png"), "--edited-mask",
            str(tmp_path / "edited.png"), "--out", str(out), "--model", str(parser_only), "--device", "cpu"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(parser_only) in err and "holds no DMN generator" in err
    assert not out.exists()


def test_a_generator_file_is_not_a_parser(tmp_path):
    bundle = save_bundle(tmp_path / "g.safetensors", tiny_model())
    with pytest.raises(CheckpointError, match=r"holds no face parser, which Auto mask's parser method needs"):
        load_parser(bundle)
    published = tmp_path / "latest_net_G.pth"
    torch.save(tiny_model().dmn.state_dict(), published)
    with pytest.raises(CheckpointError, match=r"does not fit the BiSeNet face parser layout .*missing keys"):
        load_parser(published)
