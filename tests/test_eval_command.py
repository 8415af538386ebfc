import json
import math

import pytest

from maskgan_studio.checkpoints import random_model, save_bundle
from maskgan_studio.cli import main
from maskgan_studio.nets import DMNConfig

REQUIRED = {
    "overall": ("psnr_changed", "ssim", "delta_e_median"),
    "style_copy": ("delta_e_median", "ssim"),
}


@pytest.fixture(scope="module")
def tiny_bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "tiny.safetensors"
    config = DMNConfig(ngf=8, n_downsample=2, n_blocks=1, style_nf=8)
    save_bundle(path, random_model(config, resolution=64, name="tiny"))
    return path


def _finite(section: dict, keys) -> bool:
    return all(isinstance(section[k], float) and math.isfinite(section[k]) for k in keys)


def test_eval_writes_every_figure(tiny_bundle, tmp_path, capsys):
    out = tmp_path / "eval.json"
    code = main(["eval", "--model", str(tiny_bundle), "--count", "2", "--seed", "5", "--json", str(out),
                 "--device", "cpu", "--no-compile"])
    assert code == 0
    report = json.loads(out.read_text())
    for section, keys in REQUIRED.items():
        assert _finite(report[section], keys), section
    assert _finite(report["baselines"]["copy_source"], ("psnr_changed", "ssim"))
    assert _finite(report["baselines"]["no_paste_back"], ("psnr_changed", "ssim", "delta_e_median"))
    assert _finite(report["with_photo_texture"], ("psnr_changed", "ssim", "delta_e_median"))
    assert report["per_kind"] and all(_finite(f, ("psnr_changed", "ssim")) for f in report["per_kind"].values())
    assert (report["model"], report["count"], report["seed"], report["resolution"]) == ("tiny", 2, 5, 64)
    assert report["face_seeds"] == [2**31 + 5, 2**31 + 6]
    assert len(report["targets"]) == 5
    assert _finite(report["region_style"]["model"], ("restyled_delta_e_median", "kept_psnr"))
    assert report["region_style"]["model"]["n"] >= 1
    captured = capsys.readouterr()
    printed = captured.out
    assert "eval" in captured.err and "2/2" in captured.err, "a progress bar, even when stderr is not a terminal"
    again = tmp_path / "again.json"
    main(["eval", "--model", str(tiny_bundle), "--count", "2", "--seed", "5", "--json", str(again),
          "--device", "cpu", "--no-compile"])
    assert again.read_text() == out.read_text()
    assert "| model |" in printed and "| copy source (baseline) |" in printed
    assert "| model with photo texture |" in printed
    assert "| edit kind | n | PSNR changed dB | with photo texture |" in printed
    assert "| style per region (hair from the next face) |" in printed
    assert sum(line.startswith(("PASS", "FAIL")) for line in printed.splitlines()) == 5


def test_check_exits_1_when_a_random_model_misses_the_targets(tiny_bundle, capsys):
    assert main(["eval", "--model", str(tiny_bundle), "--count", "1", "--device", "cpu", "--no-compile", "--check"]) == 1
    assert "FAIL" in capsys.readouterr().out


@pytest.mark.parametrize(
    "override, named",
    [
        ({"--count": "0"}, "--count"),
        ({"--count": "-3"}, "--count"),
        ({"--model": "{tmp}/missing.safetensors"}, "missing.safetensors"),
        ({"--model": "{tmp}/garbage.safetensors"}, "garbage.safetensors"),
        ({"--json": "{tmp}/no/such/folder/eval.json"}, "eval.json"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(override, named, tiny_bundle, tmp_path, capsys):
    (tmp_path / "garbage.safetensors").write_bytes(b"\x00not a model" * 10)
    options = {"--model": str(tiny_bundle), "--count": "1", "--json": str(tmp_path / "eval.json")}
    options["--device"] = "cpu"
    options.update({key: value.format(tmp=tmp_path) for key, value in override.items()})
    assert main(["eval", *(item for pair in options.items() for item in pair), "--no-compile"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and named in captured.err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["garbage.safetensors"]
