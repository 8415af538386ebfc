"""Keys that act while held: Space (hand) and C (show the source photo in the result).

An application-wide event filter, so they work wherever the focus is, except in text fields.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit

HOLD_KEYS = {Qt.Key.Key_Space: "hand", Qt.Key.Key_C: "compare"}


class HoldKeys(QObject):
    """Calls ``on_change(name, held)`` when a hold key goes down or up in ``window``."""

    def __init__(self, window, on_change: Callable[[str, bool], None]):
        super().__init__(window)
        self.window = window
        self.on_change = on_change
        self.held: set[str] = set()
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ApplicationDeactivate):
            return False
        if kind == QEvent.Type.ApplicationDeactivate:
            for name in list(self.held):
                self._set(name, False)
            return False
        name = HOLD_KEYS.get(event.key())
        if name is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QAbstractSpinBox, QComboBox)) or QApplication.activeWindow() is not self.window:
            return False
        if not event.isAutoRepeat():
            self._set(name, kind == QEvent.Type.KeyPress)
        return True

    def _set(self, name: str, held: bool) -> None:
        if held != (name in self.held):
            (self.held.add if held else self.held.discard)(name)
            self.on_change(name, held)
