"""Files that must not break the editor: bad projects, bad recovery files, a full disk, and a
project named on the command line. Each gives a dialog (or opens), never an exit, and no project
the user did not choose is written."""

import math
from pathlib import Path

import numpy as np
import pytest
from app_support import gui_self_test, make_window
from disk_support import fill_disk
from project_support import hand_made_project, png_header
from PySide6.QtWidgets import QMessageBox

from maskgan_studio.app.launch import offer_recovery
from maskgan_studio.core import RecoveryFile, Stroke, load_project
from maskgan_studio.labels import ID

Button = QMessageBox.StandardButton


@pytest.fixture
def dialogs(monkeypatch):
    record = {"warnings": [], "answer": Button.Yes}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: record["warnings"].append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: record["answer"])
    return record


def paint(window):
    stroke = Stroke(window.document)
    stroke.paint((8, 8), (50, 30), 7, ID["hat"])
    window.tools._push(stroke)


BAD_PROJECTS = {
    "huge strength": {"settings": {"strength": 1e308, "feather": -50}},
    "NaN strength": {"settings": {"strength": math.nan}},
    "settings a list": {"settings": [1, 2, 3]},
    "60000 px source": {"replace": {"source.png": png_header(60000, 60000)}},
}


@pytest.mark.parametrize("kind", BAD_PROJECTS)
def test_a_bad_project_gives_a_dialog_and_changes_nothing(qtbot, tmp_path, dialogs, kind):
    window = make_window(qtbot, tmp_path)
    good = tmp_path / "good.maskgan"
    window.document.update_settings(feather=4)
    assert window.files.save_as(good)
    paint(window)
    before = (window.document.edited_mask.copy(), window.document.settings, window.windowTitle())
    bad = hand_made_project(tmp_path / "bad.maskgan", **BAD_PROJECTS[kind])
    dialogs["answer"] = Button.Discard            # the unsaved-changes question before opening
    assert not window.files.open_project(bad)
    assert len(dialogs["warnings"]) == 1 and str(bad) in dialogs["warnings"][0]
    assert "\n" not in dialogs["warnings"][0]
    assert np.array_equal(window.document.edited_mask, before[0])
    assert (window.document.settings, window.windowTitle()) == before[1:]
    assert window.workspace.origin.project == good.resolve() and window.isVisible()
    assert window.files.save()                    # Save writes the chosen project, with its own settings
    assert load_project(good).settings.feather == 4


def test_a_recovery_file_with_bad_settings_does_not_stop_the_editor(qtbot, tmp_path, dialogs):
    recovery = RecoveryFile(hand_made_project(tmp_path / "autosave.maskgan", {"strength": 1e308, "feather": -50}))
    (tmp_path / "next").mkdir()
    window = make_window(qtbot, tmp_path / "next")
    before = window.document.edited_mask.copy()
    assert not offer_recovery(window, recovery)
    assert len(dialogs["warnings"]) == 1 and "strength" in dialogs["warnings"][0]
    assert np.array_equal(window.document.edited_mask, before) and window.isVisible()
    assert not offer_recovery(window, recovery), "offered once: the next start is a normal one"


def test_the_settings_panel_offers_exactly_the_values_a_project_may_hold(qtbot, tmp_path):
    from maskgan_studio.core.settings import LIMITS

    panel = make_window(qtbot, tmp_path).settings_panel
    assert (panel.feather.minimum(), panel.feather.maximum()) == LIMITS["feather"]
    for slider, name in ((panel.strength, "strength"), (panel.opacity, "mask_opacity")):
        assert (slider.minimum() / 100, slider.maximum() / 100) == LIMITS[name]


def test_save_on_a_full_disk_says_so_and_keeps_the_old_file(qtbot, tmp_path, dialogs, monkeypatch):
    window = make_window(qtbot, tmp_path)
    path = tmp_path / "work.maskgan"
    assert window.files.save_as(path)
    saved = path.read_bytes()
    paint(window)
    fill_disk(monkeypatch)
    assert not window.files.save()
    assert dialogs["warnings"] == [f"{path}: cannot write: No space left on device"]
    assert path.read_bytes() == saved and window.document.modified
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_gui_opens_a_project_given_on_the_command_line(tmp_path):
    project = hand_made_project(tmp_path / "proj.maskgan", {"feather": 3}, size=64)
    report = gui_self_test("proj.maskgan", tmp_path)
    assert report["ok"] and Path(report["opened"]) == project.resolve()
