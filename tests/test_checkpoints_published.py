"""Published-layout ``latest_net_G.pth`` files: any size loads with no flags; anything else is refused."""

import os
import pickle
import zipfile

import pytest
import torch

from maskgan_studio.checkpoints import CheckpointError, infer_dmn_config, load_model, random_model
from maskgan_studio.nets import DMNConfig, DMNGenerator, one_hot

ODD_SIZE = DMNConfig(ngf=8, n_downsample=2, n_blocks=3)


def _published_file(path, config=ODD_SIZE, wrap=None, prefix="module.", seed=3):
    net = random_model(config, resolution=64, seed=seed).dmn
    state = {prefix + key: value for key, value in net.state_dict().items()}
    torch.save({wrap: state} if wrap else state, path)
    return net


@torch.no_grad()
def _same_outputs(a, b):
    labels = torch.randint(0, 19, (1, 64, 64), generator=torch.Generator().manual_seed(1))
    image = torch.rand(1, 3, 64, 64, generator=torch.Generator().manual_seed(2)) * 2 - 1
    return torch.equal(a(labels, labels.flip(1), image), b(labels, labels.flip(1), image))


@pytest.mark.parametrize("wrap, prefix", [(None, "module."), ("state_dict", "")])
def test_any_size_loads_with_no_flags(tmp_path, wrap, prefix):
    path = tmp_path / "latest_net_G.pth"
    source = _published_file(path, wrap=wrap, prefix=prefix)
    model = load_model(path)
    assert model.dmn.config == ODD_SIZE and model.resolution == 512 and model.vae is None
    assert model.name == "latest_net_G" and not model.has_strength
    assert _same_outputs(source, model.dmn)
    assert load_model(path, resolution=256).resolution == 256


@pytest.mark.parametrize(
    "config",
    [
        DMNConfig(),
        DMNConfig(ngf=16, n_downsample=3, n_blocks=1, style_nf=8),
        DMNConfig(label_nc=12, output_nc=1, n_blocks=6),
    ],
)
def test_config_is_inferred_from_shapes(config):
    with torch.device("meta"):
        state = DMNGenerator(config).state_dict()
    assert infer_dmn_config(state) == config


def test_published_parity_weights_load_from_a_pth_and_reproduce_the_published_image(tmp_path, conformance_dir):
    entry = torch.load(conformance_dir / "official_parity.pt", weights_only=True)["dmn_generator"]
    path = tmp_path / "latest_net_G.pth"
    torch.save({"module." + k: v for k, v in entry["state_dict"].items()}, path)
    model = load_model(path, resolution=128)
    inputs = entry["inputs"]
    with torch.no_grad():
        image = model.dmn(one_hot(inputs["label"]), one_hot(inputs["label_ref"]), inputs["image_ref"])
    assert (image - entry["expected"]["image"]).abs().max() < 1e-4


def test_misfits_are_listed_with_counts(tmp_path):
    path = tmp_path / "g.pth"
    state = random_model(ODD_SIZE, resolution=64).dmn.state_dict()
    for key in [k for k in state if k.startswith("enc_label.model_last")]:
        del state[key]
    state["model.4.weight"] = torch.zeros(16, 8, 5, 5)
    state["netD.weight"] = torch.zeros(1)
    torch.save(state, path)
    with pytest.raises(CheckpointError) as caught:
        load_model(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: does not fit a DMN generator (19 classes, ngf 8, 2 downsamplings, 3 blocks)")
    assert "6 missing keys (enc_label.model_last.1.conv.weight, " in message and "and 2 more" in message
    assert "1 unexpected key (netD.weight)" in message
    assert "1 wrong shape (model.4.weight is [16, 8, 5, 5], needs [16, 8, 3, 3])" in message


def test_a_different_network_is_refused_as_not_fitting(tmp_path):
    path = tmp_path / "vae.pth"
    torch.save({"e1.weight": torch.zeros(2, 19, 4, 4), "fc1.weight": torch.zeros(4, 4)}, path)
    with pytest.raises(CheckpointError, match=r"missing keys .*2 unexpected keys \(e1.weight, fc1.weight\)"):
        load_model(path)


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("writer", ["torch.save", "pickle.dump"])
def test_a_pickle_that_runs_code_is_refused_and_never_runs(tmp_path, writer):
    marker = tmp_path / "marker"
    path = tmp_path / "latest_net_G.pth"
    payload = {"hook": _RunsCode(marker), "model.1.weight": torch.zeros(1)}  # the hook is unpickled first
    if writer == "torch.save":
        torch.save(payload, path)
    else:
        path.write_bytes(pickle.dumps(payload, protocol=2))
    expected = r"refused: the file asks to run code when loaded \(it names posix.system\)"
    with pytest.raises(CheckpointError, match=expected):
        load_model(path)
    assert not marker.exists()


def _zero_bytes(path):
    path.write_bytes(b"")


def _text(path):
    path.write_text("this is not a model\n")


def _foreign_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes/readme.txt", "hello")


def _random_bytes(path):
    path.write_bytes(bytes(range(1, 200)) * 5)


def _truncated(path):
    _published_file(path)
    path.write_bytes(path.read_bytes()[:3000])


def _not_a_state_dict(path):
    torch.save([1, 2, 3], path)


def _wrapper_without_tensors(path):
    torch.save({"epoch": 3, "opt": {"lr": 0.1}}, path)


@pytest.mark.parametrize(
    "make, message",
    [
        (_zero_bytes, r"empty file \(0 bytes\)"),
        (_text, "a text file, not a model checkpoint"),
        (_foreign_zip, r"not a readable PyTorch checkpoint \("),
        (_random_bytes, "not a model checkpoint"),
        (_truncated, r"not a readable PyTorch checkpoint \("),
        (_not_a_state_dict, "holds a list, not a state dict"),
        (_wrapper_without_tensors, r"holds no state dict of tensors \(its top-level keys: epoch, opt\)"),
    ],
)
def test_files_that_are_not_checkpoints_are_refused(tmp_path, make, message):
    path = tmp_path / "latest_net_G.pth"
    make(path)
    with pytest.raises(CheckpointError, match=message) as caught:
        load_model(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(CheckpointError, match="no such file"):
        load_model(tmp_path / "absent.pth")
    with pytest.raises(CheckpointError, match="is a folder"):
        load_model(tmp_path)


def test_a_generator_for_other_classes_is_refused(tmp_path):
    path = tmp_path / "g.pth"
    with torch.device("meta"):
        shapes = DMNGenerator(DMNConfig(label_nc=12, ngf=4, n_downsample=1, n_blocks=1, style_nf=4)).state_dict()
    torch.save({k: torch.zeros(v.shape, dtype=v.dtype) for k, v in shapes.items()}, path)
    with pytest.raises(CheckpointError, match="maps 12-class masks to 3-channel images; MaskGAN Studio needs 19"):
        load_model(path)
