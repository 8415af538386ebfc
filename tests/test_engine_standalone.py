"""In the frozen standalone app torch.compile cannot work (no Python sources, no compiler): never try."""

import sys

import torch

from engine_support import tiny_model
from maskgan_studio.engine import EditSession
from maskgan_studio.engine.fast_generate import can_compile


def test_a_frozen_app_never_compiles(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")  # a compiler is "there"
    assert can_compile(torch.device("cpu"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert not can_compile(torch.device("cpu")) and not can_compile(torch.device("cuda"))
    for compile in (True, "auto"):
        assert EditSession(tiny_model(), device="cpu", compile=compile).backend == "eager"
