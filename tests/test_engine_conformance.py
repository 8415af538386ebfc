"""A session's fp32 CPU output reproduces the published code's output (conformance data)."""

import numpy as np
import pytest
import torch

from maskgan_studio.checkpoints import Model
from maskgan_studio.engine import EditSession
from maskgan_studio.cli import main
from maskgan_studio.io import read_image, write_image, write_mask
from maskgan_studio.nets.tensors import image_to_tensor, tensor_to_image
from maskgan_studio.nets import DMNConfig, DMNGenerator, one_hot

TOLERANCE = 1e-4


def _parity_model(conformance_dir):
    entry = torch.load(conformance_dir / "official_parity.pt", weights_only=True)["dmn_generator"]
    config = {k: v for k, v in entry["config"].items() if k != "resolution"}
    dmn = DMNGenerator(DMNConfig(**config))
    dmn.load_state_dict(entry["state_dict"], strict=True)
    model = Model(dmn=dmn.eval(), resolution=entry["config"]["resolution"], name="parity", source="parity")
    return model, entry["inputs"], entry["expected"]["image"]


def _session(conformance_dir, compile, backend="torch"):
    model, inputs, expected = _parity_model(conformance_dir)
    session = EditSession(model, device="cpu", precision="fp32", compile=compile, backend=backend)
    session.set_style_tensor(inputs["image_ref"], inputs["label_ref"].numpy())
    return session, inputs["label"].numpy(), expected


@pytest.mark.parametrize("backend", ["torch", "openvino"])
def test_session_reproduces_the_published_generator(conformance_dir, backend):
    session, label, expected = _session(conformance_dir, compile=False, backend=backend)
    assert session.resolution == 128
    output = session.generate_raw(label)
    assert (output - expected).abs().max().item() < TOLERANCE


def test_raw_edit_is_the_published_output_in_bytes(conformance_dir):
    session, label, expected = _session(conformance_dir, compile=False)
    image = session.edit(label, paste_back=False)
    levels = np.abs(image.astype(int) - tensor_to_image(expected).astype(int))
    assert levels.max() <= 1  # rounding of values within 1e-4 of a half level may differ by one


@pytest.mark.slow
def test_compiled_session_reproduces_the_published_generator(conformance_dir):
    session, label, expected = _session(conformance_dir, compile=True)
    output = session.generate_raw(label)
    assert session.backend == "compiled"
    assert (output - expected).abs().max().item() < TOLERANCE


@pytest.mark.parametrize(("backend", "mean_levels"), [("torch", 0.0), ("openvino", 1.5)])
def test_a_published_checkpoint_through_edit_draws_the_published_codes_pixels(conformance_dir, tmp_path, backend,
                                                                              mean_levels):
    """``edit --no-paste-back`` with a published-layout latest_net_G.pth against the published
    forward on the same (8-bit) files: torch to the rounding, OpenVINO within 1.5 levels mean."""
    entry = torch.load(conformance_dir / "official_parity.pt", weights_only=True)["dmn_generator"]
    torch.save({"module." + k: v for k, v in entry["state_dict"].items()}, tmp_path / "latest_net_G.pth")
    inputs = entry["inputs"]
    image = tensor_to_image(inputs["image_ref"])
    write_image(tmp_path / "face.png", image)
    write_mask(tmp_path / "mask.png", inputs["label_ref"].numpy())
    write_mask(tmp_path / "edited.png", inputs["label"].numpy())
    model, _, _ = _parity_model(conformance_dir)
    with torch.no_grad():
        published = model.dmn(one_hot(inputs["label"]), one_hot(inputs["label_ref"]), image_to_tensor(image))
    argv = ["edit", "--image", "face.png", "--mask", "mask.png", "--edited-mask", "edited.png", "--out", "out.png",
            "--model", "latest_net_G.pth", "--resolution", "128", "--no-paste-back", "--backend", backend]
    assert main([str(a) if not a.endswith(".png") and not a.endswith(".pth") else str(tmp_path / a)
                 for a in argv]) == 0
    levels = np.abs(read_image(tmp_path / "out.png").astype(int) - tensor_to_image(published).astype(int))
    if backend == "torch":
        assert levels.max() <= 1
    else:
        assert 0 < levels.mean() <= mean_levels
