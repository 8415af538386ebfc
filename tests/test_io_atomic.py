"""Atomic writes: a full disk is one line and keeps the old file; killed writers' temporaries go."""

import os
import time

import numpy as np
import pytest
from disk_support import fill_disk

from maskgan_studio.errors import InputFileError
from maskgan_studio.io import read_image, write_image, write_mask
from maskgan_studio.io.atomic import atomic_write


def test_a_full_disk_is_one_line_and_the_old_file_stays(tmp_path, monkeypatch):
    old = np.full((8, 8, 3), 7, np.uint8)
    write_image(tmp_path / "out.png", old)
    fill_disk(monkeypatch)
    with pytest.raises(InputFileError) as caught:
        write_image(tmp_path / "out.png", np.zeros((8, 8, 3), np.uint8))
    assert str(caught.value) == f"{tmp_path / 'out.png'}: cannot write: No space left on device"
    assert np.array_equal(read_image(tmp_path / "out.png"), old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]


def test_other_errors_inside_the_write_are_not_disguised(tmp_path):
    with pytest.raises(ValueError, match="the caller's own"), atomic_write(tmp_path / "x.bin") as handle:
        handle.write(b"partial")
        raise ValueError("the caller's own error")
    assert not list(tmp_path.iterdir())


def test_stale_temporaries_of_killed_writers_are_removed_on_the_next_write(tmp_path):
    stale = tmp_path / ".out.png.k3x_9q2a.tmp"        # what a writer killed mid-write leaves
    fresh = tmp_path / ".out.png.a1b2c3d4.tmp"        # a writer still at work
    others = [tmp_path / ".notes.tmp", tmp_path / "draft.a1b2c3d4.tmp", tmp_path / ".cache"]
    for path in [stale, fresh, *others]:
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * 3600
    for path in [stale, *others]:
        os.utime(path, (hours_ago, hours_ago))
    write_mask(tmp_path / "mask.png", np.zeros((4, 4), np.uint8))
    assert not stale.exists()
    assert fresh.exists() and all(path.exists() for path in others)
