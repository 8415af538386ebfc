"""``maskgan-studio edit``: writes the edit, reports JSON, and refuses bad input with exit 2, writing nothing."""

import json
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from engine_support import edit_files, refused, tiny_model
from maskgan_studio.cli import main
from maskgan_studio.io import read_image, write_mask


@pytest.fixture
def files(tmp_path):
    paths = edit_files(tmp_path, 96)
    paths["out"] = tmp_path / "out.png"
    return paths


def _args(files, **changes):
    options = {"image": files["image"], "mask": files["mask"], "edited-mask": files["edited"],
               "out": files["out"], "model": files["model"], "device": "cpu", **changes}
    argv = ["edit"]
    for name, value in options.items():
        if value is not None:
            argv += [f"--{name}", str(value)]
    return argv


def test_edit_writes_the_result_and_reports_json(files, capsys):
    assert main([*_args(files, backend="torch"), "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    said = captured.err.strip().splitlines()
    assert len(said) == 1 and said[0].startswith(f"{files['out']}: ") and "tiny on cpu" in said[0], \
        "one line says what was written"
    assert {"total_ms", "model", "device", "precision", "resolution"} <= set(report)
    assert (report["model"], report["device"], report["precision"], report["resolution"]) == ("tiny", "cpu", "fp32", 64)
    result, source = read_image(files["out"]), read_image(files["image"])
    assert result.shape == source.shape
    assert not np.array_equal(result, source)
    assert np.array_equal(result[80:], source[80:])  # far from the edit: the source, pasted back


def test_no_paste_back_gives_the_raw_drawing(files):
    assert main([*_args(files), "--no-paste-back"]) == 0
    assert not np.array_equal(read_image(files["out"])[80:], read_image(files["image"])[80:])


def test_resize_mask_accepts_masks_of_another_size(files, capsys):
    small = np.asarray(Image.open(files["mask"]))[::2, ::2]
    write_mask(files["mask"], small)
    refused(files, capsys, _args(files), str(files["mask"]), "48x48", "96x96", "--resize-mask")
    assert main([*_args(files), "--resize-mask"]) == 0
    assert read_image(files["out"]).shape == (96, 96, 3)


def test_unreadable_image_is_refused(files, capsys):
    files["image"].write_bytes(b"not an image at all")
    refused(files, capsys, _args(files), str(files["image"]))


def test_unreadable_mask_is_refused(files, capsys):
    missing = files["mask"].parent / "missing.png"
    refused(files, capsys, _args(files, mask=missing), str(missing), "not found")


def test_ids_above_18_are_refused(files, capsys):
    bad = np.full((96, 96), 20, np.uint8)
    Image.fromarray(bad, mode="L").save(files["edited"])
    refused(files, capsys, _args(files), str(files["edited"]), "20")


def test_unwritable_output_is_refused_before_the_work(files, capsys, monkeypatch):
    worked = []
    monkeypatch.setattr("maskgan_studio.engine.EditSession.edit", lambda *a, **k: worked.append(1))
    out = files["out"].parent / "no such folder" / "out.png"
    refused(files, capsys, _args(files, out=out), str(out), "does not exist")
    refused(files, capsys, _args(files, out=files["out"].with_suffix(".tiff")), ".tiff")
    assert not worked


def test_a_file_that_is_not_a_model_is_refused(files, capsys):
    fake = files["model"].parent / "fake.safetensors"
    fake.write_text("hello, I am text")
    refused(files, capsys, _args(files, model=fake), str(fake), "not a model")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_is_refused(files, capsys):
    refused(files, capsys, _args(files, device="cuda"), "--device cuda: CUDA is not available here")


def test_strength_needs_a_model_that_has_it(files, capsys):
    refused(files, capsys, _args(files, strength=0.5), "no strength control")


def test_edit_runs_openvino_on_the_cpu_by_default(files, capsys):
    from maskgan_studio.engine.device import cpu_has_native_bf16

    assert main([*_args(files), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["backend"], report["precision"]) == ("openvino", "bf16" if cpu_has_native_bf16() else "fp32")
    assert main([*_args(files, precision="fp32"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["precision"] == "fp32"


def test_openvino_without_openvino_is_refused(files, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "openvino", None)  # import openvino now raises ImportError
    refused(files, capsys, _args(files, backend="openvino"),
             "--backend openvino: OpenVINO (with its CPU plugin) is not installed", "maskgan-studio[fast]")


def test_without_openvino_auto_runs_torch(files, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "openvino", None)
    assert main([*_args(files), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["backend"] == "eager"


def test_fp16_on_the_cpu_is_refused(files, capsys):
    refused(files, capsys, _args(files, precision="fp16"), "fp16")


def test_generator_texture_writes_the_generators_picture_and_photo_texture_differs_inside_the_edit(files):
    from maskgan_studio.engine import EditSession
    from maskgan_studio.io import read_mask

    image, mask, edited = read_image(files["image"]), read_mask(files["mask"]), read_mask(files["edited"])
    session = EditSession(tiny_model(), device="cpu", compile=False)
    session.set_style_source(image, mask)
    assert main([*_args(files, backend="torch"), "--texture", "generator"]) == 0
    assert np.array_equal(read_image(files["out"]), session.edit(edited))
    assert main(_args(files, backend="torch")) == 0  # photo texture by default
    assert np.array_equal(read_image(files["out"]), session.edit(edited, texture="photo"))
