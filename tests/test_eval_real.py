"""``eval --real``: real photos redrawn from their own masks, scored as SEAN's table scores them."""

import json

import numpy as np
import torch
from skimage.metrics import structural_similarity

from maskgan_studio.checkpoints import random_model, save_bundle
from maskgan_studio.cli import main
from maskgan_studio.io import read_image, write_image, write_mask
from maskgan_studio.nets import DMNConfig
from maskgan_studio.synth import sample


def test_two_faces_give_the_numbers_computed_here(tmp_path, capsys):
    folder = tmp_path / "real"
    folder.mkdir()
    faces = [sample(seed, 64)[:2] for seed in (11, 12)]
    for index, (image, mask) in enumerate(faces):
        write_image(folder / f"face_{index:02d}.png", image)
        write_mask(folder / f"face_{index:02d}_mask.png", mask)
    write_image(folder / "face_09.png", faces[0][0])  # no mask beside it: not a face to score
    model = random_model(DMNConfig(ngf=8, n_downsample=2, n_blocks=1, style_nf=4), resolution=64, seed=3)
    generator = torch.Generator().manual_seed(5)
    with torch.no_grad():  # untrained weights barely read the style: stir them so the style shows
        for parameter in model.dmn.parameters():
            parameter.add_(0.2 * torch.randn(parameter.shape, generator=generator))
    bundle = save_bundle(tmp_path / "tiny.safetensors", model)
    out = tmp_path / "real.json"
    sheet = tmp_path / "sheet.png"
    assert main(["eval", "--real", str(folder), "--model", str(bundle), "--device", "cpu", "--backend", "torch",
                 "--no-compile", "--json", str(out), "--sheet", str(sheet)]) == 0

    psnrs, ssims, rmses, rows = [], [], [], []
    dmn = model.dmn.eval()
    for image, mask in faces:
        label = torch.nn.functional.one_hot(torch.from_numpy(mask).long(), 19).permute(2, 0, 1)[None].float()
        photo = torch.from_numpy(image).permute(2, 0, 1)[None].float() / 127.5 - 1
        with torch.no_grad():
            drawn = dmn(label, label, photo)
        drawn = ((drawn[0].clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()
        error = (drawn.astype(float) - image.astype(float)) / 255
        psnrs.append(10 * np.log10(1 / np.mean(error**2)))
        rmses.append(np.sqrt(np.mean(error**2)))
        ssims.append(structural_similarity(drawn, image, channel_axis=2, data_range=255))
        rows.append(np.concatenate([image, drawn], axis=1))

    result = json.loads(out.read_text())
    assert [face["name"] for face in result["faces"]] == ["face_00", "face_01"]
    np.testing.assert_allclose(result["mean"]["psnr"], np.mean(psnrs), atol=0.02)
    np.testing.assert_allclose(result["mean"]["ssim"], np.mean(ssims), atol=2e-3)
    np.testing.assert_allclose(result["mean"]["rmse"], np.mean(rmses), atol=1e-3)
    assert np.abs(read_image(sheet).astype(int) - np.concatenate(rows).astype(int)).max() <= 1
    printed = capsys.readouterr().out
    assert "pix2pixHD (SEAN, Table 1" in printed and "17.14" in printed and "18.74" in printed
    assert f"{np.mean(psnrs):.2f}" in printed.splitlines()[-1]


def test_a_folder_without_faces_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["eval", "--real", str(tmp_path / "empty"), "--device", "cpu", "--no-compile"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no face_NN.png" in err
