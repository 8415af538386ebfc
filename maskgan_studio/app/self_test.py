"""``gui --self-test``: the real window paints a scripted stroke and waits for the edited face.

Prints one JSON line: ``{"ok", "first_preview_ms", "result_ms", "max_event_loop_stall_ms", ...}``
(times from the end of the stroke; the stall is the longest gap between 5 ms timer ticks while
the stroke is painted and the model runs) and exits 0, or 1 on any failure or timeout.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from maskgan_studio.app.main_window import MainWindow
from maskgan_studio.app.worker import ModelSpec
from maskgan_studio.core.workspace import ModelInfo, StageResult
from maskgan_studio.labels import ID

TICK_MS = 5
STROKE_STEPS = 40
STEP_MS = 15


class StallMeter(QObject):
    """The longest gap between ticks of a fast timer: how long the event loop was blocked."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.max_gap_ms = 0.0
        self._last = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap_ms = max(self.max_gap_ms, (now - self._last) * 1000 - TICK_MS)
        self._last = now


class SelfTest(QObject):
    def __init__(self, app: QApplication, window: MainWindow, spec: ModelSpec, timeout_s: float = 300):
        super().__init__(window)
        self.app, self.window, self.spec = app, window, spec
        self.report: dict = {"ok": False}
        self.stall = StallMeter(self)
        self._stroke_end: float | None = None
        self._stroke_seq = 0
        self._step = 0
        self._done = False
        self._started = time.perf_counter()
        QTimer.singleShot(int(timeout_s * 1000), lambda: self._fail(f"timed out after {timeout_s:.0f} s"))

    def run(self) -> int:
        self.window.interactive = False
        self.window.show()
        self.report["window_ms"] = round((time.perf_counter() - self._started) * 1000, 1)
        self.report["window_ready_at"] = time.time()
        live = self.window.live
        live.model_ready.connect(self._on_model)
        live.model_failed.connect(lambda message: self._fail(f"model: {message}"))
        live.failed.connect(lambda message: self._fail(f"inference: {message}"))
        self.window.photos.failed.connect(lambda message: self._fail(f"photo: {message}"))
        self.window.workspace.events.shown.connect(self._on_shown)
        self.window.workspace.events.ready.connect(self._on_ready)
        self.window.load_model(self.spec)
        code = self.app.exec()
        print(json.dumps(self.report), flush=True)
        return code

    def _on_model(self, spec: ModelSpec, info: ModelInfo) -> None:
        self.report.update(model=info.name, device=info.device, backend=info.backend, random_weights=info.random,
                           model_ms=round((time.perf_counter() - self._started) * 1000, 1))

    def _on_shown(self, result: StageResult) -> None:
        if self._stroke_end is not None and result.seq >= self._stroke_seq:
            self.report.setdefault("first_preview_ms", round((time.perf_counter() - self._stroke_end) * 1000, 1))

    def _on_ready(self, result: StageResult) -> None:
        """A request is done: before the stroke, the first face drawn (start painting); after it,
        the stroke's result."""
        if self._stroke_end is None:
            if self._step == 0 and self.window.live.idle and not self.window.photos.busy:
                self._begin_stroke()
            return
        if result.seq >= self._stroke_seq:
            self.report["result_ms"] = round((time.perf_counter() - self._stroke_end) * 1000, 1)
            self._finish()

    def _begin_stroke(self) -> None:
        canvas = self.window.canvas
        self._viewport = canvas.viewport()
        height, width = self.window.document.shape
        self._points = [canvas.mapFromScene(width * (0.3 + 0.4 * i / STROKE_STEPS), height * 0.8)
                        for i in range(STROKE_STEPS + 1)]
        self.window.tool_state.set_class(ID["hat"])
        self.stall.start()
        self._step = 1
        QTest.mousePress(self._viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, self._points[0])
        QTimer.singleShot(STEP_MS, self._next_step)

    def _next_step(self) -> None:
        point: QPoint = self._points[self._step]
        QTest.mouseMove(self._viewport, point)
        if self._step < STROKE_STEPS:
            self._step += 1
            QTimer.singleShot(STEP_MS, self._next_step)
            return
        QTest.mouseRelease(self._viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        self._stroke_end = time.perf_counter()
        self._stroke_seq = self.window.live.request_now()
        if not self.window.document.changed_pixels().any():
            self._fail("the scripted stroke painted nothing")

    def _finish(self) -> None:
        self.stall.stop()
        changed = int(self.window.document.changed_pixels().sum())
        origin = self.window.workspace.origin.path
        self.report.update(ok=changed > 0, changed_pixels=changed, from_photo=self.window.document.photo is not None,
                           opened=str(origin or ""),
                           max_event_loop_stall_ms=round(self.stall.max_gap_ms, 1))
        self._quit(0 if changed > 0 else 1)

    def _fail(self, problem: str) -> None:
        if self.report.get("ok"):
            return
        self.report.update(ok=False, error=problem)
        print(f"self-test failed: {problem}", file=sys.stderr)
        self._quit(1)

    def _quit(self, code: int) -> None:
        if self._done:
            return
        self._done = True
        self.window.document.set_modified(False)
        self.window.shutdown()
        self.window.hide()
        self.app.exit(code)
