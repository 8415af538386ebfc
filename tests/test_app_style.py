"""Style per region in the editor: the gallery, drops on the canvas, the palette and the rows, undo,
projects and the engine's notices (no model: results are given by hand)."""

import numpy as np
import pytest
from app_support import face, give_result, make_window
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragMoveEvent, QDropEvent

from maskgan_studio.app.palette_panel import BADGE_ROLE
from maskgan_studio.app.style_drag import face_mime
from maskgan_studio.core.style_map import GROUPS
from maskgan_studio.io import write_image, write_mask
from maskgan_studio.labels import ID


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


def drop(handler, point: QPointF, key: str) -> bool:
    """The drop event Qt delivers when a face dragged from the gallery is let go over ``point``,
    handed to ``handler`` (Qt delivers a drop only to the target of a real drag, so a test calls the
    handler itself); True when it was taken."""
    mime = face_mime(key)   # the event does not own it
    event = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event.ignore()
    handler(event)
    return event.isAccepted()


def on_canvas(window):
    return lambda event: window.canvas_drops.eventFilter(window.canvas.viewport(), event)


def dragged_key(window, index: int) -> str:
    """The key the gallery puts in a drag of its ``index``-th face."""
    gallery = window.style_panel.gallery
    mime = gallery.mimeData([gallery.item(index)])
    return bytes(mime.data(mime.formats()[0]).data()).decode()


def canvas_point(window, class_id: int) -> QPointF:
    ys, xs = np.nonzero(window.document.edited_mask == class_id)
    middle = len(ys) // 2
    return QPointF(window.canvas.mapFromScene(QPointF(xs[middle] + 0.5, ys[middle] + 0.5)))


def test_the_built_in_faces_fill_the_gallery_and_every_row(window):
    faces = window.document.gallery.faces
    assert len(faces) >= 6 and all(f.builtin for f in faces)
    assert window.style_panel.gallery.count() == len(faces)
    assert window.style_panel.rows["hair"].choice.count() == len(faces) + 1   # and the photo itself
    assert dragged_key(window, 2) == faces[2].key


def test_a_face_dropped_on_the_hair_of_the_canvas_styles_the_hair_undoably(window):
    key = dragged_key(window, 0)
    assert drop(on_canvas(window), canvas_point(window, ID["hair"]), key)
    assert window.document.style_map.pairs == ((ID["hair"], key),)
    assert window.style_panel.rows["hair"].choice.currentData() == key
    assert window.palette.item(ID["hair"]).data(BADGE_ROLE) is not None
    assert window.palette.item(ID["skin"]).data(BADGE_ROLE) is None
    assert window.document.modified
    window.undo_stack.undo()
    assert not window.document.style_map and not window.document.modified
    assert window.style_panel.rows["hair"].choice.currentData() is None
    assert window.palette.item(ID["hair"]).data(BADGE_ROLE) is None
    window.undo_stack.redo()
    assert window.document.style_map.pairs == ((ID["hair"], key),)


