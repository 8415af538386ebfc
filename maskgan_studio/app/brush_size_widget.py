"""Brush size in the tool bar: a slider and a spin box bound to the tool state (1-256 px)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QSpinBox, QWidget

from maskgan_studio.app.tool_state import ToolState
from maskgan_studio.core.painting import MAX_BRUSH, MIN_BRUSH


class BrushSizeWidget(QWidget):
    def __init__(self, state: ToolState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(MIN_BRUSH, MAX_BRUSH)
        self.slider.setFixedWidth(140)
        self.spin = QSpinBox()
        self.spin.setRange(MIN_BRUSH, MAX_BRUSH)
        self.spin.setSuffix(" px")
        self.spin.setFixedWidth(84)
        for widget in (self.slider, self.spin):
            widget.setToolTip("Brush size ([ and ])")
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            widget.valueChanged.connect(state.set_size)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(QLabel("Brush"))
        layout.addWidget(self.slider)
        layout.addWidget(self.spin)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        state.size_changed.connect(self._show)
        self._show(state.size)

    def _show(self, size: int) -> None:
        for widget in (self.slider, self.spin):
            widget.blockSignals(True)
            widget.setValue(size)
            widget.blockSignals(False)
