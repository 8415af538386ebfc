"""A full disk, simulated: the system's ``ENOSPC`` at the point where a real one reports it."""

from __future__ import annotations

import errno
import os


def fill_disk(monkeypatch, writes_left: int = 0) -> None:
    """After ``writes_left`` more files reach the disk, every ``fsync`` (where a full disk with
    delayed allocation reports itself) raises ``OSError(ENOSPC)``."""
    real_fsync = os.fsync
    left = [writes_left]

    def fsync(fd):
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        left[0] -= 1
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
