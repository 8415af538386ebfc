"""Style per region through the real engine on the worker thread (a tiny random-weight model)."""

import numpy as np
import pytest
from app_support import face, tiny_model, wait_idle, window_with_model
from scipy import ndimage
from test_app_style import canvas_point, dragged_key, drop, on_canvas

from maskgan_studio.core.style_gallery import StyleFace
from maskgan_studio.labels import ID

pytest.importorskip("torch")


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.fixture
def window(qtbot, tmp_path, model):
    return window_with_model(qtbot, tmp_path, model, feather=2)


def test_a_face_dropped_on_the_hair_restyles_only_the_hair(qtbot, window):
    before = window.workspace.exportable().image.copy()
    assert drop(on_canvas(window), canvas_point(window, ID["hair"]), dragged_key(window, 3))
    wait_idle(qtbot, window)
    after = window.workspace.exportable()
    assert after.stamp.style_map == window.document.style_map and not after.notices
    changed = np.any(after.image != before, axis=2)
    hair = window.document.edited_mask == ID["hair"]
    border = ndimage.binary_dilation(hair, iterations=window.document.settings.feather + 2)
    assert changed[hair].mean() > 0.5, "the hair takes the other face's style"
    assert not changed[~border].any(), "nothing changes outside the hair and its feathered border"
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    assert np.array_equal(window.workspace.exportable().image, before)


def test_a_style_face_without_hair_leaves_a_notice_and_no_error(qtbot, window):
    image, mask = face(64, seed=4)
    mask = np.where(mask == ID["hair"], ID["background"], mask).astype(np.uint8)
    bald = window.document.gallery.add(StyleFace.of(image, mask, "bald"))
    failures = []
    window.live.failed.connect(failures.append)
    window.style_panel.rows["hair"].choose(bald.key)
    wait_idle(qtbot, window)
    result = window.workspace.exportable()
    assert not failures and result.stamp.style_map == window.document.style_map
    assert any("hair" in notice.lower() for notice in result.notices)
    assert "hair" in window.status.currentMessage().lower()
