"""The standalone build: its icon, its checks' edited mask, its spec, and (slow) the build itself."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from maskgan_studio.labels import ID

REPO = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_icon_is_written_at_every_size_with_transparent_corners(tmp_path):
    make_icon = _script("make_icon")
    assert make_icon.main(["--out", str(tmp_path)]) == 0

    png = Image.open(tmp_path / "icon.png")
    assert png.size == (512, 512) and png.mode == "RGBA"
    alpha = np.asarray(png)[..., 3]
    assert alpha[0, 0] == 0 and alpha[-1, -1] == 0 and alpha[256, 256] == 255
    colours = {tuple(c) for c in np.asarray(png.convert("RGB")).reshape(-1, 3)}
    assert (204, 0, 0) in colours and (0, 0, 204) in colours  # skin and hair from the class table

    ico = Image.open(tmp_path / "icon.ico")
    assert ico.info["sizes"] == set(make_icon.ICO_SIZES)


def test_fringe_turns_only_the_top_of_the_skin_into_hair():
    mask = np.zeros((100, 80), np.uint8)
    mask[10:30, 10:70] = ID["hair"]
    mask[30:90, 20:60] = ID["skin"]
    mask[50:55, 30:35] = ID["l_eye"]

    edited = _script("build_standalone").with_fringe(mask)

    changed = edited != mask
    assert changed.any()
    assert (mask[changed] == ID["skin"]).all() and (edited[changed] == ID["hair"]).all()
    assert np.nonzero(changed)[0].max() < 30 + 60 // 5
    assert (edited == ID["l_eye"]).sum() == 25


def test_spec_keeps_every_qt_module_the_package_imports():
    spec_text = (REPO / "build.spec").read_text()
    imported = set()
    for path in (REPO / "maskgan_studio").rglob("*.py"):
        imported |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text()))
    assert {"QtCore", "QtGui", "QtWidgets"} <= imported
    assert not [module for module in imported if f'"{module}"' in spec_text]


@pytest.mark.slow
def test_standalone_folder_builds_and_passes_its_checks():
    pytest.importorskip("PyInstaller")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "build_standalone.py")], cwd=REPO,
                          capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    for check in ("--version", "edit", "gui --self-test", "train", "eval", "parse"):
        assert re.search(rf"^ok\s+{re.escape(check)}\s", done.stdout, re.MULTILINE), done.stdout
    assert "folder size:" in done.stdout
