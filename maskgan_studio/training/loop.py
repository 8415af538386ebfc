"""The loop every stage shares: data, updates, logs, samples, checkpoints, resume, Ctrl-C.

Ctrl-C (SIGINT) asks the loop to stop after the current step: it writes the checkpoint and the
model bundle and returns; a second Ctrl-C stops at once. A NaN or infinite loss stops before the
update that would spread it, and the checkpoint on disk stays the last good one.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

from maskgan_studio.checkpoints import save_bundle
from maskgan_studio.training.callbacks import Callback, compose_grid
from maskgan_studio.training.data import FaceStream, FolderFaces, batches
from maskgan_studio.training.data_mix import Mix, MixedStream
from maskgan_studio.training.run_state import (
    CHECKPOINT_NAME,
    capture_rng,
    restore_rng,
    save_checkpoint,
)
from maskgan_studio.training.trainer import NonFiniteLoss, Trainer

BUNDLE_NAME = "model.safetensors"
SAMPLE_ROWS = 4


@dataclass
class Outcome:
    step: int
    interrupted: bool
    bundle: Path | None


def _ignore_sigint(_worker_id: int) -> None:
    """Loader workers leave Ctrl-C to the main process, which stops cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class TrainingLoop:
    def __init__(
        self,
        trainer: Trainer,
        run_dir: Path,
        source: FolderFaces | Mix | None,
        held_out: dict[str, torch.Tensor] | None,
        callbacks: list[Callback] = (),
        workers: int = 0,
    ):
        self.trainer = trainer
        self.config = trainer.config
        self.runtime = trainer.runtime
        self.run_dir = Path(run_dir)
        self.source = source
        self.held_out = held_out
        self.callbacks = list(callbacks) if self.runtime.is_main else []
        self.workers = workers
        self.step = 0
        self.position = 0  # samples this rank has consumed
        self._stop_requested = False

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / CHECKPOINT_NAME

    def _emit(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def say(self, text: str) -> None:
        if self.runtime.is_main:
            if self.callbacks:
                self._emit("on_message", text)
            else:
                print(text)

    # -- checkpoints -------------------------------------------------------------------------
    def save(self) -> None:
        """Every rank's RNG state and stream position go to rank 0, which writes the file."""
        per_rank = self.runtime.gather({"rng": capture_rng(), "position": self.position})
        if self.runtime.is_main:
            save_checkpoint(
                self.checkpoint_path,
                {
                    "step": self.step,
                    "stage": self.trainer.stage,
                    "config": self.config.to_dict(),
                    "trainer": self.trainer.state_dict(),
                    "ranks": per_rank,
                    "callbacks": [callback.state_dict() for callback in self.callbacks],
                },
            )
        self.runtime.barrier()

    def restore(self, state: dict) -> None:
        self.trainer.load_state_dict(state["trainer"])
        self.step = int(state["step"])
        ranks = state["ranks"]
        if len(ranks) == self.runtime.world:
            mine = ranks[self.runtime.rank]
            restore_rng(mine["rng"])
            self.position = int(mine["position"])
        else:
            self.say(f"resuming on {self.runtime.world} process(es) after {len(ranks)}: the data order changes")
            self.position = self.step * self.config.batch_size
        for callback, callback_state in zip(self.callbacks, state.get("callbacks", [])):
            callback.load_state_dict(callback_state)

    def write_bundle(self) -> Path | None:
        if not self.runtime.is_main:
            return None
        model = self.trainer.bundle()
        model.training = self.trainer.training_record(self.step)
        path = self.run_dir / BUNDLE_NAME
        save_bundle(path, model)
        return path

    # -- the loop ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _sigint_requests_stop(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum, frame):
            if self._stop_requested:
                raise KeyboardInterrupt
            self._stop_requested = True
            self.say("stopping after this step (Ctrl-C again to stop at once)")

        previous = signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def _batches(self) -> Iterator[dict]:
        config = self.config
        options = dict(
            resolution=config.resolution,
            seed=config.seed,
            rank=self.runtime.rank,
            world=self.runtime.world,
            flip=config.flip,
            with_images=self.trainer.needs_images,
            restyle=config.restyle if self.trainer.uses_style_source else 0.0,
        )
        mixed = isinstance(self.source, Mix)
        stream = MixedStream(self.source, **options) if mixed else FaceStream(self.source, **options)
        pin = self.runtime.device.type == "cuda"
        return batches(stream, config.batch_size, self.position, self.workers, pin, _ignore_sigint)

    def _report(self, losses: dict[str, torch.Tensor]) -> None:
        """Losses every ``log_every`` steps; metrics and samples every ``eval_every`` /
        ``sample_every`` steps and at the last step."""
        config, step = self.config, self.step
        last = step == config.steps
        if step % config.log_every == 0 and losses:
            self._emit("on_log", step, {key: float(value) for key, value in losses.items()})
        if self.held_out is None or not self.runtime.is_main:
            return
        if step % config.eval_every == 0 or last:
            self._emit("on_log", step, self.trainer.evaluate(self.held_out))
        if step % config.sample_every == 0 or last:
            rows = {key: value[:SAMPLE_ROWS] for key, value in self.held_out.items()}
            self._emit("on_samples", step, compose_grid(self.trainer.sample_columns(rows)))

    def run(self, checkpoint: dict | None = None) -> Outcome:
        """Train to ``config.steps``, first restoring ``checkpoint`` (a loaded checkpoint file) when
        resuming; returns where it stopped and the bundle written (rank 0)."""
        if checkpoint is not None:
            self.restore(checkpoint)
        total = self.config.steps
        self._emit("on_start", self.step, total)
        saved_at = self.step if checkpoint is not None else -1
        try:
            with self._sigint_requests_stop():
                batches = self._batches()
                while self.step < total:
                    batch = next(batches)
                    losses = self.trainer.g_step(batch)
                    losses.update(self.trainer.d_step(batch))
                    self.step += 1
                    self.position += self.config.batch_size
                    self._emit("on_step", self.step)
                    self._report(losses)
                    stop = self.runtime.any_true(self._stop_requested)
                    if stop or self.step % self.config.checkpoint_every == 0:
                        self.save()
                        saved_at = self.step
                    if stop:
                        break
                if saved_at != self.step:
                    self.save()
                bundle = self.write_bundle()
        except NonFiniteLoss as exc:
            kept = f"the checkpoint of step {saved_at} is kept" if saved_at >= 0 else "no checkpoint was written"
            raise NonFiniteLoss(f"{exc} (at step {self.step + 1}; {kept} in {self.run_dir})") from None
        finally:
            self._emit("on_end", self.step)
        interrupted = self.step < total
        if interrupted:
            self.say(f"stopped at step {self.step}; continue with --resume --out {self.run_dir}")
        return Outcome(self.step, interrupted, bundle)
