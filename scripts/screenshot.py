"""Start the real editor on an X server, paint an edit, wait for the result, save a screenshot.

    scripts/screenshot.sh            # runs this under Xvfb (apt-get install xvfb libxcb-cursor0)
    python scripts/screenshot.py [--out assets/screenshot.png] [--model PATH]

Uses the bundled sample face and the bundled model (random weights until
one ships); settings and the recovery file go to a scratch folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPointF, QSettings, Qt, QTimer
from PySide6.QtTest import QTest

from maskgan_studio.app.app_settings import AppSettings
from maskgan_studio.app.launch import application, first_document
from maskgan_studio.app.main_window import MainWindow
from maskgan_studio.app.worker import ModelSpec
from maskgan_studio.core import RecoveryFile
from maskgan_studio.labels import ID

ROOT = Path(__file__).resolve().parents[1]


def wait(app, condition, timeout_s: float = 300) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: condition() and loop.quit())
    timer.start(50)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    timer.stop()
    if not condition():
        sys.exit("screenshot: timed out waiting for the editor")


def stroke(window, points, class_id: int, size: int, tool_key: str = "tool_brush") -> None:
    window.actions[tool_key].trigger()
    window.tool_state.set_class(class_id)
    window.tool_state.set_size(size)
    viewport = window.canvas.viewport()
    screen = [window.canvas.mapFromScene(QPointF(x, y)) for x, y in points]
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, screen[0])
    for a, b in zip(screen, screen[1:]):
        for t in range(1, 9):
            QTest.mouseMove(viewport, a + (b - a) * t / 8)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, screen[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "assets" / "screenshot.png"))
    parser.add_argument("--model", help="a model file (default: the bundled model)")
    args = parser.parse_args()
    app = application()
    scratch = Path(tempfile.mkdtemp(prefix="maskgan-screenshot-"))
    settings = AppSettings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(first_document(None, None), settings, RecoveryFile(scratch / "recovery.maskgan"))
    window.interactive = False
    window.resize(1600, 960)
    window.move(0, 0)
    window.show()
    window.load_model(ModelSpec("file", args.model) if args.model else ModelSpec("bundled"))
    wait(app, lambda: window.workspace.model is not None and window.live.idle)
    size = window.document.shape[0] / 512
    # Bangs across the forehead, then an open smile.
    stroke(window, [(180 * size, 175 * size), (256 * size, 195 * size), (335 * size, 175 * size)], ID["hair"], 44)
    stroke(window, [(228 * size, 380 * size), (256 * size, 386 * size), (286 * size, 380 * size)], ID["mouth"], 9)
    window.tool_state.set_class(ID["hair"])
    window.tool_state.set_size(28)
    QTest.mouseMove(window.canvas.viewport(), window.canvas.mapFromScene(QPointF(390 * size, 300 * size)))
    wait(app, lambda: window.live.idle and window.workspace.exportable() is not None)
    app.processEvents()
    shot = window.screen().grabWindow(0, window.x(), window.y(), window.width(), window.height())
    if shot.isNull():
        shot = window.grab()
    shot.save(args.out)
    print(f"saved {args.out} ({shot.width()}x{shot.height()}, model: {window.workspace.model.name})")
    window.document.set_modified(False)
    window.close()


if __name__ == "__main__":
    main()
