"""Atomic file writes: a temporary file in the target folder, then a rename.

A crash or a full disk leaves either the old file or the new one, never half of one. Any error
the system reports while writing (a full disk, a quota, an I/O error) becomes one
``InputFileError`` line naming the file. A temporary left by a killed writer (``.NAME.XXXXXXXX.tmp``,
untouched for ``STALE_AFTER_S``) is removed by the first write to its folder in a later process.
``check_writable`` and ``check_not_an_input`` let a command refuse a bad output before any work.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from maskgan_studio.errors import InputFileError

TEMPORARY_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
"""What ``tempfile.mkstemp`` makes of our prefix and suffix below."""
STALE_AFTER_S = 3600
"""A writer updates its temporary as it goes; one untouched for an hour is a killed writer's."""
_swept_folders: set[str] = set()


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputFileError(target, f"cannot write: folder {folder} does not exist")
    remove_stale_temporaries(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputFileError(target, f"cannot write: {exc.strerror or exc}") from None
    try:
        os.chmod(tmp_name, _final_mode(target))
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError) and exc.errno is not None:   # the system refused the write
            raise InputFileError(target, f"cannot write: {exc.strerror or exc}") from None
        raise


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove our temporaries in ``folder`` untouched for ``STALE_AFTER_S``, once per folder and
    process (a folder of many files is listed once); returns what was removed."""
    key = os.path.abspath(folder)
    if key in _swept_folders:
        return []
    _swept_folders.add(key)
    now = time.time() if now is None else now
    removed = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not TEMPORARY_NAME.match(entry.name):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_AFTER_S:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _read_umask() -> int:
    # os.umask can only be read by setting it; do it once, at import, before any worker threads.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _final_mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0666 minus the umask, as open() would."""
    if target.exists():
        return target.stat().st_mode & 0o7777
    return 0o666 & ~_UMASK


def check_writable(path: str | os.PathLike) -> Path:
    """Fail early, before any work, when ``path`` cannot be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputFileError(target, "cannot write: it is a folder")
    if not folder.is_dir():
        raise InputFileError(target, f"cannot write: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputFileError(target, "cannot write: permission denied")
    return target


def check_not_an_input(out: str | os.PathLike, inputs: dict[str, str | os.PathLike | None]) -> None:
    """Refuse an output that is one of the inputs (``{"--image": path, ...}``), however it is
    spelled: the same resolved path, or the same file through a link."""
    target = Path(out)
    for flag, given in inputs.items():
        if given is None:
            continue
        source = Path(given)
        same = target.resolve() == source.resolve()
        if not same and target.exists() and source.exists():
            same = os.path.samefile(target, source)
        if same:
            raise InputFileError(target, f"is also the input {flag}; writing there would replace it: "
                                         "choose another --out")
