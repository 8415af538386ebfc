"""Photographs in the editor: open a photo without a mask (faces found, aligned, auto-masked),
pick among several faces, no face, export into the full photo, projects, and Edit > Auto mask."""

import threading

import cv2
import numpy as np
import pytest
from app_support import face, give_result, gui_self_test, make_window
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox
from skimage import data

from maskgan_studio.app import auto_masker, photo_dialogs
from maskgan_studio.app.photo_dialogs import FacePickerDialog
from maskgan_studio.core import MaskDocument, PhotoFrame
from maskgan_studio.core.workspace import ModelInfo
from maskgan_studio.io import read_image, write_image, write_mask
from maskgan_studio.labels import ID
from maskgan_studio.photos import detect_faces, mask_at_photo_size, mediapipe_models, prepare_photo

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def astronaut():
    return data.astronaut()


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


@pytest.fixture
def dialogs(monkeypatch):
    """Records every question and warning; ``whole_image`` and ``face`` are the answers given."""
    record = {"warnings": [], "whole_image_asked": [], "faces_offered": [], "whole_image": False, "face": 1}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: record["warnings"].append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: record["warnings"].append(text))

    def ask_whole_image(parent, message):
        record["whole_image_asked"].append(message)
        return record["whole_image"]

    def choose_face(parent, image, faces, name):
        record["faces_offered"].append(len(faces))
        return record["face"]

    monkeypatch.setattr(photo_dialogs, "ask_whole_image", ask_whole_image)
    monkeypatch.setattr(photo_dialogs, "choose_face", choose_face)
    return record


def open_and_wait(qtbot, window, paths, drop=False):
    if drop:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                    Qt.KeyboardModifier.NoModifier))
    else:
        assert window.files.open_paths(paths)
    assert window.photos.busy, "the photo is opened in the background"
    qtbot.waitUntil(lambda: not window.photos.busy, timeout=WAIT_MS)


def photo_box(frame, crop_box, margin):
    """The photo rectangle (x0, y0, x1, y1) covering a crop rectangle, grown by ``margin``."""
    x0, y0, x1, y1 = crop_box
    corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], np.float64)
    inverse = cv2.invertAffineTransform(frame.matrix)
    mapped = corners @ inverse[:, :2].T + inverse[:, 2]
    (left, top), (right, bottom) = mapped.min(0) - margin, mapped.max(0) + margin
    return int(left), int(top), int(np.ceil(right)), int(np.ceil(bottom))


