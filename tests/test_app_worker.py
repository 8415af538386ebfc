"""The live result: a real engine session on the worker thread with a tiny random-weight model."""

import threading

import numpy as np
import pytest
from app_support import make_window, tiny_model, wait_idle, window_with_model
from PySide6.QtWidgets import QMessageBox

from maskgan_studio.app.worker import ModelSpec
from maskgan_studio.core import Stroke
from maskgan_studio.labels import ID

pytest.importorskip("torch")


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.fixture
def window(qtbot, tmp_path, model):
    return window_with_model(qtbot, tmp_path, model)


def shown(window):
    return window.workspace.shown.image


def paint(window, x, y, class_id=ID["hat"], size=6):
    stroke = Stroke(window.document)
    stroke.paint((x, y), (x + 3, y + 2), size, class_id)
    window.tools._push(stroke)


def test_a_stroke_yields_a_result_from_the_worker(qtbot, window):
    first = shown(window).copy()
    stages = []
    window.workspace.events.shown.connect(lambda result: stages.append(result.stage))
    paint(window, 20, 20, size=20)
    wait_idle(qtbot, window)
    result = shown(window)
    assert result.dtype == np.uint8 and result.shape == (64, 64, 3)
    assert stages[-3:] == ["preview", "final", "texture"]  # photo texture is on by default
    assert window.workspace.shown.seq == window.live.seq
    assert window.workspace.exportable() is window.workspace.shown, "the newest finished stage is exportable"
    assert not np.array_equal(result, first), "a different mask draws a different face"
    assert "ms" in window.status.timing.text()


def test_without_photo_texture_the_generators_final_picture_is_the_result(qtbot, window):
    window.document.update_settings(photo_texture=False)
    wait_idle(qtbot, window)
    stages = []
    window.workspace.events.shown.connect(lambda result: stages.append(result.stage))
    paint(window, 20, 20, size=20)
    wait_idle(qtbot, window)
    assert stages[-2:] == ["preview", "final"]
    assert window.workspace.exportable().stage == "final"
    window.document.update_settings(photo_texture=True)
    wait_idle(qtbot, window)
    assert window.workspace.exportable().stage == "texture"
    assert window.workspace.exportable().stamp.photo_texture


def test_a_newer_stroke_stops_the_texture_stage_and_leaves_the_final_picture(qtbot, window, monkeypatch):
    from maskgan_studio.engine import session as engine_session

    worker = window.live.worker
    real = engine_session.synthesise
    entered, stopped = threading.Event(), []

    def waits_for_a_newer_stroke(*args, should_stop, **kwargs):
        if not entered.is_set():
            entered.set()
            deadline = threading.Event()
            for _ in range(600):  # up to 30 s for the GUI thread to send the newer stroke
                if worker._has_newer_edit():
                    break
                deadline.wait(0.05)
            result = real(*args, should_stop=should_stop, **kwargs)
            stopped.append(result is None)
            return result
        return real(*args, should_stop=should_stop, **kwargs)

    monkeypatch.setattr(engine_session, "synthesise", waits_for_a_newer_stroke)
    shown_stages = []
    window.workspace.events.shown.connect(lambda result: shown_stages.append((result.seq, result.stage)))
    paint(window, 20, 20, size=20)
    first = window.live.request_now()
    qtbot.waitUntil(entered.is_set, timeout=30_000)
    assert (first, "final") in shown_stages
    paint(window, 40, 40, size=10)
    wait_idle(qtbot, window)
    assert stopped == [True]
    assert (first, "texture") not in shown_stages
    assert shown_stages[-1] == (window.live.seq, "texture")
    assert window.workspace.exportable().stamp == window.workspace.stamp()


