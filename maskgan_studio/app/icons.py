"""Icons from qtawesome (Material Design Icons), tinted for the dark theme."""

from __future__ import annotations

import qtawesome
from PySide6.QtGui import QIcon

NORMAL = "#d7d9de"
ACTIVE = "#ffffff"
DISABLED = "#5d616b"


def icon(name: str) -> QIcon:
    return qtawesome.icon(name, color=NORMAL, color_active=ACTIVE, color_disabled=DISABLED,
                          color_on=ACTIVE, color_on_active=ACTIVE)
