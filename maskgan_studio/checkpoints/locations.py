"""Where models live: the bundle shipped in ``models/`` and the user's imported models."""

from __future__ import annotations

from pathlib import Path

from maskgan_studio.resources import models_dir, user_data_dir

BUNDLED_NAME = "maskgan-studio-bundled.safetensors"


def bundled_model_path() -> Path | None:
    """The shipped bundle, or None when this installation has none."""
    path = models_dir() / BUNDLED_NAME
    return path if path.is_file() else None


def imported_models_dir() -> Path:
    """Where ``models import`` puts bundles by default (not created here)."""
    return user_data_dir() / "models"
