"""The edit settings' allowed values, checked in one place.

``check_settings`` is what every way in goes through: ``EditSettings`` itself (so a document can
never hold a bad value), ``EditSettings.from_dict`` (projects and the crash-recovery file) and the
settings panel, whose widgets take their ranges from ``LIMITS``. A value out of range, not finite
or of the wrong type is refused with one line, before anything changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from maskgan_studio.errors import StudioError

LIMITS = {"feather": (0, 64), "strength": (0.0, 1.5), "mask_opacity": (0.0, 1.0)}
"""Inclusive ranges; ``strength`` stops at the engine's ``MAX_STRENGTH``."""

KINDS = {"paste_back": bool, "feather": int, "strength": float, "mask_opacity": float,
         "show_photo": bool, "highlight_changes": bool}


def check_settings(values: Mapping) -> None:
    """Raise ``StudioError`` naming the first setting whose value is unusable."""
    for name, value in values.items():
        kind = KINDS.get(name)
        if kind is None:
            raise StudioError(f"unknown setting {name!r}")
        if kind is bool:
            if not isinstance(value, bool):
                raise StudioError(f"setting {name} must be true or false, got {value!r}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StudioError(f"setting {name} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise StudioError(f"setting {name} must be a finite number, got {value!r}")
        if kind is int and value != int(value):
            raise StudioError(f"setting {name} must be a whole number, got {value!r}")
        low, high = LIMITS[name]
        if not low <= value <= high:
            raise StudioError(f"setting {name} is {value:g}; it must lie between {low:g} and {high:g}")


def parse_settings(data: object) -> dict:
    """Settings read from a file (a JSON object) -> checked values of the known names, converted
    to their kinds; names this program does not know are left out (newer files stay readable)."""
    if not isinstance(data, Mapping):
        raise StudioError(f"settings must be a table of names and values, got {type(data).__name__}")
    known = {name: value for name, value in data.items() if name in KINDS}
    check_settings(known)
    return {name: KINDS[name](value) for name, value in known.items()}