def test_a_photo_opens_as_an_aligned_auto_masked_crop_and_exports_into_the_full_photo(
        qtbot, window, tmp_path, dialogs, astronaut):
    write_image(tmp_path / "astronaut.png", astronaut)
    open_and_wait(qtbot, window, [tmp_path / "astronaut.png"])
    doc = window.document
    assert doc.shape == (512, 512) and doc.photo is not None
    assert np.array_equal(doc.photo.photo, astronaut)
    assert window.workspace.origin.file == (tmp_path / "astronaut.png").resolve() and window.undo_stack.count() == 0
    assert window.windowTitle().startswith("astronaut.png")
    counts = np.bincount(doc.source_mask.ravel(), minlength=19) / doc.source_mask.size
    assert counts[ID["skin"]] > 0.1 and counts[ID["background"]] < 0.9
    for part in ("l_eye", "r_eye", "nose", "u_lip"):
        assert counts[ID[part]] > 0
    # The eyes land where CelebA-HQ crops have them (y 0.48 of the crop).
    eyes_y = np.nonzero(np.isin(doc.source_mask, [ID["l_eye"], ID["r_eye"]]))[0].mean() / 512
    assert abs(eyes_y - 0.48) < 0.05
    assert not dialogs["warnings"] and not dialogs["faces_offered"] and not dialogs["whole_image_asked"]
    assert window.actions["export_crop"].isEnabled()

    result = doc.source_image.copy()
    result[350:390, 200:310] = (250, 20, 20)   # an edit around the mouth; elsewhere the crop as it was
    give_result(window, result)
    assert window.exports.export_image(tmp_path / "edited.png")
    exported = read_image(tmp_path / "edited.png")
    assert exported.shape == astronaut.shape
    left, top, right, bottom = photo_box(doc.photo, (200, 350, 310, 390), margin=2 * doc.settings.feather + 4)
    outside = np.ones(astronaut.shape[:2], bool)
    outside[max(top, 0):bottom, max(left, 0):right] = False
    assert np.array_equal(exported[outside], astronaut[outside]), "pixels away from the edit are untouched"
    centre = photo_box(doc.photo, (240, 365, 270, 375), margin=0)
    patch = exported[centre[1]:centre[3], centre[0]:centre[2]].astype(int)
    assert patch[..., 0].mean() > patch[..., 1].mean() + 100, "the edit is in the photo"
    assert window.exports.export_crop(tmp_path / "edited_face.png")
    assert np.array_equal(read_image(tmp_path / "edited_face.png"), result)

    # Unedited, the export is the photo itself; a project keeps the photo and its transform.
    give_result(window, doc.source_image.copy())
    assert window.exports.export_image(tmp_path / "unedited.png")
    assert np.array_equal(read_image(tmp_path / "unedited.png"), astronaut)
    matrix = doc.photo.matrix.copy()
    assert window.files.save_as(tmp_path / "astronaut.maskgan")
    image, mask = face(64)
    doc.replace_source(image, mask)
    assert doc.photo is None and not window.actions["export_crop"].isEnabled()
    assert window.files.open_project(tmp_path / "astronaut.maskgan")
    assert doc.photo is not None and np.array_equal(doc.photo.photo, astronaut)
    assert np.array_equal(doc.photo.matrix, matrix) and doc.photo.method == "mediapipe"
    give_result(window, result)
    assert window.exports.export_image(tmp_path / "from_project.png")
    assert np.array_equal(read_image(tmp_path / "from_project.png"), exported)


def test_several_faces_ask_which_one(qtbot, window, tmp_path, dialogs, astronaut):
    small = cv2.resize(astronaut, (384, 384), interpolation=cv2.INTER_AREA)
    pair = np.full((512, 1024, 3), 128, np.uint8)
    pair[:, :512] = astronaut
    pair[64:448, 576:960] = small
    write_image(tmp_path / "pair.png", pair)
    dialogs["face"] = 1
    open_and_wait(qtbot, window, [tmp_path / "pair.png"], drop=True)
    assert dialogs["faces_offered"] == [2]
    frame = window.document.photo
    centre = cv2.invertAffineTransform(frame.matrix) @ np.array([256, 256, 1.0])
    assert centre[0] > 576, "the second (smaller) face was opened"
    dialogs["face"] = None   # cancel: nothing changes
    before = window.document.source_image.copy()
    open_and_wait(qtbot, window, [tmp_path / "pair.png"])
    assert np.array_equal(window.document.source_image, before)


def test_the_face_picker_lists_thumbnails_largest_first(window, astronaut):
    pair = np.concatenate([astronaut, cv2.resize(astronaut, (512, 512))], axis=1)
    faces = detect_faces(astronaut)
    dialog = FacePickerDialog(pair, faces * 2, "pair.png", window)
    assert dialog.list.count() == 2 and dialog.chosen == 0
    assert not dialog.list.item(1).icon().isNull()
    texts = [dialog.list.item(row).text().splitlines()[0] for row in range(2)]
    assert texts == ["Face 0", "Face 1"], "numbered as --face numbers them"
    assert "--face 1" in dialog.list.item(1).toolTip()
    dialog.list.setCurrentRow(1)
    assert dialog.chosen == 1


