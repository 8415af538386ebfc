"""The run's checkpoint file: everything needed to continue as if never stopped.

``checkpoint.pt`` holds the step count, the settings, the trainer's networks, optimisers and
loss scalers, every rank's random-number states (torch, CUDA, NumPy, Python) and data-stream
position, and the callbacks' states. It is written atomically and read with
``torch.load(weights_only=True)``: plain containers and tensors only, no code. Before that, every
record is checked against the CRC-32 the file carries (``verify_checkpoint``), so a damaged file
is refused rather than trained on.
"""

from __future__ import annotations

import os
import random
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import torch

from maskgan_studio.errors import InputFileError
from maskgan_studio.io.atomic import atomic_write

CHECKPOINT_NAME = "checkpoint.pt"
FORMAT = 1


def capture_rng() -> dict:
    """This process's random-number states, as tensors and plain values."""
    numpy_state = np.random.get_state(legacy=False)
    python_version, python_internal, python_gauss = random.getstate()
    state = {
        "torch": torch.get_rng_state(),
        "numpy": {
            "key": torch.from_numpy(numpy_state["state"]["key"].astype(np.int64)),
            "pos": int(numpy_state["state"]["pos"]),
            "has_gauss": int(numpy_state["has_gauss"]),
            "gauss": float(numpy_state["gauss"]),
        },
        "python": {"version": python_version, "internal": list(python_internal), "gauss": python_gauss},
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    numpy_state = state["numpy"]
    np.random.set_state(
        {
            "bit_generator": "MT19937",
            "state": {"key": numpy_state["key"].numpy().astype(np.uint32), "pos": numpy_state["pos"]},
            "has_gauss": numpy_state["has_gauss"],
            "gauss": numpy_state["gauss"],
        }
    )
    python = state["python"]
    random.setstate((python["version"], tuple(python["internal"]), python["gauss"]))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def save_checkpoint(path: str | os.PathLike, state: dict) -> None:
    with atomic_write(path) as handle:
        torch.save({"format": FORMAT, **state}, handle)


def load_checkpoint(path: str | os.PathLike) -> dict:
    """The checkpoint's state, after ``verify_checkpoint``; anything else is one line."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "no checkpoint to resume from (run without --resume to start)")
    verify_checkpoint(path)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # many kinds; torch's own text suggests running the file's code: never pass it on
        raise InputFileError(path, "not a training checkpoint of this program (it holds more than tensors "
                                   "and plain values)") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise InputFileError(path, "not a training checkpoint of this program")
    return state


def verify_checkpoint(path: Path) -> None:
    """Check every record of the file against the CRC-32 that ``torch.save`` stores beside it
    (torch.load itself does not), so that damage anywhere is refused before training on it."""
    if path.stat().st_size == 0:
        raise InputFileError(path, "the checkpoint is empty (0 bytes): it was never written completely")
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, struct.error):
        raise InputFileError(path, "not a training checkpoint (not a torch.save archive, or damaged "
                                   "beyond reading)") from None
    if damaged is not None:
        raise InputFileError(path, f"the checkpoint is damaged: its record {damaged} fails its checksum")
