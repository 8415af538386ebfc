"""Files in the window: export, projects, recent files, drag and drop, recovery, bad files, prompts."""

from pathlib import Path

import numpy as np
import pytest
from app_support import face, give_result, make_window
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from maskgan_studio.app.launch import offer_recovery
from maskgan_studio.core import RecoveryFile, Stroke
from maskgan_studio.io import read_image, read_mask, write_image, write_mask
from maskgan_studio.labels import ID

Button = QMessageBox.StandardButton


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


@pytest.fixture
def dialogs(monkeypatch):
    """Records warnings instead of showing them; ``answer`` is what questions get."""
    record = {"warnings": [], "questions": [], "answer": Button.Discard}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: record["warnings"].append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: record["warnings"].append(text))

    def question(parent, title, text, *args):
        record["questions"].append(title)
        return record["answer"]

    monkeypatch.setattr(QMessageBox, "question", question)
    return record


def paint(window, class_id=ID["hat"]):
    stroke = Stroke(window.document)
    stroke.paint((8, 8), (50, 30), 7, class_id)
    window.tools._push(stroke)


def face_files(folder: Path, size=64, seed=0):
    image, mask = face(size, seed)
    write_image(folder / "someone.png", image)
    write_mask(folder / "someone_mask.png", mask)
    return folder / "someone.png", folder / "someone_mask.png"


def test_exports_round_trip(window, tmp_path, dialogs):
    paint(window)
    result = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    give_result(window, result)
    assert window.exports.export_image(tmp_path / "out.png")
    assert np.array_equal(read_image(tmp_path / "out.png"), result)
    for suffix in (".jpg", ".webp"):
        assert window.exports.export_image(tmp_path / f"out{suffix}")
        assert read_image(tmp_path / f"out{suffix}").shape == (64, 64, 3)
    assert window.exports.export_mask(tmp_path / "mask.png")
    assert np.array_equal(read_mask(tmp_path / "mask.png"), window.document.edited_mask)
    assert window.exports.export_comparison(tmp_path / "sheet.png")
    sheet = read_image(tmp_path / "sheet.png")
    assert sheet.shape == (64 * 2 + 8, 64 * 2 + 8, 3)
    assert np.array_equal(sheet[:64, 72:], result)
    assert not dialogs["warnings"]
    assert not window.exports.export_image(tmp_path / "out.gif")
    assert "cannot write '.gif'" in dialogs["warnings"][-1]


def test_export_without_a_result_says_so(window, tmp_path, dialogs):
    assert not window.exports.export_image(tmp_path / "out.png")
    assert dialogs["warnings"] and not (tmp_path / "out.png").exists()


def test_project_round_trip_through_the_window(window, tmp_path, dialogs):
    paint(window)
    window.document.update_settings(feather=5)
    painted = window.document.edited_mask.copy()
    path = tmp_path / "work.maskgan"
    assert window.files.save_as(path)
    assert not window.document.modified and "work.maskgan" in window.windowTitle()
    paint(window, ID["cloth"])
    window.document.update_settings(feather=9)
    assert window.files.open_project(path)
    assert dialogs["questions"] == ["Unsaved changes"]
    assert np.array_equal(window.document.edited_mask, painted)
    assert window.document.settings.feather == 5
    assert window.undo_stack.count() == 0
    assert str(path.resolve()) in window.app_settings.recent_files()


def test_open_face_with_its_mask_beside_it_and_by_drag_and_drop(window, tmp_path, dialogs):
    image_path, mask_path = face_files(tmp_path, size=96, seed=4)
    assert window.files.open_paths([image_path])
    assert window.document.shape == (96, 96)
    assert np.array_equal(window.document.source_mask, read_mask(mask_path))
    other = tmp_path / "other"
    other.mkdir()
    image2, mask2 = face_files(other, size=80, seed=5)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mask2)), QUrl.fromLocalFile(str(image2))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.document.shape == (80, 80)
    assert window.result_view.item.source.width() == 80
    assert not dialogs["warnings"]


def test_open_mask_is_one_undoable_step(window, tmp_path, dialogs):
    _, mask = face(64, seed=9)
    mask = np.roll(mask, 5, axis=1)
    write_mask(tmp_path / "new_mask.png", mask)
    before = window.document.edited_mask.copy()
    assert window.files.open_mask(tmp_path / "new_mask.png")
    assert np.array_equal(window.document.edited_mask, mask)
    window.undo_stack.undo()
    assert np.array_equal(window.document.edited_mask, before)


@pytest.mark.parametrize("name, content, opener", [
    ("junk.png", b"not an image", "open_paths"),
    ("junk.maskgan", b"PK\x03\x04 broken", "open_paths"),
    ("bad_mask.png", None, "open_mask"),
])
def test_a_bad_file_gives_a_dialog_not_a_crash(window, tmp_path, dialogs, name, content, opener):
    path = tmp_path / name
    if content is None:
        write_image(path, np.full((64, 64, 3), (1, 2, 3), dtype=np.uint8))   # an image, not a mask
    else:
        path.write_bytes(content)
    if name == "junk.png":
        write_mask(tmp_path / "junk_mask.png", face(64)[1])
    before = window.document.edited_mask.copy()
    argument = [path] if opener == "open_paths" else path
    assert not getattr(window.files, opener)(argument)
    assert len(dialogs["warnings"]) == 1 and str(path) in dialogs["warnings"][0]
    assert np.array_equal(window.document.edited_mask, before)
    assert window.isVisible()


def test_closing_with_unsaved_changes_asks(window, dialogs):
    paint(window)
    dialogs["answer"] = Button.Cancel
    assert not window.close()
    assert window.isVisible() and dialogs["questions"] == ["Unsaved changes"]
    dialogs["answer"] = Button.Discard
    assert window.close()


def test_recovery_after_a_simulated_crash(qtbot, tmp_path, dialogs):
    crashed = make_window(qtbot, tmp_path)
    paint(crashed)
    crashed.document.update_settings(feather=2)
    crashed.autosave.save_now().result()
    recovery = RecoveryFile(tmp_path / "recovery.maskgan")
    assert recovery.exists()
    # The crashed window never shut down; a new window starts with the same recovery file.
    second_dir = tmp_path / "next"
    second_dir.mkdir()
    restarted = make_window(qtbot, second_dir)
    dialogs["answer"] = Button.Yes
    assert offer_recovery(restarted, recovery)
    assert np.array_equal(restarted.document.edited_mask, crashed.document.edited_mask)
    assert restarted.document.settings.feather == 2 and restarted.document.modified
    restarted.autosave.recovery = recovery
    assert restarted.files.save_as(tmp_path / "saved.maskgan")
    assert not recovery.exists(), "saving makes the recovery file unnecessary"


def test_autosave_writes_only_when_something_changed(window):
    assert window.autosave.save_now() is None
    paint(window)
    window.autosave.save_now().result()
    assert window.autosave.recovery.exists()
    assert window.autosave.save_now() is None
    window.document.set_modified(False)
    assert not window.autosave.recovery.exists()
