"""The editor's speed: brush dab paint path, launch time, event-loop stalls while the model runs.

    python benchmarks/bench_paint.py [--dabs 400] [--launch-runs 3] [--stroke-seconds 5] [--load N] [--model PATH]

1. Paint path (offscreen window, 512x512 mask, no model): one dab = a mouse-move event on the
   canvas -> core stroke segment -> display buffer update of the dirty rect -> repaint of that
   region. Target: p95 <= 8 ms. Also the core alone and core + display buffer, to show the split.
2. Launch: ``maskgan-studio gui --self-test`` in a fresh process; "window" is process start to
   the main window shown (target <= 3 s); the self-test's preview/result times come along.
3. Continuous stroke: paints for ``--stroke-seconds`` while the model (bundled, else random
   weights) redraws the result; reports the longest event-loop stall (target <= 50 ms) over the
   stroke and until the final result after release. While painting, the worker shows previews and
   skips finals that a newer mask has made stale; the final follows the release. It runs with
   ``--load`` busy processes beside it (default: one per core, "both cores busy"), then idle.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


def sample_face(size: int = 512) -> tuple[np.ndarray, np.ndarray]:
    from maskgan_studio.app.launch import sample_paths
    from maskgan_studio.app.files import read_face

    image_path, mask_path = sample_paths()
    if image_path.is_file():
        image, mask = read_face(image_path, mask_path)
        if mask.shape == (size, size):
            return image, mask
    from maskgan_studio.synth import random_mask, random_style, render

    rng = np.random.default_rng(0)
    mask = random_mask(rng, size)
    return render(mask, random_style(rng)), mask


def make_window(image, mask):
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QSettings

    from maskgan_studio.app.app_settings import AppSettings
    from maskgan_studio.app.launch import application
    from maskgan_studio.app.main_window import MainWindow
    from maskgan_studio.core import MaskDocument, RecoveryFile

    app = application()
    scratch = Path(tempfile.mkdtemp(prefix="bench-paint-"))
    settings = AppSettings(QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(MaskDocument(image, mask), settings, RecoveryFile(scratch / "r.maskgan"))
    window.show()
    app.processEvents()
    return app, window


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def busy_cores(count: int):
    """``count`` processes that keep a core each busy while the block runs."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(count)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
            spinner.join()


def circle_points(count: int, size: int, radius_fraction: float = 0.3):
    centre = size / 2
    return [(centre + size * radius_fraction * math.cos(2 * math.pi * i / 90),
             centre + size * radius_fraction * math.sin(2 * math.pi * i / 90)) for i in range(count)]


