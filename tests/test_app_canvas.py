"""Painting in the real window with QTest: exact pixels, undo/redo, tools, shortcuts, zoom sync."""

import numpy as np
import pytest
from app_support import make_window
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from test_core_painting import brute_force_capsule

from maskgan_studio.app.tool_state import Tool
from maskgan_studio.labels import ID

LEFT, NONE, SHIFT = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


def view_point(window, x, y) -> QPoint:
    return window.canvas.mapFromScene(QPointF(x, y))


def scene_point(window, point: QPoint):
    scene = window.canvas.mapToScene(point)
    return scene.x(), scene.y()


def drag(window, points, modifier=NONE):
    """Press at the first point, move through the rest, release; returns the scene points hit."""
    viewport = window.canvas.viewport()
    screen = [view_point(window, x, y) for x, y in points]
    QTest.mousePress(viewport, LEFT, modifier, screen[0])
    for point in screen[1:]:
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, LEFT, modifier, screen[-1])
    return [scene_point(window, p) for p in screen]


def test_a_stroke_paints_exactly_the_brush_capsule(window):
    window.tool_state.set_class(ID["hat"])
    window.tool_state.set_size(5)
    before = window.document.edited_mask.copy()
    hit = drag(window, [(10, 10), (20, 14), (30, 30)])
    expected = np.zeros(before.shape, dtype=bool)
    for p0, p1 in zip(hit, hit[1:]):
        expected |= brute_force_capsule(before.shape, p0, p1, 5)
    after = window.document.edited_mask
    assert np.array_equal(after[expected], np.full(expected.sum(), ID["hat"], dtype=np.uint8))
    assert np.array_equal(after[~expected], before[~expected])
    assert window.undo_stack.count() == 1


def test_undo_and_redo_are_bit_exact(window):
    masks = [window.document.edited_mask.copy()]
    for class_id, points in ((ID["hat"], [(5, 5), (50, 50)]), (ID["nose"], [(40, 10), (10, 40)]),
                             (ID["cloth"], [(32, 60), (32, 60)])):
        window.tool_state.set_class(class_id)
        drag(window, points)
        masks.append(window.document.edited_mask.copy())
    for expected in reversed(masks[:-1]):
        window.actions["undo"].trigger()
        assert np.array_equal(window.document.edited_mask, expected)
    for expected in masks[1:]:
        window.actions["redo"].trigger()
        assert np.array_equal(window.document.edited_mask, expected)


def test_the_mask_layer_shows_the_painted_class(window):
    window.tool_state.set_class(ID["hat"])
    window.tool_state.set_size(9)
    drag(window, [(32, 32), (32, 32)])
    image = window.canvas.mask_layer.image()
    assert image.pixelColor(32, 32).getRgb()[:3] == (255, 51, 153)


def test_fill_tool(window):
    window.tool_state.set_tool(Tool.FILL)
    window.tool_state.set_class(ID["cloth"])
    drag(window, [(1.5, 1.5)])
    doc = window.document
    assert np.array_equal(doc.edited_mask == ID["cloth"], doc.source_mask == ID["background"])
    window.actions["undo"].trigger()
    assert np.array_equal(doc.edited_mask, doc.source_mask)


def test_eyedropper_picks_the_class_under_the_pointer(window):
    window.actions["tool_eyedropper"].trigger()
    assert window.tool_state.tool is Tool.EYEDROPPER
    x, y = drag(window, [(24.5, 30.5)])[0]
    assert window.tool_state.class_id == window.document.edited_mask[int(y), int(x)] == ID["r_eye"]
    assert window.undo_stack.count() == 0


def test_eraser_restores_the_source_mask(window):
    window.tool_state.set_class(ID["hat"])
    window.tool_state.set_size(12)
    drag(window, [(10, 32), (54, 32)])
    window.tool_state.set_tool(Tool.ERASER)
    window.tool_state.set_size(40)
    drag(window, [(10, 32), (54, 32)])
    assert np.array_equal(window.document.edited_mask, window.document.source_mask)
    window.actions["undo"].trigger()
    assert (window.document.edited_mask == ID["hat"]).any()


def test_shift_click_draws_a_straight_line(window):
    window.tool_state.set_class(ID["hat"])
    window.tool_state.set_size(3)
    first = drag(window, [(8, 8)])[0]
    second = drag(window, [(56, 40)], SHIFT)[0]
    expected = brute_force_capsule(window.document.shape, first, second, 3)
    assert ((window.document.edited_mask == ID["hat"]) == expected).all()
    assert window.undo_stack.count() == 2


