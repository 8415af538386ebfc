"""Model bundles: save and load give the same networks; bad bundles are refused whole."""

import json

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from maskgan_studio.checkpoints import (
    CheckpointError,
    bundled_model_path,
    imported_models_dir,
    load_model,
    random_model,
    read_bundle_info,
    save_bundle,
)
from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.labels import CLASSES
from maskgan_studio.nets import BlenderConfig, DMNConfig, MaskVAEConfig

TINY_DMN = DMNConfig(ngf=4, n_downsample=2, n_blocks=2, style_nf=4)
TINY_VAE = MaskVAEConfig(ngf=2, ndf=2, latent=8, resolution=64)
TINY_BLENDER = BlenderConfig(ngf=4, n_downsample=2, n_blocks=1)


def _full_model(seed=0):
    return random_model(TINY_DMN, resolution=64, vae=TINY_VAE, blender=TINY_BLENDER, seed=seed, name="tiny")


@torch.no_grad()
def _outputs(model):
    generator = torch.Generator().manual_seed(5)
    labels = torch.randint(0, 19, (1, 8, 8), generator=generator).repeat_interleave(8, 1).repeat_interleave(8, 2)
    image = torch.rand(1, 3, 64, 64, generator=generator) * 2 - 1
    style = model.dmn.encode_style(labels, image)
    outputs = {"image": model.dmn.generate(labels.flip(2), style)}
    if model.vae is not None:
        outputs["vae"] = model.vae(torch.nn.functional.one_hot(labels, 19).permute(0, 3, 1, 2).float())[0]
    if model.blender is not None:
        outputs["alpha"] = model.blender(image, outputs["image"])
    return outputs


def test_bundle_round_trip_gives_the_same_networks_and_metadata(tmp_path):
    model = _full_model()
    model.training = {"stage": "dmn", "steps": 12}
    path = save_bundle(tmp_path / "tiny.safetensors", model)
    loaded = load_model(path)
    assert loaded.has_strength and loaded.resolution == 64 and loaded.name == "tiny"
    assert loaded.training == {"stage": "dmn", "steps": 12} and loaded.source == str(path)
    assert loaded.dmn.config == TINY_DMN and loaded.vae.config == TINY_VAE and loaded.blender.config == TINY_BLENDER
    assert not loaded.dmn.training and not loaded.vae.training
    for name in ("dmn", "vae", "blender"):
        saved, read = getattr(model, name).state_dict(), getattr(loaded, name).state_dict()
        assert saved.keys() == read.keys() and all(torch.equal(saved[k], read[k]) for k in saved)
    # the same weights; a convolution's summation order may follow its tensors' memory alignment
    before, after = _outputs(model), _outputs(loaded)
    assert all(torch.allclose(before[k], after[k], rtol=0, atol=1e-6) for k in before)

    with safe_open(str(path), framework="pt") as handle:
        info = json.loads(handle.metadata()["maskgan_studio"])
        prefixes = {key.split(".")[0] for key in handle.keys()}
    assert prefixes == {"dmn", "vae", "blender"}
    assert info["format_version"] == 1 and info["resolution"] == 64
    assert info["classes"] == [c.name for c in CLASSES]
    assert info["components"]["dmn"] == TINY_DMN.to_dict() and info["training"]["steps"] == 12


def test_float16_storage_halves_the_file_and_loads_into_float32(tmp_path):
    model = random_model(TINY_DMN, resolution=64, blender=TINY_BLENDER, seed=1)
    full = save_bundle(tmp_path / "full.safetensors", model)
    half = save_bundle(tmp_path / "half.safetensors", model, dtype=torch.float16)
    assert half.stat().st_size < 0.6 * full.stat().st_size
    with safe_open(str(half), framework="pt") as handle:
        assert handle.get_tensor("dmn.model.1.weight").dtype == torch.float16
    loaded = load_model(half)
    assert not loaded.has_strength
    assert all(p.dtype == torch.float32 for p in loaded.dmn.parameters())
    before, after = _outputs(model), _outputs(loaded)
    assert (before["image"] - after["image"]).abs().max() < 2e-2
    assert not torch.equal(before["image"], after["image"])  # it really went through float16


def test_random_model_is_reproducible_and_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    a = random_model(TINY_DMN, resolution=64, seed=7)
    assert torch.equal(torch.rand(1), expected_next)
    b = random_model(TINY_DMN, resolution=64, seed=7)
    c = random_model(TINY_DMN, resolution=64, seed=8)
    assert torch.equal(a.dmn.model[1].weight, b.dmn.model[1].weight)
    assert not torch.equal(a.dmn.model[1].weight, c.dmn.model[1].weight)
    with pytest.raises(ValueError, match="multiple of 32"):
        random_model(TINY_DMN, resolution=100)


