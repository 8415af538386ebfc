"""Keeps the result in step with the document: every change becomes a numbered request.

Changes within one pass of the event loop collapse into one request. Results older than the
one on screen are dropped; ``idle`` is true once the newest request's final image (or its
error) has arrived.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from maskgan_studio.app.worker import EditRequest, InferenceWorker, ModelSpec, StyleSource
from maskgan_studio.core.document import MaskDocument

_ENGINE_SETTINGS = {"paste_back", "feather", "strength"}


class LiveResult(QObject):
    shown = Signal(object, str, float)    # image, stage, elapsed ms
    failed = Signal(str)
    model_ready = Signal(object)
    model_failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, document: MaskDocument, worker: InferenceWorker, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.worker = worker
        self.seq = 0
        self.shown_seq = -1
        self.shown_stage = ""
        self.done_seq = 0
        self.inferences = 0
        self.model_info: dict | None = None
        self.model_loading = False   # between load_model and model_ready / model_failed
        self._style: StyleSource | None = None
        self._style_key = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.request_now)
        document.events.mask.connect(self._on_mask)
        document.events.source.connect(self._on_style)
        document.events.reference.connect(self._on_style)
        document.events.settings.connect(self._on_settings)
        worker.started.connect(self._on_started)
        worker.result.connect(self._on_result)
        worker.failed.connect(self._on_failed)
        worker.model_ready.connect(self._on_model_ready)

    @property
    def idle(self) -> bool:
        """No request waiting to be sent and the newest one answered."""
        return self.done_seq >= self.seq and not self._timer.isActive()

    def load_model(self, spec: ModelSpec) -> None:
        self.model_info = None
        self.model_loading = True
        self.worker.submit_model(spec)
        self.schedule()

    def schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def request_now(self) -> int:
        """Send the document as it is now; returns the request's number."""
        self._timer.stop()
        if self._style is None:
            self._on_style()
        self.seq += 1
        settings = self.document.settings
        self.worker.submit_edit(EditRequest(
            self.seq, self.document.edited_mask.copy(), self._style,
            settings.paste_back, settings.feather, settings.strength))
        self.busy_changed.emit(True)
        return self.seq

    def _on_mask(self, rect) -> None:
        self.schedule()

    def _on_settings(self, changed) -> None:
        if changed & _ENGINE_SETTINGS:
            self.schedule()

    def _on_style(self) -> None:
        """The style comes from the reference face when one is loaded, else from the source."""
        doc = self.document
        self._style_key += 1
        if doc.reference_image is not None:
            image, mask = doc.reference_image, doc.reference_mask
        else:
            image, mask = doc.source_image, doc.source_mask
        self._style = StyleSource(self._style_key, np.array(image), np.array(mask))
        self.schedule()

    @Slot(int)
    def _on_started(self, seq: int) -> None:
        self.inferences += 1

    @Slot(int, str, object, float)
    def _on_result(self, seq: int, stage: str, image, elapsed_ms: float) -> None:
        if seq < self.shown_seq or (seq == self.shown_seq and self.shown_stage == "final"):
            return
        self.shown_seq, self.shown_stage = seq, stage
        if stage == "final":
            self.done_seq = max(self.done_seq, seq)
        self.shown.emit(image, stage, elapsed_ms)
        if stage == "final":
            self._finish(seq)

    @Slot(int, str)
    def _on_failed(self, seq: int, message: str) -> None:
        if seq < 0:
            self.model_loading = False
            self.model_failed.emit(message)
            self._finish(self.seq)
            return
        self.failed.emit(message)
        self._finish(seq)

    def _finish(self, seq: int) -> None:
        self.done_seq = max(self.done_seq, seq)
        if self.idle:
            self.busy_changed.emit(False)

    @Slot(object)
    def _on_model_ready(self, info: dict) -> None:
        self.model_info = info
        self.model_loading = False
        self.model_ready.emit(info)