def test_copy_from_reference_without_one_paints_nothing(window):
    window.tool_state.set_tool(Tool.CLONE)
    drag(window, [(10, 10), (40, 40)])
    assert np.array_equal(window.document.edited_mask, window.document.source_mask)


def test_class_and_brush_shortcuts(window, qtbot):
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_4)
    assert window.tool_state.class_id == 4
    QTest.keyClick(window.canvas, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert window.tool_state.class_id == 13
    size = window.tool_state.size
    QTest.keyClick(window.canvas, Qt.Key.Key_BracketRight)
    assert window.tool_state.size > size
    QTest.keyClick(window.canvas, Qt.Key.Key_G)
    assert window.tool_state.tool is Tool.FILL
    for _ in range(100):
        window.tool_state.grow()
    assert window.tool_state.size == 256
    for _ in range(100):
        window.tool_state.shrink()
    assert window.tool_state.size == 1


def test_palette_click_selects_the_class(window):
    palette = window.palette
    rect = palette.visualItemRect(palette.item(ID["hair"]))
    QTest.mouseClick(palette.viewport(), LEFT, NONE, rect.center())
    assert window.tool_state.class_id == ID["hair"]


def test_zoom_and_pan_stay_in_sync(window):
    window.canvas.set_zoom(18.0)
    assert window.result_view.zoom == pytest.approx(18.0)
    window.canvas.horizontalScrollBar().setValue(37)
    window.canvas.verticalScrollBar().setValue(41)
    assert window.result_view.horizontalScrollBar().value() == 37
    assert window.result_view.verticalScrollBar().value() == 41
    window.result_view.zoom_out()
    assert window.canvas.zoom == pytest.approx(15.0)
    assert window.canvas.horizontalScrollBar().value() == window.result_view.horizontalScrollBar().value()
    window.actions["zoom_actual"].trigger()
    assert window.result_view.zoom == pytest.approx(1.0)


def test_settings_toggles_reach_the_canvas(window):
    window.actions["highlight_changes"].trigger()
    assert window.document.settings.highlight_changes
    image = window.canvas.mask_layer.image()
    assert image.pixelColor(32, 32).alpha() == 0, "unchanged pixels are hidden"
    window.settings_panel.opacity.setValue(25)
    assert window.document.settings.mask_opacity == pytest.approx(0.25)
    assert window.canvas.mask_layer.opacity() == pytest.approx(0.25)


def test_space_turns_the_pointer_into_a_hand(window):
    window.canvas.set_zoom(16.0)
    window.canvas.horizontalScrollBar().setValue(100)
    window.activateWindow()
    window.canvas.setFocus()
    before_mask = window.document.edited_mask.copy()
    scroll = window.canvas.horizontalScrollBar().value()
    QTest.keyPress(window.canvas, Qt.Key.Key_Space)
    viewport = window.canvas.viewport()
    QTest.mousePress(viewport, LEFT, NONE, QPoint(200, 200))
    QTest.mouseMove(viewport, QPoint(150, 200))
    QTest.mouseRelease(viewport, LEFT, NONE, QPoint(150, 200))
    QTest.keyRelease(window.canvas, Qt.Key.Key_Space)
    assert window.canvas.horizontalScrollBar().value() == scroll + 50
    assert np.array_equal(window.document.edited_mask, before_mask)


def test_1000_strokes_on_a_512_mask_keep_the_history_under_100_mb(qtbot, tmp_path):
    from app_support import face

    from maskgan_studio.app.undo import history_bytes
    from maskgan_studio.core import MaskDocument, Stroke

    window = make_window(qtbot, tmp_path, MaskDocument(*face(512)))
    rng = np.random.default_rng(0)
    for _ in range(1000):
        stroke = Stroke(window.document)
        x, y = rng.uniform(0, 512, 2)
        stroke.paint((x, y), (x + rng.uniform(-90, 90), y + rng.uniform(-90, 90)), int(rng.integers(4, 64)),
                     int(rng.integers(0, 19)))
        window.tools._push(stroke)
    assert window.undo_stack.count() > 990   # a stroke that changes nothing makes no command
    assert history_bytes(window.undo_stack) < 100 * 2**20
    final = window.document.edited_mask.copy()
    for _ in range(1000):
        window.undo_stack.undo()
    assert np.array_equal(window.document.edited_mask, window.document.source_mask)
    for _ in range(1000):
        window.undo_stack.redo()
    assert np.array_equal(window.document.edited_mask, final)
