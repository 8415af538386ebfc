"""View and result settings: mask opacity, photo under the mask, strength, paste-back, split.

Writes go through ``document.update_settings``; the panel follows the document's ``settings``
event and blocks its widgets' signals while it reads, so nothing echoes back. The widgets' ranges
are ``core.settings.LIMITS``, the same check every project and recovery file passes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QSlider, QSpinBox, QWidget

from maskgan_studio.core.document import MaskDocument
from maskgan_studio.core.settings import LIMITS


def _slider(minimum: int, maximum: int, tip: str) -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(minimum, maximum)
    slider.setToolTip(tip)
    return slider


def _percent_slider(setting: str, tip: str) -> QSlider:
    """A slider in hundredths over the setting's allowed range."""
    low, high = LIMITS[setting]
    return _slider(round(low * 100), round(high * 100), tip)


class SettingsPanel(QWidget):
    split_changed = Signal(float)

    def __init__(self, document: MaskDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.opacity = _percent_slider("mask_opacity", "How strongly the mask covers the photo")
        self.show_photo = QCheckBox("Photo under the mask")
        self.strength = _percent_slider("strength", "Edit strength: how far the result moves towards the new mask")
        self.paste_back = QCheckBox("Paste back unchanged regions")
        self.paste_back.setToolTip("Keep the source photo's pixels wherever the mask was not changed")
        self.feather = QSpinBox()
        self.feather.setRange(*LIMITS["feather"])
        self.feather.setSuffix(" px")
        self.feather.setToolTip("Feather radius of the paste-back seam")
        self.split = _slider(0, 100, "Split: the source photo left of the line, the result right of it")
        layout = QFormLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addRow("Mask opacity", self.opacity)
        layout.addRow("", self.show_photo)
        layout.addRow("Edit strength", self.strength)
        layout.addRow("", self.paste_back)
        layout.addRow("Feather", self.feather)
        layout.addRow("Compare split", self.split)
        self.opacity.valueChanged.connect(lambda v: self._write(mask_opacity=v / 100))
        self.show_photo.toggled.connect(lambda on: self._write(show_photo=on))
        self.strength.valueChanged.connect(lambda v: self._write(strength=v / 100))
        self.paste_back.toggled.connect(lambda on: self._write(paste_back=on))
        self.feather.valueChanged.connect(lambda v: self._write(feather=v))
        self.split.valueChanged.connect(lambda v: self.split_changed.emit(v / 100))
        document.events.settings.connect(self._read)
        self._read()
        self.set_strength_available(False)

    def _write(self, **changes) -> None:
        self.document.update_settings(**changes)

    def _read(self, changed=None) -> None:
        settings = self.document.settings
        for widget, value in ((self.opacity, round(settings.mask_opacity * 100)),
                              (self.strength, round(settings.strength * 100)),
                              (self.feather, settings.feather)):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        for box, on in ((self.show_photo, settings.show_photo), (self.paste_back, settings.paste_back)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.opacity.setEnabled(settings.show_photo)
        self.feather.setEnabled(settings.paste_back)

    def set_strength_available(self, available: bool) -> None:
        """Strength needs a model with a MaskVAE and a blender."""
        self.strength.setEnabled(available)
        self.strength.setToolTip("Edit strength" if available else
                                 "Edit strength needs a model with a MaskVAE and a blender")
