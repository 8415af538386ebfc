"""Training end to end on CPU: every stage's tiny preset, learning, resume, Ctrl-C, divergence."""

import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
import torch

from maskgan_studio.checkpoints import load_model
from maskgan_studio.cli import main
from maskgan_studio.errors import StudioError
from maskgan_studio.io import write_image, write_mask
from maskgan_studio.nets import DMNGenerator
from maskgan_studio.synth import sample
from maskgan_studio.training.callbacks import Callback
from maskgan_studio.training.config import load_preset
from maskgan_studio.training.run_state import load_checkpoint, seed_everything
from maskgan_studio.training.session import TrainOptions, run_training
from maskgan_studio.training.trainer import NonFiniteLoss

TINY = (Path(__file__).resolve().parents[1] / "maskgan_studio" / "presets" / "tiny.toml").read_text()


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def write_faces(folder: Path, seeds, size=64) -> Path:
    (folder / "images").mkdir(parents=True)
    (folder / "masks").mkdir()
    for seed in seeds:
        image, mask, _ = sample(seed, size)
        write_image(folder / "images" / f"{seed}.png", image)
        write_mask(folder / "masks" / f"{seed}.png", mask)
    return folder


def preset_file(tmp_path: Path, **changes) -> Path:
    """The tiny preset with top-level settings replaced (a preset given by file)."""
    head, _, tables = TINY.partition("\n[")
    kept = [line for line in head.splitlines() if line.split("=")[0].strip() not in changes]
    lines = kept + [f"{key} = {json.dumps(value)}" for key, value in changes.items()]
    path = tmp_path / "preset.toml"
    path.write_text("\n".join(lines) + "\n[" + tables)
    return path


def read_log(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]


def test_every_stage_runs_and_leaves_a_loadable_bundle(tmp_path, capsys):
    dmn_run, vae_run, ebst_run = tmp_path / "dmn", tmp_path / "vae", tmp_path / "ebst"
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(dmn_run), "--steps", "3"]) == 0
    assert "without the VGG-19 perceptual loss" in capsys.readouterr().out
    dmn_bundle = dmn_run / "model.safetensors"
    model = load_model(dmn_bundle)
    assert model.resolution == 64 and model.vae is None and model.training["stage"] == "dmn"
    assert (dmn_run / "samples" / "step_0000003.png").exists()  # samples and metrics at the last step
    assert {"G_gan", "G_fm", "G_l1", "G_colour", "D_fake", "D_real"} <= set(read_log(dmn_run)[0])

    assert main(["train", "vae", "--data", "synthetic", "--out", str(vae_run), "--steps", "3"]) == 0
    vae_model = load_model(vae_run / "model.safetensors")
    assert list(vae_model.components) == ["vae"]  # no --init: the MaskVAE alone
    assert 0 <= read_log(vae_run)[-1]["val_miou"] <= 1

    argv = ["train", "ebst", "--data", "synthetic", "--out", str(ebst_run), "--steps", "3"]
    assert main(argv + ["--dmn", str(dmn_bundle), "--vae", str(vae_run / "model.safetensors")]) == 0
    ebst_model = load_model(ebst_run / "model.safetensors")
    assert ebst_model.has_strength
    torch.testing.assert_close(ebst_model.vae.state_dict(), vae_model.vae.state_dict())  # the VAE stays frozen
    assert {"B_gan", "B_fm", "B_l1"} <= set(read_log(ebst_run)[0])


def test_a_vae_started_from_a_dmn_bundle_carries_that_dmn_unchanged(tmp_path):
    dmn_run, vae_run = tmp_path / "dmn", tmp_path / "vae"
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(dmn_run), "--steps", "1"]) == 0
    argv = ["train", "vae", "--data", "synthetic", "--out", str(vae_run), "--steps", "2"]
    assert main(argv + ["--init", str(dmn_run / "model.safetensors")]) == 0
    vae_model = load_model(vae_run / "model.safetensors")
    assert sorted(vae_model.components) == ["dmn", "vae"]
    torch.testing.assert_close(vae_model.dmn.state_dict(), load_model(dmn_run / "model.safetensors").dmn.state_dict())


