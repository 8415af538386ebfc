"""The status bar: pointer position and class, zoom, last inference time, model and device, and a
busy indicator while photo work (finding a face, an auto mask) runs in the background."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.workspace import ModelInfo
from maskgan_studio.labels import CLASSES


class StatusBar(QStatusBar):
    def __init__(self, document: MaskDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.cursor = QLabel()
        self.zoom = QLabel()
        self.timing = QLabel("—")
        self.model = QLabel("Loading model…")
        self._tasks: dict[str, str] = {}
        self.busy_text = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)   # indeterminate: it moves while work goes on
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(72, 10)
        self.addPermanentWidget(self.busy_text)   # permanent: messages do not hide it
        self.addPermanentWidget(self.busy_bar)
        self.busy_text.hide()
        self.busy_bar.hide()
        for label, tip in ((self.cursor, "Pixel and class under the pointer"), (self.zoom, "Zoom"),
                           (self.timing, "Time of the last inference (preview, final)"),
                           (self.model, "The model drawing the result and where it runs")):
            label.setToolTip(tip)
            self.addPermanentWidget(label)
        self._pointer = (-1, -1)
        self.show_cursor(-1, -1)
        self.show_zoom(1.0)
        document.events.mask.connect(self._on_mask)
        document.events.source.connect(self._on_mask)

    def set_busy(self, task: str, text: str | None) -> None:
        """Show ``text`` with a moving bar while ``task`` runs; ``None`` ends that task."""
        if text is None:
            self._tasks.pop(task, None)
        else:
            self._tasks[task] = text
        busy = bool(self._tasks)
        if busy:
            self.busy_text.setText(list(self._tasks.values())[-1])
        self.busy_text.setVisible(busy)
        self.busy_bar.setVisible(busy)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _on_mask(self, rect=None) -> None:
        """A fill, an undo or a new face changes the class under a pointer that has not moved."""
        self.show_cursor(*self._pointer)

    def show_cursor(self, x: int, y: int) -> None:
        height, width = self.document.shape
        if not (0 <= x < width and 0 <= y < height):
            x = y = -1
        self._pointer = (x, y)
        if x < 0:
            self.cursor.setText(" ")
            return
        class_id = int(self.document.edited_mask[y, x])
        self.cursor.setText(f"x {x}  y {y}  ·  {CLASSES[class_id].display_name}")

    def show_zoom(self, zoom: float) -> None:
        self.zoom.setText(f"{zoom * 100:.0f} %")

    def show_timing(self, stage: str, elapsed_ms: float) -> None:
        self.timing.setText(f"{stage} {elapsed_ms:.0f} ms")

    def show_model(self, info: ModelInfo) -> None:
        warning = "  ·  untrained: no trained model is bundled yet" if info.random else ""
        self.model.setText(f"{info.name} on {info.device}{warning}")
        self.model.setProperty("warning", info.random)
        self.model.style().unpolish(self.model)
        self.model.style().polish(self.model)