def test_no_face_asks_and_can_use_the_whole_image(qtbot, window, tmp_path, dialogs):
    write_image(tmp_path / "grey.png", np.full((200, 300, 3), 128, np.uint8))
    before = window.document.edited_mask.copy()
    open_and_wait(qtbot, window, [tmp_path / "grey.png"], drop=True)
    assert len(dialogs["whole_image_asked"]) == 1 and "No face was found in grey.png" in dialogs["whole_image_asked"][0]
    assert np.array_equal(window.document.edited_mask, before) and window.document.photo is None
    assert window.isVisible() and not dialogs["warnings"]
    dialogs["whole_image"] = True
    open_and_wait(qtbot, window, [tmp_path / "grey.png"])
    doc = window.document
    assert doc.photo is not None and doc.photo.method == "whole image" and doc.shape == (512, 512)
    assert np.array_equal(doc.photo.photo, np.full((200, 300, 3), 128, np.uint8))


def test_an_unreadable_photo_gives_a_dialog(qtbot, window, tmp_path, dialogs):
    (tmp_path / "broken.jpg").write_bytes(b"not a jpeg")
    open_and_wait(qtbot, window, [tmp_path / "broken.jpg"])
    assert len(dialogs["warnings"]) == 1 and "broken.jpg" in dialogs["warnings"][0]
    assert window.isVisible() and not window.status.busy


def test_the_crop_is_512_px_or_the_models_resolution_when_larger(qtbot, window, tmp_path, dialogs, astronaut):
    """The texture stage works at the crop's resolution, not at a small model's."""
    write_image(tmp_path / "astronaut.png", astronaut)
    window.workspace.set_model(ModelInfo("test", "cpu", "fp32", 256))
    open_and_wait(qtbot, window, [tmp_path / "astronaut.png"])
    assert window.document.shape == (512, 512)
    window.workspace.set_model(ModelInfo("test", "cpu", "fp32", 640))
    open_and_wait(qtbot, window, [tmp_path / "astronaut.png"])
    assert window.document.shape == (640, 640)


def test_a_face_larger_in_the_photo_than_the_crop_is_edited_at_the_photos_scale(qtbot, window, tmp_path, dialogs,
                                                                                astronaut):
    """One crop pixel per photo pixel (at most 1024 px), so the texture stage copies real grain."""
    for side in (1400, 2400, 3600):
        write_image(tmp_path / f"large{side}.png", cv2.resize(astronaut, (side, side), interpolation=cv2.INTER_CUBIC))
        open_and_wait(qtbot, window, [tmp_path / f"large{side}.png"])
        doc = window.document
        crop, scale = doc.shape[0], float(np.sqrt(abs(np.linalg.det(doc.photo.matrix[:, :2]))))
        if side == 1400:  # the face is no larger in the photo than in a 512 crop
            assert crop == 512 and scale >= 0.99
        elif side == 2400:
            assert 512 < crop < 1024 and scale == pytest.approx(1.0, abs=0.01)
        else:
            assert crop == 1024 and scale < 0.99


@pytest.fixture
def crop_window(qtbot, tmp_path, astronaut):
    """The astronaut's face at 256 px with a blank mask, as if opened with a poor mask."""
    crop = cv2.resize(astronaut[0:300, 100:400], (256, 256), interpolation=cv2.INTER_AREA)
    blank = np.full((256, 256), ID["skin"], np.uint8)
    return make_window(qtbot, tmp_path, MaskDocument(crop, blank))


def run_auto_mask(qtbot, window, monkeypatch) -> str:
    """Trigger Edit > Auto mask, wait for it, return its status line (the failing inference of
    these model-less windows may overwrite the status bar itself)."""
    messages = []
    monkeypatch.setattr(window.status, "showMessage", lambda text, timeout=0: messages.append(text))
    window.actions["auto_mask"].trigger()
    assert window.auto_masker.running and window.status.busy and not window.actions["auto_mask"].isEnabled()
    qtbot.waitUntil(lambda: not window.auto_masker.running, timeout=WAIT_MS)
    assert not window.status.busy and window.actions["auto_mask"].isEnabled()
    found = [text for text in messages if text.startswith("Auto mask")]
    assert len(found) == 1
    return found[0]


