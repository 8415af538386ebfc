"""A session's fp32 CPU output reproduces the published code's output (conformance data)."""

import numpy as np
import pytest
import torch

from maskgan_studio.checkpoints import Model
from maskgan_studio.engine import EditSession
from maskgan_studio.nets.tensors import tensor_to_image
from maskgan_studio.nets import DMNConfig, DMNGenerator

TOLERANCE = 1e-4


def _parity_model(conformance_dir):
    entry = torch.load(conformance_dir / "official_parity.pt", weights_only=True)["dmn_generator"]
    config = {k: v for k, v in entry["config"].items() if k != "resolution"}
    dmn = DMNGenerator(DMNConfig(**config))
    dmn.load_state_dict(entry["state_dict"], strict=True)
    model = Model(dmn=dmn.eval(), resolution=entry["config"]["resolution"], name="parity", source="parity")
    return model, entry["inputs"], entry["expected"]["image"]


def _session(conformance_dir, compile):
    model, inputs, expected = _parity_model(conformance_dir)
    session = EditSession(model, device="cpu", precision="fp32", compile=compile)
    session.set_style_tensor(inputs["image_ref"], inputs["label_ref"].numpy())
    return session, inputs["label"].numpy(), expected


def test_session_reproduces_the_published_generator(conformance_dir):
    session, label, expected = _session(conformance_dir, compile=False)
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