def test_dmn_trains_on_restyled_procedural_targets(tmp_path):
    run = tmp_path / "run"
    preset = preset_file(tmp_path, restyle=0.5)
    assert main(["train", "dmn", "--data", "synthetic", "--preset", str(preset), "--out", str(run), "--steps", "3"]) == 0
    assert load_model(run / "model.safetensors").training["config"]["restyle"] == 0.5
    l1 = [entry["G_l1"] for entry in read_log(run) if "G_l1" in entry]
    assert l1 and np.isfinite(l1).all()


def test_sample_grids_show_mask_target_output(tmp_path):
    data = write_faces(tmp_path / "faces", range(4))
    run = tmp_path / "run"
    assert main(["train", "dmn", "--data", str(data), "--out", str(run), "--steps", "10"]) == 0
    grid = (run / "samples" / "step_0000010.png")
    from maskgan_studio.io import read_image

    picture = read_image(grid)
    assert picture.shape == (4 * 64 + 3 * 2, 3 * 64 + 2 * 2, 3)  # 4 faces, 3 columns, 2 px gaps
    assert any(entry.get("val_l1") is not None for entry in read_log(run))


def test_200_steps_halve_the_reconstruction_error_on_four_faces(tmp_path):
    data = write_faces(tmp_path / "faces", range(100, 104))
    preset = preset_file(tmp_path, batch_size=2, flip=False, steps=200, checkpoint_every=1000, sample_every=1000,
                         log_every=1000, eval_every=1000)
    config = load_preset(preset, "dmn")
    seed_everything(config.seed)
    initial = DMNGenerator(config.dmn)  # run_training starts from the same weights
    _, trainer = run_training(TrainOptions("dmn", str(data), tmp_path / "run", str(preset), device="cpu"), callbacks=[])
    from maskgan_studio.training.data import held_out

    batch = held_out(str(data), 4, 64, 0)
    label = torch.nn.functional.one_hot(batch["mask"].long(), 19).permute(0, 3, 1, 2).float()
    with torch.no_grad():
        before = (initial(label, label, batch["image"]) - batch["image"]).abs().mean().item()
    after = trainer.evaluate(batch)["val_l1"]
    assert after <= before / 2, (before, after)


class InterruptAt(Callback):
    """Presses Ctrl-C (a real SIGINT to this process) once step ``step`` is done."""

    def __init__(self, step):
        self.step = step

    def on_step(self, step):
        if step == self.step:
            os.kill(os.getpid(), signal.SIGINT)


class Losses(Callback):
    def __init__(self):
        self.by_step = {}

    def on_log(self, step, values):
        if "G_gan" in values or "ce" in values:
            self.by_step[step] = values


@pytest.mark.parametrize("stage", ["dmn", "vae", "parser"])
def test_ctrl_c_then_resume_continues_exactly(tmp_path, stage):
    straight = Losses()
    run_training(TrainOptions(stage, "synthetic", tmp_path / "a", "tiny", steps=4, device="cpu"), [straight])

    first = Losses()
    outcome, _ = run_training(TrainOptions(stage, "synthetic", tmp_path / "b", "tiny", steps=4, device="cpu"),
                              [first, InterruptAt(2)])
    assert outcome.interrupted and outcome.step == 2
    assert load_checkpoint(tmp_path / "b" / "checkpoint.pt")["step"] == 2
    assert (tmp_path / "b" / "model.safetensors").exists()

    resumed = Losses()
    outcome, _ = run_training(TrainOptions(stage, "synthetic", tmp_path / "b", resume=True, device="cpu"), [resumed])
    assert not outcome.interrupted and outcome.step == 4
    assert sorted(resumed.by_step) == [3, 4]
    for step in (1, 2):
        assert first.by_step[step] == straight.by_step[step]
    for step in (3, 4):
        assert resumed.by_step[step] == straight.by_step[step]


class PoisonAt(Callback):
    """Puts a NaN into the generator after step ``step``, as a diverging run would."""

    def __init__(self, trainer_holder, step):
        self.holder, self.step = trainer_holder, step

    def on_step(self, step):
        if step == self.step:
            with torch.no_grad():
                next(self.holder["trainer"].dmn.parameters()).fill_(float("nan"))


