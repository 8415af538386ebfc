"""Shared by the core and app tests: a small procedural face and an isolated editor window."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from maskgan_studio.labels import ID, PALETTE


def face(size: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A cartoon face: (image, mask) with background, hair, skin, two eyes and lips."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    mask = np.zeros((size, size), dtype=np.uint8)
    mask[((xx - 0.5) / 0.42) ** 2 + ((yy - 0.45) / 0.45) ** 2 < 1] = ID["hair"]
    mask[((xx - 0.5) / 0.32) ** 2 + ((yy - 0.55) / 0.38) ** 2 < 1] = ID["skin"]
    mask[((xx - 0.38) / 0.06) ** 2 + ((yy - 0.48) / 0.03) ** 2 < 1] = ID["r_eye"]
    mask[((xx - 0.62) / 0.06) ** 2 + ((yy - 0.48) / 0.03) ** 2 < 1] = ID["l_eye"]
    mask[((xx - 0.5) / 0.1) ** 2 + ((yy - 0.72) / 0.025) ** 2 < 1] = ID["u_lip"]
    rng = np.random.default_rng(seed)
    image = np.clip(PALETTE[mask].astype(np.int16) // 2 + 60 + rng.integers(-8, 9, (size, size, 3)), 0, 255)
    return image.astype(np.uint8), mask


def make_window(qtbot, tmp_path, document=None, size: int = 64):
    """The real main window with its settings and recovery file in ``tmp_path``."""
    from PySide6.QtCore import QSettings

    from maskgan_studio.app.app_settings import AppSettings
    from maskgan_studio.app.launch import application
    from maskgan_studio.app.main_window import MainWindow
    from maskgan_studio.core import MaskDocument, RecoveryFile

    application()
    document = document or MaskDocument(*face(size))
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(document, settings, RecoveryFile(tmp_path / "recovery.maskgan"))
    qtbot.addWidget(window, before_close_func=lambda w: (w.document.set_modified(False), w.shutdown()))
    window.show()
    qtbot.waitExposed(window)
    return window


def window_with_model(qtbot, tmp_path, model, **settings):
    """``make_window`` with ``model`` (a checkpoints.Model) loaded on the CPU and the first result
    drawn; ``settings`` go to the document first."""
    from maskgan_studio.app.worker import ModelSpec

    window = make_window(qtbot, tmp_path)
    if settings:
        window.document.update_settings(**settings)
    with qtbot.waitSignal(window.live.model_ready, timeout=60_000):
        window.load_model(ModelSpec("model", device="cpu", model=model))
    wait_idle(qtbot, window)
    return window


def wait_idle(qtbot, window, timeout: int = 60_000) -> None:
    """Until the worker has no request left."""
    qtbot.waitUntil(lambda: window.live.idle, timeout=timeout)


def tiny_model():
    """A random-weight model small enough for tests (64 px, a few thousand parameters)."""
    import torch

    from maskgan_studio.checkpoints.model import random_model
    from maskgan_studio.nets import DMNConfig

    torch.set_num_threads(1)
    return random_model(DMNConfig(ngf=4, n_downsample=2, n_blocks=1, style_nf=4), resolution=64, seed=0)


def give_result(window, image, stage: str = "final") -> None:
    """As if the worker had drawn ``image`` for the document as it is now and finished the request."""
    from maskgan_studio.core.workspace import StageResult

    window.live.seq += 1
    window.workspace.offer(StageResult(window.live.seq, stage, image, 1.0, window.workspace.stamp()))
    window.workspace.request_done(window.live.seq)


def run_gui(*args: str, cwd) -> subprocess.CompletedProcess:
    """``maskgan-studio gui ARGS`` in a subprocess on the offscreen platform, run in ``cwd`` with
    its settings kept there."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(cwd))
    return subprocess.run([sys.executable, "-m", "maskgan_studio", "gui", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def gui_self_test(opened: str, folder) -> dict:
    """``gui OPENED --self-test`` with the tiny model saved in ``folder``: the report it prints."""
    from maskgan_studio.checkpoints import save_bundle

    save_bundle(folder / "tiny.safetensors", tiny_model())
    done = run_gui(opened, "--model", "tiny.safetensors", "--device", "cpu", "--self-test", cwd=folder)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
