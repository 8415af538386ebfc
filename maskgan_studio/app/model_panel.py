"""Model, device and backend: the bundled model, imported ones, random weights or a file; CPU or
GPU; torch or OpenVINO."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QLabel, QWidget

from maskgan_studio.app.worker import ModelSpec
from maskgan_studio.core.workspace import ModelInfo

_OTHER = "Open a model file…"


class ModelPanel(QWidget):
    model_requested = Signal(object)    # ModelSpec

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = QComboBox()
        self.model.setToolTip("The network that draws the result")
        self.device = QComboBox()
        self.device.setToolTip("Where the network runs")
        self.backend = QComboBox()
        self.backend.setToolTip("What runs the network on the CPU: OpenVINO is several times faster than torch "
                                "there; its first conversion of a model runs in the background")
        self.info = QLabel("Loading…")
        self.info.setObjectName("muted")
        self.info.setWordWrap(True)
        layout = QFormLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addRow("Model", self.model)
        layout.addRow("Device", self.device)
        layout.addRow("Backend", self.backend)
        layout.addRow(self.info)
        self._specs: list[ModelSpec | None] = []
        self._current = ModelSpec()
        self.set_choices([], ["auto", "cpu"], ["auto", "torch"])
        self.model.activated.connect(self._on_model)
        self.device.activated.connect(self._on_device)
        self.backend.activated.connect(self._on_backend)

    def set_choices(self, imported: list[str], devices: list[str], backends: list[str]) -> None:
        """Fill the lists (the worker reports them once torch has loaded)."""
        self.model.blockSignals(True)
        self.model.clear()
        self._specs = []
        for label, spec in [("Bundled model", ModelSpec("bundled")), ("Random weights (untrained)", ModelSpec("random"))]:
            self.model.addItem(label)
            self._specs.append(spec)
        for path in imported:
            self.model.addItem(f"Imported: {Path(path).stem}")
            self._specs.append(ModelSpec("file", path))
        if self._current.kind == "file" and self._current.path not in imported:
            self.model.addItem(Path(self._current.path).name)
            self._specs.append(ModelSpec("file", self._current.path))
        self.model.addItem(_OTHER)
        self._specs.append(None)
        self.model.blockSignals(False)
        self.device.blockSignals(True)
        self.device.clear()
        for name in devices:
            self.device.addItem({"auto": "Automatic", "cpu": "CPU", "cuda": "GPU (CUDA)", "mps": "GPU (Apple)"}.get(name, name), name)
        self.device.blockSignals(False)
        self.backend.blockSignals(True)
        self.backend.clear()
        for name in backends:
            self.backend.addItem({"auto": "Automatic", "torch": "torch", "openvino": "OpenVINO"}.get(name, name), name)
        self.backend.blockSignals(False)
        self.show_current(self._current)

    def show_current(self, spec: ModelSpec) -> None:
        self._current = spec
        for index, candidate in enumerate(self._specs):
            if candidate is not None and (candidate.kind, candidate.path) == (spec.kind, spec.path):
                self.model.setCurrentIndex(index)
        for combo, value in ((self.device, spec.device), (self.backend, spec.backend)):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)

    def show_info(self, info: ModelInfo) -> None:
        self.info.setText(info.describe())

    def _on_model(self, index: int) -> None:
        spec = self._specs[index] if 0 <= index < len(self._specs) else None
        if spec is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open a model", "",
                                                  "Models (*.safetensors *.pth);;All files (*)")
            if not path:
                self.show_current(self._current)
                return
            spec = ModelSpec("file", path)
        self._request(replace(self._current, kind=spec.kind, path=spec.path))

    def _on_device(self, index: int) -> None:
        self._request(replace(self._current, device=self.device.itemData(index) or "auto"))

    def _on_backend(self, index: int) -> None:
        self._request(replace(self._current, backend=self.backend.itemData(index) or "auto"))

    def _request(self, spec: ModelSpec) -> None:
        self.info.setText("Loading…")
        self._current = spec
        self.model_requested.emit(spec)