def test_a_face_dropped_on_a_skin_region_styles_the_whole_skin_group(window):
    key = dragged_key(window, 1)
    mime = face_mime(key)
    event = QDragMoveEvent(canvas_point(window, ID["skin"]).toPoint(), Qt.DropAction.CopyAction, mime,
                           Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.canvas_drops.eventFilter(window.canvas.viewport(), event)
    assert event.isAccepted()
    assert window.status.currentMessage() == f"Drop to give skin the style of {window.document.gallery[key].name}"
    drop(on_canvas(window), canvas_point(window, ID["skin"]), key)
    assert window.document.style_map.classes_of(key) == tuple(sorted(GROUPS["skin"]))
    assert window.undo_stack.count() == 1


def test_a_drop_outside_the_face_or_without_a_face_changes_nothing(window):
    key = dragged_key(window, 0)
    window.canvas.zoom_out()
    window.canvas.zoom_out()
    assert not drop(on_canvas(window), QPointF(1, 1), key)
    assert not window.document.style_map
    drop(on_canvas(window), canvas_point(window, ID["hair"]), "not-in-the-gallery")
    assert not window.document.style_map and window.undo_stack.count() == 0


def test_a_face_dropped_on_a_palette_class_or_a_style_row_assigns_it(window):
    lips, brows = dragged_key(window, 3), dragged_key(window, 4)
    rect = window.palette.visualItemRect(window.palette.item(ID["l_lip"]))
    drop(window.palette.dropEvent, QPointF(rect.center()), lips)
    assert window.document.style_map.classes_of(lips) == tuple(sorted(GROUPS["lips"]))
    assert window.palette.item(ID["u_lip"]).data(BADGE_ROLE) is not None
    drop(window.style_panel.rows["brows"].dropEvent, QPointF(5, 5), brows)
    assert window.document.style_map.classes_of(brows) == tuple(sorted(GROUPS["brows"]))
    row = window.style_panel.rows["brows"]
    row.choice.activated.emit(0)   # the menu: back to the photo
    assert window.document.style_map.classes_of(brows) == ()
    window.style_panel.clear.click()
    assert not window.document.style_map
    assert window.undo_stack.count() == 4


def test_an_opened_face_joins_the_gallery_and_a_project_keeps_the_map(qtbot, tmp_path, window):
    image, mask = face(48, seed=9)
    write_image(tmp_path / "red_head.png", image)
    write_mask(tmp_path / "red_head_mask.png", mask)
    window.style_faces.open_paths([tmp_path / "red_head.png"])   # its mask lies beside it: added at once
    added = window.document.gallery.faces[-1]
    assert added.name == "red head" and np.array_equal(added.mask, mask)
    assert window.style_panel.gallery.count() == len(window.document.gallery)
    window.style_panel.rows["hair"].choose(added.key)
    assert window.files.save_as(tmp_path / "work.maskgan")
    (tmp_path / "other").mkdir()
    other = make_window(qtbot, tmp_path / "other", size=32)
    assert other.files.open_project(tmp_path / "work.maskgan")
    assert other.document.style_map == window.document.style_map
    assert other.style_panel.rows["hair"].choice.currentText() == "red head"
    assert not other.document.modified


def test_the_engines_notices_go_to_the_status_bar(window):
    window.style_panel.rows["hair"].choose(dragged_key(window, 0))
    window.live.seq += 1
    from maskgan_studio.core.workspace import StageResult

    window.workspace.offer(StageResult(window.live.seq, "final", face(64)[0], 1.0, window.workspace.stamp(),
                                       ("hair: the reference has no hair; kept the photo's style",)))
    assert "no hair" in window.status.currentMessage()
    give_result(window, face(64)[0])
    assert window.workspace.exportable().stamp.style_map == window.document.style_map


def test_a_photo_dropped_on_the_gallery_is_found_aligned_and_masked_in_the_background(qtbot, tmp_path, window):
    from skimage import data

    write_image(tmp_path / "astronaut.png", data.astronaut())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "astronaut.png"))])
    count = len(window.document.gallery)
    with qtbot.waitSignal(window.style_faces.settled, timeout=120_000):
        assert drop_files(window.style_panel.gallery.dropEvent, mime)
    assert len(window.document.gallery) == count + 1
    added = window.document.gallery.faces[-1]
    assert added.name == "astronaut" and added.image.shape == (512, 512, 3)
    assert (added.mask == ID["skin"]).mean() > 0.1 and (added.mask == ID["hair"]).any()


def test_a_photo_without_a_face_is_refused_in_the_status_bar(qtbot, tmp_path, window):
    window.interactive = False   # the failure goes to the status bar, not a modal dialog
    write_image(tmp_path / "noise.png", np.random.default_rng(0).integers(0, 255, (96, 96, 3), dtype=np.uint8))
    count = len(window.document.gallery)
    with qtbot.waitSignal(window.style_faces.settled, timeout=120_000):
        window.style_faces.open_paths([tmp_path / "noise.png"])
    assert len(window.document.gallery) == count
    assert "no face found" in window.status.currentMessage() and "noise.png" in window.status.currentMessage()


def drop_files(handler, mime) -> bool:
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    event.ignore()
    handler(event)
    return event.isAccepted()


def test_a_dock_layout_saved_before_style_per_region_is_not_restored(qtbot, tmp_path):
    from PySide6.QtWidgets import QDockWidget

    first = make_window(qtbot, tmp_path)
    docks = {dock.objectName(): dock for dock in first.findChildren(QDockWidget)}
    first.removeDockWidget(docks["style_dock"])
    for name in ("reference_dock", "model_dock"):   # the old column: each dock below the other
        first.removeDockWidget(docks[name])
        first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, docks[name])
        docks[name].show()
    first.app_settings.set_geometry(first.saveGeometry(), first.saveState(0))
    second = make_window(qtbot, tmp_path)
    style_dock = second.findChild(QDockWidget, "style_dock")
    assert {d.objectName() for d in second.tabifiedDockWidgets(style_dock)} == {"reference_dock", "model_dock"}