def test_a_nan_loss_stops_with_a_message_and_keeps_the_last_good_checkpoint(tmp_path, monkeypatch):
    holder = {}
    from maskgan_studio.training import session

    original = session.build_trainer

    def remember(*args):
        holder["trainer"] = original(*args)
        return holder["trainer"]

    monkeypatch.setattr(session, "build_trainer", remember)
    preset = preset_file(tmp_path, checkpoint_every=2)
    with pytest.raises(NonFiniteLoss) as failure:
        run_training(TrainOptions("dmn", "synthetic", tmp_path / "run", str(preset), device="cpu"),
                     [PoisonAt(holder, 3)])
    message = str(failure.value)
    assert "NaN or infinite" in message and "step 4" in message and "checkpoint of step 2" in message
    state = load_checkpoint(tmp_path / "run" / "checkpoint.pt")
    assert state["step"] == 2
    assert all(torch.isfinite(v).all() for v in state["trainer"]["nets"]["dmn"].values())
    assert not (tmp_path / "run" / "model.safetensors").exists()


def test_run_folder_mistakes_are_one_line_errors(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--resume"]) == 2
    assert "no checkpoint to resume from" in capsys.readouterr().err
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--steps", "1"]) == 0
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--steps", "1"]) == 2
    assert "already holds a run" in capsys.readouterr().err
    assert main(["train", "vae", "--data", "synthetic", "--out", str(run), "--resume"]) == 2
    assert "holds a 'dmn' run" in capsys.readouterr().err
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--resume", "--seed", "0"]) == 2
    assert "only --steps may change" in capsys.readouterr().err
    assert main(["train", "ebst", "--data", "synthetic", "--out", str(tmp_path / "e")]) == 2
    assert "--dmn BUNDLE --vae BUNDLE" in capsys.readouterr().err
    assert not (tmp_path / "e").exists(), "a refused run leaves no folder behind"
    assert main(["train", "dmn", "--data", str(tmp_path / "missing"), "--out", str(tmp_path / "m")]) == 2
    assert "not a prepared dataset folder" in capsys.readouterr().err
    assert not (tmp_path / "m").exists(), "a refused run leaves no folder behind"
    assert main(["train", "dmn", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")]) == 2
    assert "not a prepared dataset folder" in capsys.readouterr().err


def test_nothing_is_downloaded_and_a_given_vgg_file_adds_the_perceptual_loss(tmp_path, capsys):
    from maskgan_studio.training.vgg import vgg19_features

    torch.manual_seed(0)
    state = {f"features.{k}": v for k, v in vgg19_features().state_dict().items()}
    state["classifier.0.weight"] = torch.zeros(2, 2)  # torchvision files carry the classifier too
    weights = tmp_path / "vgg19.pth"
    torch.save(state, weights)
    run = tmp_path / "run"
    argv = ["train", "dmn", "--data", "synthetic", "--steps", "1", "--vgg-weights"]
    assert main(argv + [str(weights), "--out", str(run)]) == 0
    assert "G_vgg" in read_log(run)[0]
    assert "without the VGG-19" not in capsys.readouterr().out

    torch.save({"features.0.weight": torch.zeros(3)}, tmp_path / "bad.pth")
    assert main(argv + [str(tmp_path / "bad.pth"), "--out", str(tmp_path / "r2")]) == 2
    assert "bad.pth" in capsys.readouterr().err
    assert not (tmp_path / "r2" / "checkpoint.pt").exists()


def test_training_from_a_folder_with_split_lists_uses_only_the_train_faces(tmp_path):
    data = write_faces(tmp_path / "faces", range(6))
    (data / "train.txt").write_text("0\n1\n2\n")
    (data / "val.txt").write_text("3\n")
    from maskgan_studio.training.data import FaceStream, FolderFaces, held_out

    source = FolderFaces(data, "train")
    assert [p[0].stem for p in source.pairs] == ["0", "1", "2"]
    assert held_out(str(data), 8, 64, 0)["mask"].shape[0] == 1
    stream = FaceStream(source, 64, seed=3, flip=False)
    seen = {int(stream[k]["mask"].sum()) for k in range(9)}
    expected = {int(np.asarray(source.load(i)[1], dtype=np.int64).sum()) for i in range(3)}
    assert seen == expected


def test_bad_preset_settings_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("resolution = 64\n[dmn]\nngff = 3\n")
    with pytest.raises(StudioError, match="bad.toml.*ngff"):
        load_preset(bad, "dmn")
    assert load_preset("bundled", "vae").batch_size == 16  # [stages.vae] overrides the top level
    assert load_preset("paper", "dmn").optim.lr == 5e-5
