"""What a new user meets first: every class in the palette, a quit prompt only for real changes,
a status bar that follows fills and undo, a visible confirmation after an export."""

import numpy as np
import pytest
from app_support import give_result, make_window
from PySide6.QtWidgets import QDockWidget, QMessageBox

from maskgan_studio.core import Stroke
from maskgan_studio.labels import CLASSES, ID


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


@pytest.mark.parametrize("size, dock_width, font_pt", [
    (None, None, None), ((1280, 720), None, None), ((1280, 720), 210, None), ((1280, 720), None, 15)])
def test_every_class_is_visible_in_the_palette(qtbot, window, size, dock_width, font_pt):
    """At the default size and at 1280x720, in a narrow dock and with a large font."""
    palette = window.palette
    if font_pt is not None:
        font = palette.font()
        font.setPointSize(font_pt)
        palette.setFont(font)
    if size is not None:
        window.resize(*size)
    if dock_width is not None:
        for dock in window.findChildren(QDockWidget):
            dock.setMaximumWidth(dock_width)
    qtbot.wait(50)
    visible = palette.viewport().rect()
    hidden = [CLASSES[row].display_name for row in range(palette.count())
              if not visible.contains(palette.visualItemRect(palette.item(row)))]
    assert not hidden, f"cut off at {window.width()}x{window.height()}: {hidden}"
    row = palette.visualItemRect(palette.item(0))
    assert row.height() >= palette.fontMetrics().height() + 4, "the names fit their rows"


def test_no_save_prompt_after_erasing_back_to_the_original(window, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a) or QMessageBox.StandardButton.Cancel)
    stroke = Stroke(window.document)
    stroke.paint((8, 8), (30, 30), 6, ID["hat"])
    window.tools._push(stroke)
    assert window.document.modified and window.isWindowModified()
    window.undo_stack.undo()
    assert not window.document.modified and not window.isWindowModified()
    assert window.close() and not asked


def test_the_class_under_a_still_pointer_follows_a_fill_and_undo(window):
    window.status.show_cursor(32, 50)
    before = window.status.cursor.text()
    atom = window.document.replace_edited_mask(np.full((64, 64), ID["cloth"], np.uint8), "fill")
    assert "Clothes" in window.status.cursor.text() or CLASSES[ID["cloth"]].display_name in window.status.cursor.text()
    window.document.apply_atom(atom, undo=True)
    assert window.status.cursor.text() == before


def test_an_export_says_where_it_wrote(window, tmp_path):
    give_result(window, np.zeros((64, 64, 3), np.uint8))
    assert window.exports.export_image(tmp_path / "out.png")
    message = window.status.currentMessage()
    assert "out.png" in message and str(tmp_path) in message
