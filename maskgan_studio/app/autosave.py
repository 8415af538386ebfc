"""Autosave to the recovery file every 30 s (when something changed), off the GUI thread.

The snapshot is copied on the GUI thread (microseconds); encoding and writing happen on a
background thread. A clean exit removes the file; after a crash, the next start offers it. The
file remembers where the work came from (the workspace's origin).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from maskgan_studio.core.project import ProjectState
from maskgan_studio.core.recovery import RecoveryFile
from maskgan_studio.core.workspace import Workspace

INTERVAL_MS = 30_000


class Autosave(QObject):
    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, workspace: Workspace, recovery: RecoveryFile, interval_ms: int = INTERVAL_MS,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.document = document = workspace.document
        self.recovery = recovery
        self._saved_version: int | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._pending: Future | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        document.events.modified.connect(self._on_modified)

    def _on_modified(self, modified: bool) -> None:
        if not modified:
            self.discard()

    def save_now(self) -> Future | None:
        """Write the recovery file if the document has unsaved changes not yet autosaved."""
        doc = self.document
        if not doc.modified or doc.revision == self._saved_version:
            return None
        if self._pending is not None and not self._pending.done():
            return None
        self._saved_version = doc.revision
        origin = self.workspace.origin.path
        state = ProjectState.of(doc, {"origin": str(origin) if origin else "", "recovery": True})
        self._pending = self._executor.submit(self.recovery.save, state)
        self._pending.add_done_callback(self._report)
        return self._pending

    def _report(self, future: Future) -> None:
        error = future.exception()
        if error is not None:
            self._saved_version = None
            self.failed.emit(f"Autosave failed: {error}")
        else:
            self.saved.emit(str(self.recovery.path))

    def discard(self) -> None:
        """The work is saved (or deliberately dropped): no recovery needed."""
        if self._pending is not None:
            self._pending.result()
        self._saved_version = None
        self.recovery.discard()

    def shutdown(self) -> None:
        self.timer.stop()
        self.discard()
        self._executor.shutdown(wait=True)
