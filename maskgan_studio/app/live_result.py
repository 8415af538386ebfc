"""Keeps the workspace's result in step with the document: every change becomes a numbered request.

Changes within one pass of the event loop collapse into one request, stamped with the inputs it
is drawn from. The worker's answers are written into the workspace, which drops those older
than the image on screen; ``idle`` is true once the newest request is done (or failed).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from maskgan_studio.app.worker import EditRequest, InferenceWorker, ModelSpec, StyleSource
from maskgan_studio.core.workspace import EditFailure, ModelFailure, ModelInfo, StageResult, Workspace

_ENGINE_SETTINGS = {"paste_back", "feather", "strength", "photo_texture"}


class LiveResult(QObject):
    failed = Signal(str)
    model_ready = Signal(object, object)   # ModelSpec, ModelInfo
    model_failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, workspace: Workspace, worker: InferenceWorker, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.document = workspace.document
        self.worker = worker
        self.seq = 0
        self.inferences = 0
        self.model_loading = False   # between load_model and model_ready / model_failed
        self._style: StyleSource | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.request_now)
        self.document.events.mask.connect(self._on_mask)
        self.document.events.source.connect(self._on_style)
        self.document.events.reference.connect(self._on_style)
        self.document.events.style_map.connect(self.schedule)
        self.document.events.settings.connect(self._on_settings)
        worker.started.connect(self._on_started)
        worker.result.connect(self._on_result)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.model_ready.connect(self._on_model_ready)
        worker.model_failed.connect(self._on_model_failed)

    @property
    def idle(self) -> bool:
        """No request waiting to be sent and the newest one answered."""
        return self.workspace.done_seq >= self.seq and not self._timer.isActive()

    def load_model(self, spec: ModelSpec) -> None:
        self.workspace.set_model(None)
        self.model_loading = True
        self.worker.submit_model(spec)
        self.schedule()

    def schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def request_now(self) -> int:
        """Send the document as it is now; returns the request's number."""
        self._timer.stop()
        if self._style is None or self._style.key != self.document.style_version:
            self._on_style()
        self.seq += 1
        stamp = self.workspace.stamp()
        self.worker.submit_edit(EditRequest(self.seq, self.document.edited_mask.copy(), self._style, stamp,
                                            self.document.gallery.in_use(stamp.style_map)))
        self.busy_changed.emit(True)
        return self.seq

    def _on_mask(self, rect) -> None:
        self.schedule()

    def _on_settings(self, changed) -> None:
        if changed & _ENGINE_SETTINGS:
            self.schedule()

    def _on_style(self) -> None:
        """The style comes from the reference face when one is loaded, else from the source; the
        other face of a style copy lends the texture of the classes the style's face lacks."""
        doc = self.document
        source = (np.array(doc.source_image), np.array(doc.source_mask))
        if doc.reference_image is not None:
            image, mask = np.array(doc.reference_image), np.array(doc.reference_mask)
            self._style = StyleSource(doc.style_version, image, mask, lender=source)
        else:
            self._style = StyleSource(doc.style_version, *source)
        self.schedule()

    @Slot(int)
    def _on_started(self, seq: int) -> None:
        self.inferences += 1

    @Slot(object)
    def _on_result(self, result: StageResult) -> None:
        self.workspace.offer(result)

    @Slot(int)
    def _on_done(self, seq: int) -> None:
        self._finish(seq)

    @Slot(object)
    def _on_failed(self, failure: EditFailure) -> None:
        self.failed.emit(failure.message)
        self._finish(failure.seq)

    @Slot(object)
    def _on_model_failed(self, failure: ModelFailure) -> None:
        self.model_loading = False
        self.model_failed.emit(failure.message)
        self._finish(self.seq)

    def _finish(self, seq: int) -> None:
        self.workspace.request_done(seq)
        if self.idle:
            self.busy_changed.emit(False)

    @Slot(object, object)
    def _on_model_ready(self, spec: ModelSpec, info: ModelInfo) -> None:
        self.model_loading = False
        self.workspace.set_model(info)
        self.model_ready.emit(spec, info)
