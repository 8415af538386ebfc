"""Mask edits: valid ids, honest applicability, and renders that change only near the edit."""

import cv2
import numpy as np
import pytest

from maskgan_studio.labels import ID, NUM_CLASSES
from maskgan_studio.synth import edits, random_mask, render, sample


@pytest.fixture(scope="module")
def faces():
    return [random_mask(np.random.default_rng(seed), 256) for seed in range(8)]


def test_every_edit_returns_ids_0_to_18(faces):
    applied = set()
    rng = np.random.default_rng(0)
    worn = []  # faces given each accessory, so that its removal is exercised too
    for item in ("necklace", "hat", "eyeglasses", "earrings"):
        face = next(f for f in faces if f"add_{item}" in edits.applicable_edits(f))
        worn.append(edits.apply_edit(f"add_{item}", face, rng))
    for index, mask in enumerate(faces + worn):
        other = faces[(index + 1) % len(faces)]
        for kind in edits.EDIT_KINDS:
            try:
                edited = edits.apply_edit(kind, mask, np.random.default_rng(index), other)
            except edits.NotApplicable:
                continue
            applied.add(kind)
            assert edited.dtype == np.uint8 and edited.shape == mask.shape
            assert edited.max() < NUM_CLASSES
    assert applied == set(edits.EDIT_KINDS)


def test_applicable_edits_are_exactly_those_that_apply(faces):
    mask, other = faces[0], faces[1]
    listed = set(edits.applicable_edits(mask, other))
    for kind in edits.EDIT_KINDS:
        try:
            edits.apply_edit(kind, mask, np.random.default_rng(9), other)
            assert kind in listed
        except edits.NotApplicable:
            assert kind not in listed


def test_edits_that_cannot_apply_say_so():
    mask = random_mask(np.random.default_rng(0), 256)
    mask[mask == ID["hat"]] = ID["hair"]
    with pytest.raises(edits.NotApplicable):
        edits.apply_edit("remove_hat", mask, np.random.default_rng(0))
    with pytest.raises(edits.NotApplicable):
        edits.apply_edit("transfer_region", mask, np.random.default_rng(0), other_mask=None)
    with pytest.raises(ValueError, match="unknown edit"):
        edits.apply_edit("paint_it_black", mask, np.random.default_rng(0))


def test_adding_then_removing_a_hat():
    mask = random_mask(np.random.default_rng(2), 256)
    mask[mask == ID["hat"]] = ID["hair"]
    with_hat = edits.apply_edit("add_hat", mask, np.random.default_rng(1))
    assert np.count_nonzero(with_hat == ID["hat"]) > 500
    without = edits.apply_edit("remove_hat", with_hat, np.random.default_rng(1))
    assert not (without == ID["hat"]).any()


def test_random_edit_changes_the_mask(faces):
    for seed, mask in enumerate(faces[:4]):
        kind, edited = edits.random_edit(mask, np.random.default_rng(seed), other_mask=faces[-1])
        assert kind in edits.EDIT_KINDS
        assert not np.array_equal(edited, mask)


def _far_from_changes(before, after, reach):
    changed = before != after
    far = cv2.distanceTransform((~changed).view(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE) > reach
    for eye in (ID["l_eye"], ID["r_eye"]):
        if ((before == eye) != (after == eye)).any():  # an edited eye may move its iris
            far &= (before != eye) & (after != eye)
    return far


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_renders_change_only_within_48px_of_an_edit(seed):
    image, mask, style = sample(seed, 512)
    other = sample(seed + 40, 512)[1]
    checked = 0
    for kind in edits.applicable_edits(mask, other):
        edited = edits.apply_edit(kind, mask, np.random.default_rng(seed), other)
        if np.array_equal(edited, mask):
            continue
        far = _far_from_changes(mask, edited, 48)
        moved = np.count_nonzero((render(edited, style) != image).any(axis=2) & far)
        assert moved == 0, f"{kind}: {moved} pixels changed farther than 48 px from the edit"
        checked += 1
    assert checked >= 10
