"""Callbacks of the training loop (Lightning's shape): hooks that do nothing unless overridden,
each with its own state saved in the checkpoint. Only rank 0 runs them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

from maskgan_studio.errors import InputFileError
from maskgan_studio.io import write_image
from maskgan_studio.io.atomic import atomic_write


class Callback:
    def on_start(self, step: int, total: int) -> None:
        """Training begins (or resumes) at ``step`` of ``total``."""

    def on_step(self, step: int) -> None:
        """One generator and one discriminator update are done."""

    def on_log(self, step: int, values: dict[str, float]) -> None:
        """Losses (every ``log_every`` steps) or held-out metrics (every ``eval_every``)."""

    def on_samples(self, step: int, grid: np.ndarray) -> None:
        """A sample grid (uint8 (H, W, 3)): one face per row, mask | target | output..."""

    def on_message(self, text: str) -> None:
        """A line for the user (checkpoint written, interrupted...)."""

    def on_end(self, step: int) -> None:
        """The loop is over (finished, interrupted or failed)."""

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state: dict) -> None:
        """Restore what ``state_dict`` returned."""


class ProgressBar(Callback):
    """tqdm: steps done, step rate and the latest losses; per-class values (``name/class``) only go
    to the log and TensorBoard, which groups them by name."""

    def __init__(self, stage: str):
        self.stage = stage
        self.bar: tqdm | None = None
        self.latest: dict[str, float] = {}

    def on_start(self, step: int, total: int) -> None:
        self.bar = tqdm(total=total, initial=step, desc=f"train {self.stage}", unit="step", dynamic_ncols=True)

    def on_step(self, step: int) -> None:
        self.bar.update(step - self.bar.n)

    def on_log(self, step: int, values: dict[str, float]) -> None:
        self.latest.update(values)
        shown = {key: f"{value:.3g}" for key, value in self.latest.items() if "/" not in key}
        self.bar.set_postfix(shown, refresh=False)

    def on_message(self, text: str) -> None:
        (self.bar.write if self.bar is not None else print)(text, file=sys.stderr)

    def on_end(self, step: int) -> None:
        if self.bar is not None:
            self.bar.close()


class MetricsLog(Callback):
    """``log.jsonl`` in the run folder: one JSON object per logged step.

    A run that starts at ``step`` (a resume from its checkpoint) first drops the entries after
    that step, which a run killed after its last checkpoint had logged and is about to log again."""

    def __init__(self, run_dir: Path):
        self.path = run_dir / "log.jsonl"

    def on_start(self, step: int, total: int) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(self.path, f"cannot read the log: {getattr(exc, 'strerror', None) or exc}") from None
        kept = [line for line in lines if (logged := _logged_step(line)) is not None and logged <= step]
        if kept != lines:
            with atomic_write(self.path, "w") as handle:
                handle.writelines(line + "\n" for line in kept)

    def on_log(self, step: int, values: dict[str, float]) -> None:
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"step": step, **values}) + "\n")
        except OSError as exc:
            raise InputFileError(self.path, f"cannot write: {exc.strerror or exc}") from None


def _logged_step(line: str) -> int | None:
    """The step of one log line; None for a line a kill cut short."""
    try:
        step = json.loads(line).get("step")
    except (ValueError, AttributeError):
        return None
    return step if isinstance(step, int) else None


class SampleGrids(Callback):
    """``samples/step_NNNNNNN.png`` in the run folder."""

    def __init__(self, run_dir: Path):
        self.folder = run_dir / "samples"

    def on_samples(self, step: int, grid: np.ndarray) -> None:
        self.folder.mkdir(exist_ok=True)
        write_image(self.folder / f"step_{step:07d}.png", grid)


class TensorBoard(Callback):
    """Scalars and sample grids under ``tensorboard/`` when the tensorboard package is installed."""

    def __init__(self, run_dir: Path):
        from torch.utils.tensorboard import SummaryWriter  # ImportError without tensorboard

        self.writer = SummaryWriter(str(run_dir / "tensorboard"))

    def on_log(self, step: int, values: dict[str, float]) -> None:
        for key, value in values.items():
            self.writer.add_scalar(key, value, step)

    def on_samples(self, step: int, grid: np.ndarray) -> None:
        self.writer.add_image("samples", grid, step, dataformats="HWC")

    def on_end(self, step: int) -> None:
        self.writer.close()


def tensorboard_or_none(run_dir: Path) -> TensorBoard | None:
    try:
        return TensorBoard(run_dir)
    except ImportError:
        return None


def compose_grid(columns: list[list[np.ndarray]], gap: int = 2) -> np.ndarray:
    """Columns of equal-size images -> one picture, a face per row, white gaps between cells."""
    rows = len(columns[0])
    height, width = columns[0][0].shape[:2]
    grid = np.full((rows * (height + gap) - gap, len(columns) * (width + gap) - gap, 3), 255, np.uint8)
    for c, column in enumerate(columns):
        for r, image in enumerate(column):
            top, left = r * (height + gap), c * (width + gap)
            grid[top : top + height, left : left + width] = image
    return grid
