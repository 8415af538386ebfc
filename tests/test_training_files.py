"""The run folder's files under stress: a resume after a kill, a full disk, a damaged checkpoint."""

import json

import pytest
from disk_support import fill_disk

from maskgan_studio.cli import main
from maskgan_studio.errors import StudioError
from maskgan_studio.training.callbacks import Callback, MetricsLog
from maskgan_studio.training.session import TrainOptions, run_training

pytestmark = pytest.mark.usefixtures("one_torch_thread")


class Killed(Exception):
    pass


class KillAt(Callback):
    """Ends the process's work at once, before step ``step`` is logged (as kill -9 would)."""

    def __init__(self, step):
        self.step = step

    def on_step(self, step):
        if step == self.step:
            raise Killed


def loss_steps(run):
    entries = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    return [entry["step"] for entry in entries if "G_gan" in entry]


def test_a_resume_after_a_kill_logs_each_step_once(tmp_path):
    run = tmp_path / "run"
    preset = tmp_path / "preset.toml"
    from test_training import TINY   # the tiny preset's text

    head, _, tables = TINY.partition("\n[")
    kept = [line for line in head.splitlines() if line.split("=")[0].strip() not in ("checkpoint_every", "log_every")]
    preset.write_text("\n".join(kept + ["checkpoint_every = 2", "log_every = 1"]) + "\n[" + tables)
    options = TrainOptions("dmn", "synthetic", run, str(preset), steps=5, device="cpu")
    with pytest.raises(Killed):
        run_training(options, [MetricsLog(run), KillAt(4)])
    assert loss_steps(run) == [1, 2, 3]           # step 3 was logged after the checkpoint of step 2
    with (run / "log.jsonl").open("a") as log:
        log.write('{"step": 4, "G_ga')           # and a line cut short by the kill
    run_training(TrainOptions("dmn", "synthetic", run, resume=True, device="cpu"), [MetricsLog(run)])
    assert loss_steps(run) == [1, 2, 3, 4, 5]


def test_train_on_a_full_disk_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    fill_disk(monkeypatch, writes_left=1)          # settings.json fits; samples and checkpoint do not
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(tmp_path / "run"), "--steps", "2"]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line]
    assert "Traceback" not in err
    assert len(errors) == 1 and errors[0].endswith("cannot write: No space left on device")


def test_an_unusable_log_is_one_line(tmp_path, capsys):
    run = tmp_path / "run"
    (run / "log.jsonl").mkdir(parents=True)       # the system refuses to read or append
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--steps", "2"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].endswith("log.jsonl: cannot read the log: Is a directory")
    with pytest.raises(StudioError, match="log.jsonl: cannot write: Is a directory"):
        MetricsLog(run).on_log(1, {"loss": 0.5})


@pytest.fixture
def checkpoint(tmp_path):
    import torch

    from maskgan_studio.training.run_state import save_checkpoint

    path = tmp_path / "checkpoint.pt"
    save_checkpoint(path, {"step": 3, "trainer": {"weights": torch.randn(50_000)}})
    return path


def _refusal(path):
    from maskgan_studio.training.run_state import load_checkpoint

    with pytest.raises(StudioError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message and "weights_only" not in message
    return message


def test_a_checkpoint_damaged_in_the_middle_is_refused(checkpoint):
    import os

    data = bytearray(checkpoint.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = os.urandom(4096)
    checkpoint.write_bytes(bytes(data))
    assert "the checkpoint is damaged: its record" in _refusal(checkpoint)


def test_an_empty_checkpoint_says_it_is_empty(checkpoint):
    checkpoint.write_bytes(b"")
    assert "the checkpoint is empty (0 bytes)" in _refusal(checkpoint)


def test_garbage_and_foreign_checkpoints_never_suggest_running_their_code(checkpoint):
    import fractions

    import torch

    checkpoint.write_bytes(os_random(20_000))
    assert "not a training checkpoint" in _refusal(checkpoint)
    torch.save({"format": 1, "step": fractions.Fraction(1, 3)}, checkpoint)   # an object, not data
    assert "holds more than tensors and plain values" in _refusal(checkpoint)


def test_resume_from_a_damaged_checkpoint_exits_2(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--steps", "1"]) == 0
    data = bytearray((run / "checkpoint.pt").read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = os_random(4096)      # 4 KB of random bytes, as the issue found
    (run / "checkpoint.pt").write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["train", "dmn", "--data", "synthetic", "--out", str(run), "--resume", "--steps", "2"]) == 2
    assert "checkpoint is damaged" in capsys.readouterr().err


def os_random(size):
    import numpy as np

    return np.random.default_rng(0).integers(0, 256, size, dtype=np.uint8).tobytes()
