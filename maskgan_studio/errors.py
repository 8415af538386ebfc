"""User-facing errors: each one is printed as a single line and makes the command line exit 2."""

from __future__ import annotations

import os


class StudioError(Exception):
    """A problem the user can fix (bad file, bad option); never a bug."""


class InputFileError(StudioError):
    """A file that cannot be used; the message names the file and the problem."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = os.fspath(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