def wait_until(condition, timeout_s: float = 600) -> None:
    """Run the event loop until ``condition()`` holds (PySide6's processEvents(flags, ms) overload
    corrupts None's refcount on Python 3.11, so poll from a timer inside a QEventLoop instead)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, poll = QEventLoop(), QTimer()
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start(20)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()


def percentiles(values_ms) -> str:
    values = np.asarray(values_ms)
    return f"{np.median(values):8.2f} {np.percentile(values, 95):8.2f} {values.max():8.2f}"


def bench_paint_path(dabs: int) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    from maskgan_studio.core import Stroke

    image, mask = sample_face()
    app, window = make_window(image, mask)
    canvas, viewport = window.canvas, window.canvas.viewport()
    print(f"Paint path: 512x512 mask, window {window.width()}x{window.height()}, canvas zoom "
          f"{canvas.zoom * 100:.0f} %, {dabs} dabs per row (ms)")
    print(f"{'brush':>6} {'stage':<28} {'median':>8} {'p95':>8} {'max':>8}")
    for size in (8, 32, 128):
        window.tool_state.set_size(size)
        window.tool_state.set_class(13)
        points = circle_points(dabs + 1, 512)
        core, with_buffer, full = [], [], []
        stroke = Stroke(window.document)
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            start = time.perf_counter()
            stroke.paint((x0, y0), (x1, y1), size, 4)
            core.append((time.perf_counter() - start) * 1000)
        stroke.finish()
        layer = canvas.mask_layer
        stroke = Stroke(window.document)
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            start = time.perf_counter()
            with window.document.events.mask.blocked():
                rect = stroke.paint((x0, y0), (x1, y1), size, 5)
            layer.refresh(rect)
            with_buffer.append((time.perf_counter() - start) * 1000)
        stroke.finish()
        screen = [canvas.mapFromScene(QPointF(x, y)) for x, y in points]
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, screen[0])
        app.processEvents()
        for point in screen[1:]:
            start = time.perf_counter()
            QTest.mouseMove(viewport, point)
            app.processEvents()
            full.append((time.perf_counter() - start) * 1000)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, screen[-1])
        window.live._timer.stop()
        print(f"{size:>6} {'core stroke segment':<28} {percentiles(core)}")
        print(f"{size:>6} {'+ display buffer':<28} {percentiles(with_buffer)}")
        print(f"{size:>6} {'mouse event to repainted':<28} {percentiles(full)}")
    window.document.set_modified(False)
    window.close()


def bench_launch(runs: int, model: str | None) -> None:
    print(f"\nLaunch: `maskgan-studio gui --self-test` in a fresh process, {runs} runs (ms)")
    print(f"{'run':>4} {'window shown':>13} {'first preview':>14} {'final result':>13} {'max stall':>10}  model")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for run in range(runs):
        command = [sys.executable, "-m", "maskgan_studio", "gui", "--self-test"] + (["--model", model] if model else [])
        started = time.time()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            print(f"{run:>4} failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
            continue
        report = json.loads(lines[-1])
        window_ms = (report["window_ready_at"] - started) * 1000
        print(f"{run:>4} {window_ms:>13.0f} {report['first_preview_ms']:>14.0f} {report['result_ms']:>13.0f} "
              f"{report['max_event_loop_stall_ms']:>10.1f}  {report.get('model')} on {report.get('device')}")


def bench_continuous_stroke(seconds: float, model: str | None, load: int = 0) -> None:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from maskgan_studio.app.self_test import StallMeter
    from maskgan_studio.app.worker import ModelSpec

    image, mask = sample_face()
    app, window = make_window(image, mask)
    window.live.model_failed.connect(print)
    window.load_model(ModelSpec("file", model) if model else ModelSpec("bundled"))
    wait_until(lambda: window.workspace.model is not None and window.live.idle)
    info = window.workspace.model
    canvas, viewport = window.canvas, window.canvas.viewport()
    points = [canvas.mapFromScene(x, y) for x, y in circle_points(100_000, 512, 0.25)]
    window.tool_state.set_size(24)
    meter = StallMeter()
    results = []
    window.workspace.events.shown.connect(lambda result: results.append((result.stage, result.elapsed_ms)))
    first_inference = window.live.inferences
    state = {"step": 0, "until": time.perf_counter() + seconds}

    def step():
        state["step"] += 1
        window.tool_state.set_class(4 + state["step"] // 60 % 10)
        QTest.mouseMove(viewport, points[state["step"]])
        if time.perf_counter() >= state["until"]:
            timer.stop()
            QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                               points[state["step"]])
            done.quit()

    done = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(step)
    meter.start()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    timer.start()
    done.exec()
    released = time.perf_counter()
    wait_until(lambda: window.live.idle)
    settle_ms = (time.perf_counter() - released) * 1000
    meter.stop()
    finals = [ms for stage, ms in results if stage != "preview"]
    previews = [ms for stage, ms in results if stage == "preview"]
    print(f"\nContinuous stroke: {seconds:.0f} s of painting (a move every 10 ms) with "
          f"{info.name} on {info.device} ({info.resolution} px), {load} busy processes beside it "
          f"({os.cpu_count()} cores)")
    print(f"{'dabs':>6} {'inferences':>11} {'previews':>9} {'finals':>7} {'preview ms':>11} {'final ms':>9} "
          f"{'release to final ms':>20} {'max stall ms':>13}")
    median = lambda values: np.median(values) if values else float("nan")  # noqa: E731
    print(f"{state['step']:>6} {window.live.inferences - first_inference:>11} {len(previews):>9} {len(finals):>7} "
          f"{median(previews):>11.0f} {median(finals):>9.0f} {settle_ms:>20.0f} {meter.max_gap_ms:>13.1f}")
    window.document.set_modified(False)
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dabs", type=int, default=400)
    parser.add_argument("--launch-runs", type=int, default=3)
    parser.add_argument("--stroke-seconds", type=float, default=5.0)
    parser.add_argument("--load", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="busy processes beside the continuous stroke (default: one per core)")
    parser.add_argument("--model", help="a model file (default: the bundled model, else random weights)")
    args = parser.parse_args()
    bench_paint_path(args.dabs)
    if args.launch_runs:
        bench_launch(args.launch_runs, args.model)
    if args.stroke_seconds:
        for load in dict.fromkeys((args.load, 0)):
            with busy_cores(load):
                bench_continuous_stroke(args.stroke_seconds, args.model, load)


if __name__ == "__main__":
    main()
