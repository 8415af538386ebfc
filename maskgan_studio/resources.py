"""Where the bundled models/ and assets/ folders are: checkout, installed package or frozen app."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _candidates() -> list[Path]:
    roots = []
    if env := os.environ.get("MASKGAN_STUDIO_HOME"):
        roots.append(Path(env))
    if frozen := getattr(sys, "_MEIPASS", None):
        roots.append(Path(frozen))
    roots.append(Path(__file__).resolve().parent.parent)  # a checkout or an editable install
    roots.append(Path(sys.prefix) / "share" / "maskgan-studio")  # a wheel's data files
    return roots


def _find(folder: str) -> Path:
    for root in _candidates():
        if (root / folder).is_dir():
            return root / folder
    return _candidates()[0] / folder


def models_dir() -> Path:
    return _find("models")


def assets_dir() -> Path:
    return _find("assets")


def user_data_dir() -> Path:
    """Per-user folder for imported models and recovery files."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "maskgan-studio"


def user_cache_dir() -> Path:
    """Per-user folder for things made again when lost (converted networks)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "maskgan-studio"