def test_auto_mask_runs_off_the_gui_thread_and_is_one_undo_step(qtbot, crop_window, monkeypatch):
    window = crop_window
    threads = []
    real = auto_masker.auto_mask
    monkeypatch.setattr(auto_masker, "auto_mask", lambda image: threads.append(threading.get_ident()) or real(image))
    before = window.document.edited_mask.copy()
    message = run_auto_mask(qtbot, window, monkeypatch)
    assert threads and threads[0] != threading.get_ident()
    masked = window.document.edited_mask.copy()
    counts = np.bincount(masked.ravel(), minlength=19)
    assert counts[ID["background"]] > 0 and counts[ID["l_eye"]] > 0 and counts[ID["u_lip"]] > 0
    assert window.undo_stack.count() == 1
    assert "Auto mask by landmarks" in message and "\n" not in message
    window.undo_stack.undo()
    assert np.array_equal(window.document.edited_mask, before)
    window.undo_stack.redo()
    assert np.array_equal(window.document.edited_mask, masked)


def test_auto_mask_without_mediapipe_says_so_in_one_line(qtbot, crop_window, monkeypatch):
    monkeypatch.setattr(mediapipe_models, "available", lambda: False)
    message = run_auto_mask(qtbot, crop_window, monkeypatch)
    assert "Auto mask by template" in message and "mediapipe is not installed" in message and "\n" not in message
    assert crop_window.undo_stack.count() == 1


def test_a_failing_auto_mask_gives_a_dialog_and_the_app_keeps_running(qtbot, crop_window, monkeypatch, dialogs):
    def broken(image):
        raise RuntimeError("out of landmarks")

    monkeypatch.setattr(auto_masker, "auto_mask", broken)
    before = crop_window.document.edited_mask.copy()
    assert run_auto_mask(qtbot, crop_window, monkeypatch) == "Auto mask failed: RuntimeError: out of landmarks"
    assert dialogs["warnings"] == ["RuntimeError: out of landmarks"]
    assert np.array_equal(crop_window.document.edited_mask, before) and crop_window.undo_stack.count() == 0
    monkeypatch.setattr(auto_masker, "auto_mask", lambda image: (np.zeros(image.shape[:2], np.uint8), "template"))
    run_auto_mask(qtbot, crop_window, monkeypatch)
    assert not crop_window.document.edited_mask.any()


def test_the_auto_mask_shortcut_is_listed_in_help(window):
    from maskgan_studio.app.actions import shortcut_rows

    rows = {command: keys for _, command, keys in shortcut_rows(window.actions)}
    assert rows["Auto mask"] == window.actions["auto_mask"].shortcut().toString()


def test_gui_opens_a_photo_given_on_the_command_line(tmp_path, astronaut):
    write_image(tmp_path / "astronaut.jpg", astronaut)
    report = gui_self_test("astronaut.jpg", tmp_path)
    assert report["ok"] and report["changed_pixels"] > 0 and report["from_photo"]


def test_a_mask_of_the_whole_photo_opens_into_the_crop(qtbot, tmp_path, dialogs, astronaut):
    prepared = prepare_photo(astronaut, resolution=256)
    frame = PhotoFrame(astronaut, prepared.transform.matrix, prepared.transform.method)
    window = make_window(qtbot, tmp_path, MaskDocument(prepared.image, prepared.mask, photo=frame))
    photo_mask = mask_at_photo_size(prepared.mask, prepared.transform)
    photo_mask[20:60, 150:350] = ID["hat"]   # a hat drawn on the photo, as an edit of what ``parse`` wrote
    write_mask(tmp_path / "astronaut_mask.png", photo_mask)
    assert window.files.open_mask(tmp_path / "astronaut_mask.png")
    edited = window.document.edited_mask
    hat = edited == ID["hat"]
    assert hat.any() and np.array_equal(edited[~hat], prepared.mask[~hat]), "only the hat changed"
    box = np.zeros(astronaut.shape[:2], np.uint8)
    box[20:60, 150:350] = 1
    expected = cv2.warpAffine(box, prepared.transform.matrix, (256, 256), flags=cv2.INTER_NEAREST).astype(bool)
    assert np.array_equal(hat, expected), "the hat lands where the photo has it"
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert np.array_equal(window.document.edited_mask, prepared.mask)
