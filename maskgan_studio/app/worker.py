"""The inference worker: an engine session on its own QThread; the GUI thread never waits for it.

Requests are immutable and numbered. The GUI thread drops each one into a single pending slot
(a newer request replaces an older one that has not started: latest wins) and pokes the worker
with a queued signal. The worker runs the newest request, reporting each stage the session
yields (a preview, then finished images) as a ``StageResult`` stamped with the request's inputs,
then ``done(seq)``; when a newer request arrives meanwhile it skips the remaining stages and
moves on. Failures come back typed (``EditFailure``, ``ModelFailure``); the thread survives
them. torch and the engine are imported on the worker thread, so the window appears before they
finish loading.

torch computes on one core fewer than the machine has (``leave_a_core_for_the_gui``): with every
core busy, torch's spinning intra-op threads otherwise take the GUI thread's share (the editor
never compiles, so the compiler is not what stalls it). Measured with ``gui --self-test`` beside
two busy processes on 2 cores: event-loop stalls 64/79/667 ms and results in 4.9-8.7 s with two
threads, 39/58/60 ms and 1.3-1.4 s with one.

Receivers of these cross-thread signals are ``@Slot`` methods of QObjects (PySide6 6.8+ can crash
delivering queued signals to plain Python callables, PYSIDE-3124); payloads are typed ``object``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from maskgan_studio.core.style_gallery import StyleFace
from maskgan_studio.core.workspace import EditFailure, ModelFailure, ModelInfo, ResultStamp, StageResult
from maskgan_studio.errors import StudioError


@dataclass(frozen=True)
class ModelSpec:
    """Which model to run and where: ``kind`` is "bundled" (else random weights), "random", "file"
    or "model"."""

    kind: str = "bundled"
    path: str = ""
    device: str = "auto"
    precision: str = "auto"
    model: object = field(default=None, compare=False)   # a ready checkpoints.Model ("model")
    compile: bool = False   # torch.compile costs 10-30 s before the first result: off for a quick start
    backend: str = "auto"   # engine.backends; OpenVINO converts in the background while torch draws

    def describe(self) -> str:
        return {"bundled": "bundled model", "random": "random weights", "model": "given model"}.get(
            self.kind, Path(self.path).name)


@dataclass(frozen=True)
class StyleSource:
    """The face whose style the result takes; ``key`` (the document's style version) changes whenever it does.
    ``lender``: the other face of a style copy, (image, mask), whose patches texture the classes the
    style's face lacks."""

    key: int
    image: np.ndarray
    mask: np.ndarray
    lender: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True)
class EditRequest:
    """``style_faces``: the gallery faces ``stamp.style_map`` names (style per region)."""

    seq: int
    mask: np.ndarray
    style: StyleSource
    stamp: ResultStamp
    style_faces: tuple[StyleFace, ...] = ()

    @property
    def options(self) -> dict:
        return {"paste_back": self.stamp.paste_back, "feather": self.stamp.feather,
                "texture": "photo" if self.stamp.photo_texture else "generator", "style_map": self.stamp.style_map}


def _build_session(spec: ModelSpec):
    from maskgan_studio.checkpoints import random_model
    from maskgan_studio.engine import EditSession
    from maskgan_studio.engine.session import RANDOM_FALLBACK, RANDOM_FALLBACK_RESOLUTION

    model = {"model": spec.model, "file": spec.path, "bundled": None}.get(spec.kind)
    if spec.kind == "random":
        model = random_model(RANDOM_FALLBACK, RANDOM_FALLBACK_RESOLUTION, name="random weights")
    return EditSession(model, device=spec.device, precision=spec.precision, compile=spec.compile,
                       backend=spec.backend, convert="background")


def leave_a_core_for_the_gui() -> int:
    """Intra-op threads for torch and the texture stage on this (the worker's) thread: the usable
    cores less one (at least one); returns the count."""
    import torch

    from maskgan_studio.texture.patchmatch import set_threads

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = max(1, cores - 1)
    torch.set_num_threads(threads)
    set_threads(threads)
    return threads


