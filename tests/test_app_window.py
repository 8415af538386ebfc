"""The window as a whole: shortcuts are unique and documented, compare keys, the gui command."""

import json
import os
import subprocess
import sys

import pytest
from app_support import face, make_window, run_gui, tiny_model
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from maskgan_studio.app.actions import shortcut_rows
from maskgan_studio.app.shortcuts_dialog import ShortcutsDialog
from maskgan_studio.io import write_image, write_mask


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


def test_every_shortcut_is_unique_and_listed_in_help(window):
    seen = {}
    for action in window.actions.values():
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in seen, f"{key} is bound to both {seen[key]} and {action.objectName()}"
            seen[key] = action.objectName()
    listed = " ".join(keys for _, _, keys in shortcut_rows(window.actions))
    for key in seen:
        assert QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) in listed
    dialog = ShortcutsDialog(window.actions, window)
    rows = sum(dialog.tree.topLevelItem(i).childCount() for i in range(dialog.tree.topLevelItemCount()))
    assert rows == len(shortcut_rows(window.actions))


def test_holding_c_shows_the_source_and_the_split_slider_moves(window):
    window.activateWindow()
    window.canvas.setFocus()
    QTest.keyPress(window.canvas, Qt.Key.Key_C)
    assert window.result_view.item.show_source
    QTest.keyRelease(window.canvas, Qt.Key.Key_C)
    assert not window.result_view.item.show_source
    window.settings_panel.split.setValue(40)
    assert window.result_view.item.split == pytest.approx(0.4)


def test_brush_size_persists(qtbot, tmp_path):
    first = make_window(qtbot, tmp_path)
    first.tool_state.set_size(77)
    first.close()
    second = make_window(qtbot, tmp_path)
    assert second.tool_state.size == 77


@pytest.mark.parametrize(("backend", "runs_as"), [("torch", "eager"), ("openvino", "openvino")])
def test_gui_self_test_prints_one_json_line(tmp_path, backend, runs_as):
    from maskgan_studio.checkpoints import save_bundle

    save_bundle(tmp_path / "tiny.safetensors", tiny_model())
    image, mask = face(64)
    write_image(tmp_path / "face.png", image)
    write_mask(tmp_path / "face_mask.png", mask)
    done = run_gui(str(tmp_path / "face.png"), "--model", str(tmp_path / "tiny.safetensors"), "--device", "cpu",
                "--backend", backend, "--self-test", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["ok"] is True
    assert report["backend"] == runs_as
    for key in ("first_preview_ms", "result_ms", "max_event_loop_stall_ms"):
        assert report[key] >= 0


def test_gui_with_a_bad_image_exits_2_with_one_line(tmp_path):
    (tmp_path / "face.png").write_bytes(b"nope")
    write_mask(tmp_path / "face_mask.png", face(64)[1])
    done = run_gui(str(tmp_path / "face.png"), "--self-test", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "face.png" in done.stderr


def test_qt_calls_do_not_leak_references_to_none(window):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call; the editor then
    aborts after a few thousand calls (pyproject pins it out)."""
    before = sys.getrefcount(None)
    for _ in range(500):
        window.canvas.viewport().update()
        window.settings_panel.opacity.setValue(30)
    assert sys.getrefcount(None) >= before - 50


@pytest.mark.parametrize("argv", [[], ["gui", "--self-test"]])
@pytest.mark.parametrize("display", [None, ":99"])
def test_without_a_usable_display_one_line_names_what_is_missing_and_exits_2(argv, display):
    """Not Qt's multi-line message and SIGABRT: no display at all, or one that cannot be used
    (nothing listening on :99, or the xcb plugin's system libraries missing)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if display:
        env["DISPLAY"] = display
    done = subprocess.run([sys.executable, "-m", "maskgan_studio", *argv], env=env, capture_output=True,
                          text=True, timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert ("DISPLAY is not set" in lines[0]) if display is None else (display in lines[0] or "missing" in lines[0])


def test_the_photo_texture_switch_is_on_by_default_and_writes_the_document(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    switch = window.settings_panel.photo_texture
    assert switch.isChecked() and window.document.settings.photo_texture
    switch.setChecked(False)
    assert not window.document.settings.photo_texture
    window.document.update_settings(photo_texture=True, paste_back=False)
    assert switch.isChecked() and not switch.isEnabled()  # the stage works on a pasted-back result


def test_model_panel_asks_for_the_chosen_backend_and_keeps_model_and_device(qtbot):
    from maskgan_studio.app.model_panel import ModelPanel
    from maskgan_studio.app.worker import ModelSpec

    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_choices([], ["auto", "cpu"], ["auto", "torch", "openvino"])
    panel.show_current(ModelSpec("random", device="cpu"))
    with qtbot.waitSignal(panel.model_requested) as requested:
        panel.backend.activated.emit(panel.backend.findData("openvino"))
    spec = requested.args[0]
    assert (spec.kind, spec.device, spec.backend) == ("random", "cpu", "openvino")
    with qtbot.waitSignal(panel.model_requested) as requested:
        panel.device.activated.emit(panel.device.findData("auto"))
    assert (requested.args[0].device, requested.args[0].backend) == ("auto", "openvino")
