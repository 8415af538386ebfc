"""The networks reproduce the published code: parity outputs to 1e-4, full-size layouts key for key."""

import functools
import json

import pytest
import torch

from maskgan_studio.nets import (
    AlphaBlender,
    BlenderConfig,
    DiscriminatorConfig,
    DMNConfig,
    DMNGenerator,
    MaskVAE,
    MaskVAEConfig,
    MultiscaleDiscriminator,
    one_hot,
)

TOLERANCE = 1e-4
NETS = {
    "dmn_generator": (DMNGenerator, DMNConfig),
    "mask_vae": (MaskVAE, MaskVAEConfig),
    "blender": (AlphaBlender, BlenderConfig),
    "discriminator": (MultiscaleDiscriminator, DiscriminatorConfig),
}


def _config(key, published: dict):
    """The published DMN config also names its training resolution, which is not a net property."""
    fields = {k: v for k, v in published.items() if not (key == "dmn_generator" and k == "resolution")}
    return NETS[key][1].from_dict(fields)


def _build(key, published_config):
    net_class, _ = NETS[key]
    return net_class(_config(key, published_config))


@functools.cache
def _read_parity(path):
    return torch.load(path, weights_only=True)


@pytest.fixture
def parity(conformance_dir):
    return _read_parity(conformance_dir / "official_parity.pt")


@pytest.fixture
def layout(conformance_dir):
    return json.loads((conformance_dir / "official_layout.json").read_text())


def _loaded(entry, key):
    net = _build(key, entry["config"])
    net.load_state_dict(entry["state_dict"], strict=True)
    return net.eval()


def _max_diff(a, b):
    return (a - b).abs().max().item()


@torch.no_grad()
def test_dmn_generator_reproduces_published_output(parity):
    entry = parity["dmn_generator"]
    net = _loaded(entry, "dmn_generator")
    inputs = entry["inputs"]
    image = net(one_hot(inputs["label"]), one_hot(inputs["label_ref"]), inputs["image_ref"])
    assert _max_diff(image, entry["expected"]["image"]) < TOLERANCE


@torch.no_grad()
def test_dmn_generator_from_cached_style_matches_one_call(parity):
    entry = parity["dmn_generator"]
    net = _loaded(entry, "dmn_generator")
    inputs = entry["inputs"]
    style = net.encode_style(inputs["label_ref"][None], inputs["image_ref"])  # integer ids accepted
    assert style.shape == (1, net.config.num_style_params)
    assert _max_diff(net.generate(inputs["label"][None], style), entry["expected"]["image"]) < TOLERANCE


@torch.no_grad()
def test_mask_vae_reproduces_published_output(parity):
    entry = parity["mask_vae"]
    net = _loaded(entry, "mask_vae")
    expected = entry["expected"]
    mu, logvar = net.encode(one_hot(entry["inputs"]["label"]))
    decoded = net.decode(mu)
    assert _max_diff(mu, expected["mu"]) < TOLERANCE
    assert _max_diff(logvar, expected["logvar"]) < TOLERANCE
    assert _max_diff(decoded[:, :, ::8, ::8], expected["decoded_mu_stride8"]) < TOLERANCE
    assert torch.equal(decoded.argmax(1)[0].to(torch.uint8), expected["decoded_mu_argmax"])
    logits, mu_again, _ = net(one_hot(entry["inputs"]["label"]))  # eval mode decodes mu
    assert torch.equal(logits, decoded) and torch.equal(mu_again, mu)


@torch.no_grad()
def test_blender_reproduces_published_output(parity):
    entry = parity["blender"]
    net = _loaded(entry, "blender")
    blended, alpha = net.blend(entry["inputs"]["image_a"], entry["inputs"]["image_b"])
    assert _max_diff(alpha, entry["expected"]["alpha"]) < TOLERANCE
    assert _max_diff(blended, entry["expected"]["blended"]) < TOLERANCE


@pytest.mark.parametrize("key", list(NETS))
def test_full_size_layout_matches_nets_built_from_its_config(layout, key):
    published = layout[key]
    with torch.device("meta"):  # full size without allocating (the MaskVAE alone is 170 M values)
        net = _build(key, published["config"])
    ours = {name: list(tensor.shape) for name, tensor in net.state_dict().items()}
    missing = sorted(set(published["state_dict"]) - set(ours))
    unexpected = sorted(set(ours) - set(published["state_dict"]))
    assert not missing and not unexpected, f"missing {missing[:5]}, unexpected {unexpected[:5]}"
    assert ours == published["state_dict"]


def test_full_size_random_state_dicts_load_shape_checked(layout):
    """Random full-size tensors in the published layout load strictly; a wrong shape is refused.

    The nets are built on the meta device and take the tensors by assignment, which skips their
    own initialisation; the MaskVAE (170 M values) is covered by the meta-device layout test.
    """
    for key in ("dmn_generator", "blender", "discriminator"):
        published = layout[key]
        state = {name: torch.randn(shape) for name, shape in published["state_dict"].items()}
        with torch.device("meta"):
            net = _build(key, published["config"])
        net.load_state_dict(state, strict=True, assign=True)
        loaded = net.state_dict()
        assert all(torch.equal(loaded[name], tensor) for name, tensor in state.items())

        name = next(iter(state))
        state[name] = torch.randn(state[name].shape[0] + 1, *state[name].shape[1:])
        with torch.device("meta"):
            net = _build(key, published["config"])
        with pytest.raises(RuntimeError, match="size mismatch"):
            net.load_state_dict(state, strict=True, assign=True)


def test_published_defaults_are_the_published_sizes(layout):
    for key, (_, config_class) in NETS.items():
        assert config_class() == _config(key, layout[key]["config"])
