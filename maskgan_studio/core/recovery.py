"""The crash-recovery file: autosaved as a project, offered at the next start, removed on a clean exit.

``extra`` in the recovery project records where the work came from (``origin``: the project or
image path, if any) so the restored window can say so.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from maskgan_studio.core.project import SUFFIX, ProjectState, load_project, save_project
from maskgan_studio.resources import user_data_dir


class RecoveryFile:
    """One recovery file at ``path`` (default: the per-user data folder)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else user_data_dir() / "recovery" / f"autosave{SUFFIX}"

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self, state: ProjectState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        save_project(self.path, state)

    def load(self) -> ProjectState:
        """The saved state; raises ``InputFileError`` when the file is damaged."""
        return load_project(self.path)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