def test_200_rapid_requests_run_at_most_3_inferences_and_show_the_last_mask(qtbot, window, model):
    session = window.worker_thread.worker._session
    original = session.edit_progressive
    gate = threading.Event()

    def held(*args, **kwargs):      # the first inference is still running while requests pile up
        gate.wait(10)
        yield from original(*args, **kwargs)

    session.edit_progressive = held
    before = window.live.inferences
    rng = np.random.default_rng(0)
    for _ in range(200):
        x, y = rng.uniform(0, 60, 2)
        paint(window, x, y, int(rng.integers(0, 19)))
        window.live.request_now()
    gate.set()
    wait_idle(qtbot, window)
    session.edit_progressive = original
    assert window.live.inferences - before <= 3
    assert window.workspace.shown.seq == window.live.seq
    from maskgan_studio.engine import EditSession

    check = EditSession(model, device="cpu", compile=False)
    check.set_style_source(window.document.source_image, window.document.source_mask)
    expected = check.edit(window.document.edited_mask.copy(), texture="photo")
    assert np.abs(expected.astype(int) - shown(window).astype(int)).max() <= 1


def test_an_engine_error_is_reported_and_the_app_carries_on(qtbot, window, monkeypatch):
    session = window.worker_thread.worker._session
    original = session.edit_progressive

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory (simulated)")
        yield

    session.edit_progressive = broken
    with qtbot.waitSignal(window.live.failed, timeout=30_000) as failed:
        paint(window, 30, 30)
    assert "out of memory" in failed.args[0]
    assert "out of memory" in window.status.currentMessage()
    session.edit_progressive = original
    paint(window, 10, 40, ID["cloth"])
    wait_idle(qtbot, window)
    assert window.workspace.shown.seq == window.live.seq and window.worker_thread.thread.isRunning()


def test_a_model_that_cannot_load_gives_a_dialog(qtbot, window, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a model")
    with qtbot.waitSignal(window.live.model_failed, timeout=30_000):
        window.load_model(ModelSpec("file", str(broken), "cpu"))
    assert warnings and "broken.safetensors" in warnings[0]
    paint(window, 12, 12)       # the previous model keeps drawing
    wait_idle(qtbot, window)
    assert window.workspace.shown.seq == window.live.seq


def test_the_style_reference_restyles_the_result(qtbot, window):
    from app_support import face

    before = shown(window).copy()
    image, mask = face(64, seed=7)
    window.document.set_reference(255 - image, mask)
    wait_idle(qtbot, window)
    assert not np.array_equal(before, shown(window))
    assert not window.settings_panel.strength.isEnabled(), "a model without MaskVAE + blender has no strength"


def test_an_export_waits_for_the_result_of_the_mask_as_it_is_now(qtbot, window, tmp_path):
    """Never a preview, never a result of an older mask: the export says it is finishing the
    result, then writes the finished image drawn for the current mask."""
    from maskgan_studio.io import read_image

    paint(window, 20, 20, size=20)
    assert window.workspace.exportable() is None
    assert not window.exports.export_image(tmp_path / "out.png")
    assert window.exports.waiting and "Finishing the result" in window.status.busy_text.text()
    qtbot.waitUntil(lambda: (tmp_path / "out.png").exists(), timeout=60_000)
    written = window.workspace.exportable()
    assert written is not None and written.stage != "preview"
    assert written.stamp.mask_version == window.document.mask_version
    assert np.array_equal(read_image(tmp_path / "out.png"), written.image)
    assert not window.exports.waiting and not window.status.busy
    assert "out.png" in window.status.currentMessage()


def test_torch_leaves_a_core_to_the_gui_thread(qtbot, tmp_path, model):
    """With every core busy, torch's intra-op threads (and the texture stage's) would take the GUI
    thread's share."""
    import os

    import numba
    import torch

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    before = torch.get_num_threads()
    torch.set_num_threads(cores + 3)   # what a new thread would start with
    try:
        window = make_window(qtbot, tmp_path)
        with qtbot.waitSignal(window.live.model_ready, timeout=60_000):
            window.load_model(ModelSpec("model", device="cpu", model=model))
        wait_idle(qtbot, window)
        session = window.worker_thread.worker._session
        original, seen = session.edit_progressive, []

        def counting(*args, **kwargs):   # on the worker thread, where the edits run
            seen.append((torch.get_num_threads(), numba.get_num_threads()))
            yield from original(*args, **kwargs)

        session.edit_progressive = counting
        paint(window, 30, 30)
        wait_idle(qtbot, window)
        session.edit_progressive = original
    finally:
        torch.set_num_threads(before)
    assert seen and set(seen) == {(max(1, cores - 1), max(1, cores - 1))}