def test_save_refuses_a_missing_folder_and_non_json_training_and_writes_nothing(tmp_path):
    model = random_model(TINY_DMN, resolution=64)
    with pytest.raises(InputFileError, match="does not exist"):
        save_bundle(tmp_path / "nowhere" / "m.safetensors", model)
    model.training = {"when": object()}
    with pytest.raises(ValueError, match="JSON"):
        save_bundle(tmp_path / "m.safetensors", model)
    assert list(tmp_path.iterdir()) == []


def _rewrite(path, out, edit_tensors=None, edit_info=None):
    with safe_open(str(path), framework="pt") as handle:
        tensors = {k: handle.get_tensor(k) for k in handle.keys()}
        info = json.loads(handle.metadata()["maskgan_studio"])
    if edit_tensors:
        edit_tensors(tensors)
    if edit_info:
        edit_info(info)
    save_file(tensors, str(out), metadata={"maskgan_studio": json.dumps(info)})
    return out


def _break_tensors(tensors):
    del tensors["dmn.model.1.bias"]
    tensors["dmn.model.4.weight"] = torch.zeros(2, 2)
    tensors["dmn.extra.weight"] = torch.zeros(1)
    tensors["parser.weight"] = torch.zeros(1)


@pytest.mark.parametrize(
    "edit_tensors, edit_info, message",
    [
        (_break_tensors, None, r"1 unexpected key \(parser.weight\) outside its components; "
         r"dmn: 1 missing key \(model.1.bias\); dmn: 1 unexpected key \(extra.weight\); dmn: 1 wrong shape"),
        (lambda t: t.pop("dmn.model.1.bias"), None, r"1 missing key \(model.1.bias\)"),
        (
            lambda t: t.update({"dmn.model.4.weight": torch.zeros(2, 2)}),
            None,
            r"model.4.weight is \[2, 2\], needs \[8, 4, 3, 3\]",
        ),
        (None, lambda i: i.update(format_version=99), "format 99"),
        (None, lambda i: i.update(classes=i["classes"][::-1]), "class order"),
        (None, lambda i: i["components"]["dmn"].update(ngf="wide"), "bad dmn config"),
        (None, lambda i: i["components"].pop("dmn"), "names no networks"),
        (None, lambda i: i.update(resolution=48), "not a multiple of 32"),
    ],
)
def test_broken_bundles_are_refused_with_the_reason(tmp_path, edit_tensors, edit_info, message):
    good = save_bundle(tmp_path / "good.safetensors", random_model(TINY_DMN, resolution=64))
    bad = _rewrite(good, tmp_path / "bad.safetensors", edit_tensors, edit_info)
    with pytest.raises(CheckpointError, match=message) as caught:
        load_model(bad)
    assert str(bad) in str(caught.value) and isinstance(caught.value, StudioError)


def test_mismatch_report_counts_and_lists_a_few_of_each(tmp_path):
    good = save_bundle(tmp_path / "good.safetensors", random_model(TINY_DMN, resolution=64))

    def drop_many(tensors):
        for key in [k for k in tensors if k.startswith("dmn.enc_style.")]:
            tensors[key.replace("dmn.enc_style.", "dmn.style.")] = tensors.pop(key)

    bad = _rewrite(good, tmp_path / "bad.safetensors", drop_many)
    expected = (
        r"dmn: 30 missing keys \(enc_style\.model\.0\.conv\.weight, .*, and 26 more\); "
        r"dmn: 30 unexpected keys \(style\."
    )
    with pytest.raises(CheckpointError, match=expected):
        load_model(bad)


def test_safetensors_without_our_metadata_is_refused(tmp_path):
    path = tmp_path / "plain.safetensors"
    save_file(random_model(TINY_DMN, resolution=64).dmn.state_dict(), str(path))
    with pytest.raises(CheckpointError, match="without MaskGAN Studio metadata"):
        load_model(path)


def test_resolution_override_is_checked_against_the_mask_vae(tmp_path):
    path = save_bundle(tmp_path / "m.safetensors", _full_model())
    with pytest.raises(CheckpointError, match="MaskVAE's fixed input size 64"):
        load_model(path, resolution=128)
    assert load_model(path, resolution=64).resolution == 64
    dmn_only = save_bundle(tmp_path / "d.safetensors", random_model(TINY_DMN, resolution=64))
    assert load_model(dmn_only, resolution=256).resolution == 256
    assert read_bundle_info(dmn_only)["components"]["dmn"] == TINY_DMN


def test_bundled_and_imported_locations(tmp_path, monkeypatch):
    monkeypatch.setenv("MASKGAN_STUDIO_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "models").mkdir()
    assert bundled_model_path() is None
    shipped = save_bundle(tmp_path / "models" / "maskgan-studio-bundled.safetensors", _full_model())
    assert bundled_model_path() == shipped
    assert imported_models_dir() == tmp_path / "data" / "maskgan-studio" / "models"
