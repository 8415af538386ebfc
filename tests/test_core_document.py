"""The Qt-free document: events, strokes, bit-exact undo atoms, bounded history."""

import re

import numpy as np
import pytest
from app_support import face

from maskgan_studio.core import EditSettings, MaskDocument, Stroke
from maskgan_studio.core.events import Event
from maskgan_studio.errors import StudioError
from maskgan_studio.labels import ID


@pytest.fixture
def document():
    return MaskDocument(*face(64))


def test_events_reach_listeners_and_dead_methods_are_dropped(document):
    seen = []

    class View:
        def on_mask(self, rect):
            seen.append(rect)

    view = View()
    document.events.mask.connect(view.on_mask)
    stroke = Stroke(document)
    stroke.paint((10, 10), (12, 10), 3, ID["hat"])
    assert seen and not seen[0].is_empty
    del view
    stroke.paint((20, 20), (20, 20), 3, ID["hat"])
    assert len(seen) == 1


def test_blocked_event_is_silent():
    event, calls = Event("x"), []
    event.connect(lambda **kw: calls.append(kw))
    with event.blocked():
        event.emit(a=1)
    event.emit(a=2)
    assert calls == [{"a": 2}]


def test_stroke_atom_undo_redo_is_bit_exact(document):
    original = document.edited_mask.copy()
    stroke = Stroke(document)
    stroke.paint((5, 5), (50, 40), 9, ID["hair"])
    stroke.paint((50, 40), (20, 60), 4, ID["nose"])
    painted = document.edited_mask.copy()
    atom = stroke.finish()
    assert atom is not None and document.modified
    assert atom.rect.height * atom.rect.width < original.size
    document.apply_atom(atom, undo=True)
    assert np.array_equal(document.edited_mask, original)
    document.apply_atom(atom)
    assert np.array_equal(document.edited_mask, painted)


def test_a_stroke_that_changes_nothing_has_no_atom(document):
    stroke = Stroke(document)
    label = int(document.edited_mask[2, 2])
    stroke.paint((2.5, 2.5), (2.5, 2.5), 1, label)
    assert stroke.finish() is None


def test_eraser_restores_the_source_mask(document):
    stroke = Stroke(document)
    stroke.paint((0, 32), (64, 32), 10, ID["cloth"])
    stroke.erase((0, 32), (64, 32), 10)
    assert np.array_equal(document.edited_mask, document.source_mask)
    assert stroke.finish() is None


def test_clone_copies_the_reference_mask(document):
    image, mask = face(64, seed=3)
    reference = np.roll(mask, 6, axis=0)
    document.set_reference(image, reference)
    stroke = Stroke(document)
    stroke.clone((32, 44), (32, 44), 12)
    around_mouth = document.edited_mask[40:48, 28:36]
    assert np.array_equal(around_mouth, reference[40:48, 28:36])


def test_history_of_1000_strokes_stays_small(document):
    rng = np.random.default_rng(0)
    big = MaskDocument(*face(512))
    total = 0
    for _ in range(1000):
        stroke = Stroke(big)
        x, y = rng.uniform(0, 512, 2)
        stroke.paint((x, y), (x + rng.uniform(-80, 80), y + rng.uniform(-80, 80)), rng.integers(4, 64),
                     int(rng.integers(0, 19)))
        atom = stroke.finish()
        total += atom.nbytes if atom else 0
    assert total < 100 * 2**20


def test_reset_edits_returns_an_undoable_atom(document):
    Stroke(document).paint((30, 30), (30, 30), 20, ID["hat"])
    painted = document.edited_mask.copy()
    atom = document.reset_edits()
    assert np.array_equal(document.edited_mask, document.source_mask)
    document.apply_atom(atom, undo=True)
    assert np.array_equal(document.edited_mask, painted)


def test_settings_update_reports_only_changes(document):
    changes = []
    document.events.settings.connect(lambda changed: changes.append(changed))
    document.update_settings(feather=3, paste_back=True)
    assert changes == [{"feather"}]
    assert EditSettings.from_dict({"strength": 1, "future": "kept out"}).strength == 1.0
    assert EditSettings.from_dict({"feather": 3.0}).feather == 3


@pytest.mark.parametrize("values, problem", [
    ({"feather": "x"}, "feather must be a number"),
    ({"feather": -50}, "feather is -50; it must lie between 0 and 64"),
    ({"feather": 2.5}, "feather must be a whole number"),
    ({"strength": 1e308}, "strength is 1e+308"),
    ({"strength": float("nan")}, "strength must be a finite number"),
    ({"mask_opacity": -3}, "mask_opacity is -3"),
    ({"paste_back": 1}, "paste_back must be true or false"),
])
def test_settings_out_of_range_are_refused_everywhere(document, values, problem):
    """One check (core.settings) holds for files, for documents and for new settings objects."""
    with pytest.raises(StudioError, match=re.escape(problem)):
        EditSettings.from_dict(values)
    with pytest.raises(StudioError, match=re.escape(problem)):
        EditSettings(**values)
    with pytest.raises(StudioError, match=re.escape(problem)):
        document.update_settings(**values)
    assert document.settings == EditSettings() and not document.modified


def test_settings_that_are_not_a_table_are_refused():
    with pytest.raises(StudioError, match="settings must be a table of names and values, got list"):
        EditSettings.from_dict([1, 2, 3])


def test_strength_limit_is_the_engines():
    from maskgan_studio.core.settings import LIMITS
    from maskgan_studio.engine.strength import MAX_STRENGTH

    assert LIMITS["strength"][1] == MAX_STRENGTH


def test_bad_arrays_are_refused():
    image, mask = face(32)
    with pytest.raises(StudioError, match="ids run 0-18"):
        MaskDocument(image, mask + 19)
    with pytest.raises(StudioError, match="same shape"):
        MaskDocument(image[:, :20], mask)


def test_a_larger_photo_of_the_same_shape_is_fitted_to_the_mask():
    image, mask = face(64)
    big = np.repeat(np.repeat(image, 2, axis=0), 2, axis=1)
    document = MaskDocument(big, mask)
    assert document.source_image.shape == (64, 64, 3)
