"""``maskgan-studio models``: info, import and list, and clean refusals (exit 2, nothing written)."""

import json
import os

import pytest
import torch
from safetensors import safe_open

from maskgan_studio.checkpoints import load_model, random_model, save_bundle
from maskgan_studio.cli import main
from maskgan_studio.nets import BlenderConfig, DMNConfig, MaskVAEConfig

ODD_SIZE = DMNConfig(ngf=8, n_downsample=2, n_blocks=3)


@pytest.fixture
def user_dirs(tmp_path, monkeypatch):
    """Empty bundled-models and user-data folders, so the real ones are never touched."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    monkeypatch.setenv("MASKGAN_STUDIO_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return home


def _published(path, prefix="module."):
    net = random_model(ODD_SIZE, resolution=64, seed=4).dmn
    torch.save({prefix + k: v for k, v in net.state_dict().items()}, path)
    return net


def test_info_prints_the_inferred_config_of_a_published_checkpoint(tmp_path, capsys):
    path = tmp_path / "latest_net_G.pth"
    net = _published(path)
    assert main(["models", "info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "published-layout PyTorch checkpoint" in out
    assert "label_nc=19 output_nc=3 ngf=8 n_downsample=2 n_blocks=3 style_nf=16" in out
    assert f"DMNGenerator, {sum(p.numel() for p in net.parameters()):,} parameters" in out
    assert "resolution:  512 (working)" in out


def test_info_of_a_bundle_lists_every_component(tmp_path, capsys):
    model = random_model(
        DMNConfig(ngf=4, n_downsample=2, n_blocks=1, style_nf=4),
        resolution=64,
        vae=MaskVAEConfig(ngf=2, ndf=2, latent=8, resolution=64),
        blender=BlenderConfig(ngf=4, n_downsample=2, n_blocks=1),
    )
    path = save_bundle(tmp_path / "m.safetensors", model)
    assert main(["models", "info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "model bundle" in out and "strength:    available" in out
    for name, net in model.components.items():
        assert f"{name:<8} {type(net).__name__}, {sum(p.numel() for p in net.parameters()):,} parameters" in out
    assert "nc=19 ngf=2 ndf=2 latent=8 resolution=64" in out


def test_import_writes_a_bundle_that_loads_to_the_same_network(tmp_path, capsys):
    source = tmp_path / "latest_net_G.pth"
    net = _published(source)
    out = tmp_path / "converted.safetensors"
    assert main(["models", "import", str(source), "--out", str(out), "--resolution", "256", "--name", "mine"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    model = load_model(out)
    assert model.name == "mine" and model.resolution == 256 and model.dmn.config == ODD_SIZE
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), model.dmn.state_dict().values()))
    with safe_open(str(out), framework="pt") as handle:
        assert json.loads(handle.metadata()["maskgan_studio"])["training"]["imported_from"] == "latest_net_G.pth"


def test_import_without_out_goes_to_the_imported_folder_and_list_shows_it(tmp_path, capsys, user_dirs):
    assert main(["models", "list"]) == 0
    assert "No models" in capsys.readouterr().out

    source = tmp_path / "latest_net_G.pth"
    _published(source)
    assert main(["models", "import", str(source), "--fp16"]) == 0
    imported = tmp_path / "data" / "maskgan-studio" / "models" / "latest_net_G.safetensors"
    assert imported.is_file()
    shipped = random_model(ODD_SIZE, resolution=64, name="shipped")
    save_bundle(user_dirs / "models" / "maskgan-studio-bundled.safetensors", shipped)
    capsys.readouterr()

    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["origin", "name", "components", "resolution", "size"]
    assert lines[1].split()[:4] == ["bundled", "shipped", "dmn", "64"]
    assert lines[2].split()[:4] == ["imported", "latest_net_G", "dmn", "512"] and lines[2].endswith(str(imported))


def test_list_marks_an_unusable_file_instead_of_failing(tmp_path, capsys, user_dirs):
    folder = tmp_path / "data" / "maskgan-studio" / "models"
    folder.mkdir(parents=True)
    (folder / "broken.safetensors").write_bytes(b"not really")
    assert main(["models", "list"]) == 0
    assert "unusable" in capsys.readouterr().out


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def _malicious(path):
    torch.save({"hook": _RunsCode(path.parent / "marker")}, path)


def _mismatched(path):
    state = random_model(ODD_SIZE, resolution=64).dmn.state_dict()
    del state["model.1.bias"]
    torch.save(state, path)


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
        (lambda p: p.write_text("hello"), "a text file, not a model checkpoint"),
        (_malicious, "refused: the file asks to run code when loaded"),
        (_mismatched, "1 missing key (model.1.bias)"),
    ],
)
@pytest.mark.parametrize("action", ["info", "import", "import-to-default-folder"])
def test_bad_files_exit_2_with_one_line_and_write_nothing(tmp_path, capsys, user_dirs, make, problem, action):
    source = tmp_path / "in" / "latest_net_G.pth"
    source.parent.mkdir()
    make(source)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    argv = ["models", action.split("-")[0], str(source)]
    if action == "import":
        argv += ["--out", str(tmp_path / "in" / "out.safetensors")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"maskgan-studio: error: {source}: ")
    assert problem in captured.err and captured.err.count("\n") == 1
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (tmp_path / "in" / "marker").exists()


def test_import_refuses_a_bad_resolution_and_a_missing_output_folder(tmp_path, capsys):
    source = tmp_path / "latest_net_G.pth"
    _published(source)
    assert main(["models", "import", str(source), "--out", str(tmp_path / "o.safetensors"), "--resolution", "100"]) == 2
    assert "not a multiple of 32" in capsys.readouterr().err
    assert main(["models", "import", str(source), "--out", str(tmp_path / "no" / "o.safetensors")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest_net_G.pth"]


def test_a_second_import_of_the_same_name_is_refused_not_replaced(tmp_path, capsys, user_dirs):
    """The published checkpoints are all called latest_net_G.pth."""
    first, second = tmp_path / "celeba" / "latest_net_G.pth", tmp_path / "other" / "latest_net_G.pth"
    first.parent.mkdir()
    second.parent.mkdir()
    _published(first)
    torch.save({k: v + 1 for k, v in torch.load(first, weights_only=True).items()}, second)
    assert main(["models", "import", str(first)]) == 0
    imported = tmp_path / "data" / "maskgan-studio" / "models" / "latest_net_G.safetensors"
    before = imported.read_bytes()
    capsys.readouterr()
    assert main(["models", "import", str(second)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--name NAME" in err and "--out BUNDLE" in err and str(imported) in err
    assert imported.read_bytes() == before
    assert main(["models", "import", str(second), "--name", "other faces"]) == 0
    assert load_model(imported.with_name("other_faces.safetensors")).name == "other faces"
