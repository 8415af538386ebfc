"""Training on a mix of sources: ``--data DIR:0.7 --data synthetic:0.3``."""

import json

import numpy as np
import pytest
import torch

from maskgan_studio.cli import main
from maskgan_studio.errors import StudioError
from maskgan_studio.io import write_image, write_mask
from maskgan_studio.synth import sample
from maskgan_studio.training.data_mix import MixedStream, open_mix, parse_data


def photo_like_faces(folder, count, size=64):
    """A prepared folder whose faces are told apart from procedural ones by a flat grey corner."""
    (folder / "images").mkdir(parents=True)
    (folder / "masks").mkdir()
    for index in range(count):
        image, mask, _ = sample(1000 + index, size)
        image[:4, :4] = 77
        write_image(folder / "images" / f"{index:05d}.png", image)
        write_mask(folder / "masks" / f"{index:05d}.png", mask)
    return folder


def test_weights_are_shares_and_bad_ones_are_refused():
    assert parse_data(["faces:3", "synthetic:1"]) == [("faces", 0.75), ("synthetic", 0.25)]
    assert parse_data("synthetic") == [("synthetic", 1.0)]
    assert parse_data(["C:/faces"]) == [("C:/faces", 1.0)]  # a colon that is no weight
    for bad in (["faces:0", "synthetic"], ["faces:-1"], ["synthetic", "synthetic:2"]):
        with pytest.raises(StudioError):
            parse_data(bad)


def test_a_mixed_stream_draws_each_source_by_its_weight_with_the_same_keys(tmp_path):
    folder = photo_like_faces(tmp_path / "faces", 6)
    mix = open_mix([f"{folder}:0.7", "synthetic:0.3"])
    stream = MixedStream(mix, resolution=64, seed=3, restyle=0.5, flip=False)
    items = [stream[k] for k in range(200)]
    grey = 77 / 127.5 - 1
    from_folder = [bool(((item["image"][:, :4, :4] - grey).abs() < 1e-5).all()) for item in items]
    assert 0.6 < np.mean(from_folder) < 0.8
    assert all(set(item) == {"mask", "image", "style_mask", "style_image"} for item in items)
    for item, folder_face in zip(items, from_folder):
        if folder_face:  # a folder face is its own style face
            assert torch.equal(item["style_mask"], item["mask"]) and torch.equal(item["style_image"], item["image"])
    again = MixedStream(mix, resolution=64, seed=3, restyle=0.5, flip=False)
    assert all(torch.equal(again[k]["image"], items[k]["image"]) for k in (0, 57, 199))


@pytest.mark.parametrize("stage", ["dmn", "vae"])
def test_a_mix_trains_with_the_tiny_preset(tmp_path, stage, one_torch_thread):
    folder = photo_like_faces(tmp_path / "faces", 4)
    run = tmp_path / "run"
    assert main(["train", stage, "--data", "synthetic:0.3", "--data", f"{folder}:0.7", "--out", str(run),
                 "--steps", "2", "--device", "cpu"]) == 0
    assert (run / "model.safetensors").is_file()
    settings = json.loads((run / "settings.json").read_text())
    assert settings["data"] == [{"source": "synthetic", "weight": 0.3},
                                {"source": str(folder.resolve()), "weight": 0.7}]
