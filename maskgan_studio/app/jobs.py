"""Photo work off the GUI thread: face finding, alignment and auto masks run one at a time on a QThread.

This is a second thread beside the inference worker, so masking a photo never holds up the live
result (and a slow inference never holds up a mask). ``submit(call, done, failed)`` queues a
callable; its return value comes back to ``done`` on the GUI thread, or its error, as one line,
to ``failed``. The thread survives every error.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from maskgan_studio.app.worker import describe_error
from maskgan_studio.errors import StudioError


class _Runner(QObject):
    """Lives on the jobs thread."""

    finished = Signal(int, object)
    failed = Signal(int, str)

    @Slot(int, object)
    def run(self, job_id: int, call: Callable[[], object]) -> None:
        try:
            result = call()
        except Exception as error:  # noqa: BLE001  (reported to the caller; the thread lives on)
            if not isinstance(error, StudioError):
                logging.getLogger(__name__).exception("background job %d failed", job_id)
            self.failed.emit(job_id, describe_error(error))
            return
        self.finished.emit(job_id, result)


class BackgroundJobs(QObject):
    _queue = Signal(int, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable, Callable]] = {}
        self.thread = QThread()
        self.thread.setObjectName("photo jobs")
        self._runner = _Runner()
        self._runner.moveToThread(self.thread)
        self._queue.connect(self._runner.run)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self.thread.start()

    @property
    def pending(self) -> int:
        """Jobs submitted whose answer has not reached the GUI thread yet."""
        return len(self._callbacks)

    def submit(self, call: Callable[[], object], done: Callable[[object], None],
               failed: Callable[[str], None]) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (done, failed)
        self._queue.emit(job_id, call)
        return job_id

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: object) -> None:
        done, _ = self._callbacks.pop(job_id)
        done(result)

    @Slot(int, str)
    def _on_failed(self, job_id: int, message: str) -> None:
        _, failed = self._callbacks.pop(job_id)
        failed(message)

    def stop(self, timeout_ms: int = 10000) -> None:
        self.thread.quit()
        self.thread.wait(timeout_ms)