def _available_devices() -> list[str]:
    import torch

    devices = ["auto", "cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def _available_backends() -> list[str]:
    from maskgan_studio.engine.backends import openvino_installed

    return ["auto", "torch", "openvino"] if openvino_installed() else ["auto", "torch"]


def _imported_models() -> list[str]:
    from maskgan_studio import checkpoints

    folder = Path(checkpoints.imported_models_dir())
    return sorted(str(p) for p in folder.glob("*.safetensors")) if folder.is_dir() else []


def describe_error(error: BaseException) -> str:
    if isinstance(error, StudioError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class InferenceWorker(QObject):
    """Lives on the worker thread; talk to it only through ``submit_*`` (thread-safe)."""

    environment = Signal(object)        # {"devices": [...], "backends": [...], "imported": [...]}
    model_ready = Signal(object, object)   # ModelSpec, ModelInfo
    model_failed = Signal(object)       # ModelFailure
    started = Signal(int)               # seq of an inference that begins
    result = Signal(object)             # StageResult
    done = Signal(int)                  # seq whose last stage has been reported
    failed = Signal(object)             # EditFailure
    _wake = Signal()

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._pending_edit: EditRequest | None = None
        self._pending_model: ModelSpec | None = None
        self._session = None
        self._style_key: int | None = None
        self._announced = False
        self._wake.connect(self._process)

    # GUI thread --------------------------------------------------------------------------
    def submit_model(self, spec: ModelSpec) -> None:
        with self._lock:
            self._pending_model = spec
        self._wake.emit()

    def submit_edit(self, request: EditRequest) -> None:
        with self._lock:
            self._pending_edit = request
        self._wake.emit()

    def _has_newer_edit(self) -> bool:
        with self._lock:
            return self._pending_edit is not None or self._pending_model is not None

    # worker thread -----------------------------------------------------------------------
    @Slot()
    def _process(self) -> None:
        with self._lock:
            spec, self._pending_model = self._pending_model, None
        if spec is not None:
            self._load(spec)
        with self._lock:
            request, self._pending_edit = self._pending_edit, None
        if request is None:
            return
        if self._session is None:
            self.failed.emit(EditFailure(request.seq, "No model is loaded: choose one in the Model panel."))
            return
        self._run(request)

    def _load(self, spec: ModelSpec) -> None:
        try:
            leave_a_core_for_the_gui()
            if not self._announced:
                self._announced = True
                self.environment.emit({"devices": _available_devices(), "backends": _available_backends(),
                                       "imported": _imported_models()})
            session = _build_session(spec)
        except Exception as error:  # noqa: BLE001  (any failure is reported, the thread lives on)
            self.model_failed.emit(ModelFailure(spec.describe(), f"Cannot load {spec.describe()}: "
                                                                  f"{describe_error(error)}"))
            return
        self._session, self._style_key = session, None
        self.model_ready.emit(spec, ModelInfo(
            session.model_name, str(session.device), session.precision, session.resolution,
            bool(session.supports_strength), session.is_random, session.backend))

    def _run(self, request: EditRequest) -> None:
        self.started.emit(request.seq)
        try:
            if self._style_key != request.style.key:
                self._session.set_style_source(request.style.image, request.style.mask)
                self._session.set_texture_reference(*(request.style.lender or (None,)))
                self._style_key = request.style.key
            for face in request.style_faces:   # encoded once per face: again, it costs a hash
                self._session.set_style_reference(face.key, face.image, face.mask)
            options = request.options
            if self._session.supports_strength:
                options["strength"] = request.stamp.strength
            start = time.perf_counter()
            for result in self._session.edit_progressive(request.mask, cancelled=self._has_newer_edit, **options):
                elapsed = getattr(result, "elapsed_ms", None) or (time.perf_counter() - start) * 1000
                self.result.emit(StageResult(request.seq, result.stage, result.image, float(elapsed), request.stamp,
                                             result.notices))
                if self._has_newer_edit():
                    return
            if self._has_newer_edit():  # the texture stage stopped for a newer request: not done
                return
        except Exception as error:  # noqa: BLE001
            logging.getLogger(__name__).exception("inference %d failed", request.seq)
            self._style_key = None
            self.failed.emit(EditFailure(request.seq, describe_error(error)))
            return
        self.done.emit(request.seq)


class WorkerThread:
    """Owns the QThread and the worker; ``stop()`` ends it cleanly (the window calls it on close)."""

    def __init__(self):
        self.thread = QThread()
        self.thread.setObjectName("inference")
        self.worker = InferenceWorker()
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self, timeout_ms: int = 10000) -> None:
        self.thread.quit()
        self.thread.wait(timeout_ms)
