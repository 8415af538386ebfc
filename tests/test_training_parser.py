"""``train parser``: the face parser on (image, mask) pairs; VAE-only bundles and their old checkpoints."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from maskgan_studio.checkpoints import load_model
from maskgan_studio.cli import main
from maskgan_studio.io import read_image, read_mask, write_image, write_mask
from maskgan_studio.labels import ID, PALETTE
from maskgan_studio.nets import DMNGenerator, FaceParser
from maskgan_studio.synth import sample
from maskgan_studio.training.config import load_preset
from maskgan_studio.training.data import held_out
from maskgan_studio.training.losses import confusion_counts, mean_iou
from maskgan_studio.training.parser_trainer import jitter_colours, random_zoom
from maskgan_studio.training.run_state import load_checkpoint, save_checkpoint, seed_everything
from maskgan_studio.training.session import TrainOptions, run_training


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def read_log(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]


def test_tiny_parser_run_ends_with_a_parser_bundle_that_parse_uses(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "parser", "--data", "synthetic", "--out", str(run), "--steps", "3"]) == 0
    bundle = run / "model.safetensors"
    model = load_model(bundle)
    assert list(model.components) == ["parser"] and model.parser.config.input_size == 64
    assert model.training["stage"] == "parser" and model.training["steps"] == 3
    log = read_log(run)
    assert {"ce", "ce_aux8", "ce_aux16"} <= set(log[0])
    scores = log[-1]
    assert 0 <= scores["val_miou"] <= 1 and 0 <= scores["val_iou/skin"] <= 1
    assert read_image(run / "samples" / "step_0000003.png").shape == (4 * 64 + 3 * 2, 3 * 64 + 2 * 2, 3)

    face, _, _ = sample(5, 128)
    photo, mask = tmp_path / "face.png", tmp_path / "mask.png"
    write_image(photo, face)
    assert main(["parse", str(photo), "--out", str(mask), "--model", str(bundle), "--whole-image"]) == 0
    assert "mask by parser" in capsys.readouterr().err and read_mask(mask).shape == (128, 128)


QUIET_PRESET = """
resolution = 64
batch_size = 2
steps = 60
checkpoint_every = 1000
sample_every = 1000
log_every = 1000
eval_every = 1000
[optim]
lr = 1e-3
beta1 = 0.9
"""


def test_sixty_steps_raise_the_held_out_miou(tmp_path):
    preset = tmp_path / "quiet.toml"
    preset.write_text(QUIET_PRESET)
    config = load_preset(preset, "parser")
    seed_everything(config.seed)
    initial = FaceParser(config.parser).eval()  # run_training starts from the same weights
    _, trainer = run_training(TrainOptions("parser", "synthetic", tmp_path / "run", str(preset), device="cpu"), [])
    batch = held_out("synthetic", 8, config.resolution, config.seed)
    with torch.no_grad():
        labels = initial((batch["image"] + 1) / 2).argmax(1)
    before = mean_iou(*confusion_counts(labels, batch["mask"].long(), 19))
    after = trainer.evaluate(batch)
    assert after["val_miou"] > before + 0.05, (before, after["val_miou"])  # measured: 0.018 -> 0.124
    assert after["val_iou/background"] > 0.5  # measured: 0.63


def test_zoom_moves_image_and_mask_together_and_jitter_stays_in_range():
    _, mask, _ = sample(2, 128)
    masks = torch.from_numpy(np.stack([mask, mask])).long()
    image = torch.from_numpy(PALETTE[masks.numpy()]).permute(0, 3, 1, 2).float() / 255  # colour = class
    torch.manual_seed(0)
    zoomed, zoomed_mask = random_zoom(image, masks)
    assert not torch.equal(zoomed_mask, masks)
    expected = torch.from_numpy(PALETTE[zoomed_mask.numpy()]).permute(0, 3, 1, 2).float() / 255
    agree = ((zoomed - expected).abs().amax(dim=1) < 0.02).float().mean()
    assert agree > 0.9, agree  # all but the blended class borders (unmoved masks agree on 0.68)
    jittered = jitter_colours(image)
    assert jittered.min() >= 0 and jittered.max() <= 1 and not torch.allclose(jittered, image)


def test_parser_batches_of_one_are_refused(tmp_path, capsys):
    argv = ["train", "parser", "--data", "synthetic", "--out", str(tmp_path / "r"), "--batch-size", "1"]
    assert main(argv) == 2
    assert "batch size of at least 2" in capsys.readouterr().err


def test_an_old_vae_checkpoint_with_an_untrained_dmn_resumes_into_a_vae_only_bundle(tmp_path):
    """Runs saved before VAE-only bundles existed carried an untrained DMN (``dmn_trained`` false)."""
    run = tmp_path / "run"
    run_training(TrainOptions("vae", "synthetic", run, steps=2, device="cpu"), callbacks=[])
    state = load_checkpoint(run / "checkpoint.pt")
    config = load_preset("tiny", "vae")
    state["trainer"]["nets"]["dmn"] = DMNGenerator(config.dmn).state_dict()
    state["trainer"]["dmn_trained"] = False
    save_checkpoint(run / "checkpoint.pt", state)
    outcome, _ = run_training(TrainOptions("vae", "synthetic", run, resume=True, steps=3, device="cpu"), callbacks=[])
    assert outcome.step == 3
    assert list(load_model(run / "model.safetensors").components) == ["vae"]


def test_a_vae_only_bundle_is_not_an_editing_model(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "vae", "--data", "synthetic", "--out", str(run), "--steps", "1"]) == 0
    bundle = run / "model.safetensors"
    assert main(["models", "info", str(bundle)]) == 0
    assert "edits:       no (it holds no DMN generator)" in capsys.readouterr().out
    face, mask, _ = sample(1, 64)
    write_image(tmp_path / "f.png", face)
    write_mask(tmp_path / "m.png", mask)
    edited = mask.copy()
    edited[:8, :8] = ID["hat"]
    write_mask(tmp_path / "e.png", edited)
    argv = ["edit", "--image", str(tmp_path / "f.png"), "--mask", str(tmp_path / "m.png"), "--edited-mask",
            str(tmp_path / "e.png"), "--out", str(tmp_path / "o.png"), "--model", str(bundle), "--device", "cpu"]
    assert main(argv) == 2
    assert "holds no DMN generator, which editing needs (it holds: MaskVAE)" in capsys.readouterr().err


def test_init_from_a_published_parser_and_refusing_an_init_the_stage_cannot_use(tmp_path, capsys):
    torch.manual_seed(0)
    published = tmp_path / "79999_iter.pth"
    torch.save(FaceParser().state_dict(), published)
    run = tmp_path / "run"
    assert main(["train", "parser", "--data", "synthetic", "--out", str(run), "--steps", "1",
                 "--init", str(published)]) == 0
    assert load_model(run / "model.safetensors").parser.config.input_size == 64  # the preset's resolution
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(tmp_path / "d"), "--init", str(published)]) == 2
    err = capsys.readouterr().err
    assert str(published) in err and "holds no DMN generator, so train dmn cannot start from it" in err
