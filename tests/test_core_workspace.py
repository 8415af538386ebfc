"""The Qt-free workspace: origin in one place, results stamped with their inputs, stages in order."""

from pathlib import Path

import numpy as np
import pytest
from app_support import face

from maskgan_studio.core import MaskDocument, Stroke
from maskgan_studio.core.workspace import ModelInfo, Origin, StageResult, Workspace
from maskgan_studio.labels import ID


@pytest.fixture
def workspace():
    return Workspace(MaskDocument(*face(64)))


def image(value: int) -> np.ndarray:
    return np.full((64, 64, 3), value, np.uint8)


def draw(workspace: Workspace, seq: int, stages: list[str], stamp=None) -> None:
    """The worker's answer to request ``seq``: its stages in order, then done."""
    stamp = stamp or workspace.stamp()
    for index, stage in enumerate(stages):
        workspace.offer(StageResult(seq, stage, image(seq * 10 + index), 1.0, stamp))
    workspace.request_done(seq)


def test_a_preview_is_never_exportable(workspace):
    workspace.offer(StageResult(1, "preview", image(1), 1.0, workspace.stamp()))
    assert workspace.shown.stage == "preview" and workspace.exportable() is None
    workspace.request_done(1)
    assert workspace.exportable() is None


def test_the_newest_finished_stage_of_a_request_is_its_result(workspace):
    ready = []
    workspace.events.ready.connect(lambda result: ready.append(result.stage))
    stamp = workspace.stamp()
    workspace.offer(StageResult(1, "preview", image(1), 1.0, stamp))
    workspace.offer(StageResult(1, "final", image(2), 1.0, stamp))
    assert workspace.exportable() is None, "the request may still yield a later stage"
    workspace.offer(StageResult(1, "texture", image(3), 1.0, stamp))
    workspace.request_done(1)
    assert workspace.exportable().stage == "texture" and ready == ["texture"]


def test_a_result_of_an_older_mask_or_other_settings_is_not_exportable(workspace):
    draw(workspace, 1, ["preview", "final"])
    assert workspace.exportable() is not None
    Stroke(workspace.document).paint((10, 10), (20, 20), 5, ID["hat"])
    assert workspace.exportable() is None
    draw(workspace, 2, ["preview", "final"])
    assert workspace.exportable().seq == 2
    workspace.document.update_settings(feather=3)
    assert workspace.exportable() is None
    draw(workspace, 3, ["final"])
    reference_image, reference_mask = face(64, seed=3)
    workspace.document.set_reference(reference_image, reference_mask)
    assert workspace.exportable() is None, "another style draws another face"


def test_results_of_older_requests_are_dropped(workspace):
    stamp = workspace.stamp()
    assert workspace.offer(StageResult(2, "preview", image(2), 1.0, stamp))
    assert not workspace.offer(StageResult(1, "final", image(1), 1.0, stamp))
    assert workspace.shown.seq == 2 and workspace.finished is None


def test_the_origin_lives_in_one_place_and_is_announced(workspace):
    seen = []
    workspace.events.origin.connect(lambda: seen.append(workspace.origin))
    assert workspace.origin.name == "Sample face" and workspace.origin.stem == "face"
    workspace.set_origin(file=Path("/photos/me.jpg"))
    workspace.saved_as(Path("/work/me.maskgan"))
    assert seen[-1] == Origin(Path("/photos/me.jpg"), Path("/work/me.maskgan"))
    assert workspace.origin.name == "me.maskgan" and workspace.origin.stem == "me"


def test_model_information_is_typed(workspace):
    seen = []
    workspace.events.model.connect(lambda info: seen.append(info))
    workspace.set_model(ModelInfo("tiny", "cpu", "fp32", 256, random=True))
    assert workspace.model.resolution == 256 and seen[-1].describe() == "tiny · 256 px · cpu · fp32 · untrained"


def test_erasing_back_to_what_was_saved_is_not_an_unsaved_change(workspace):
    document = workspace.document
    stroke = Stroke(document)
    stroke.paint((10, 10), (20, 20), 5, ID["hat"])
    assert document.modified
    document.replace_edited_mask(document.source_mask, "erase")
    assert not document.modified
    document.update_settings(feather=2)
    document.update_settings(feather=8)
    assert not document.modified
    document.mark_unsaved()
    assert document.modified, "recovered work stays unsaved"
