"""The held-out faces eval measures on, and the scripted edits made to each.

Training draws each procedural face from a seed hashed down to 31 bits (``training.data``
masks its derived seeds with 0x7FFFFFFF), so no training run can reach a seed of 2**31 or
more. Eval draws face ``i`` of ``--seed S`` from synth seed ``HELD_OUT_SEED_BASE + S + i``
with the base at 2**31: no face here was seen in training. For each face the runner gets
``EDITS_PER_FACE`` scripted edits and one style copy; the truth is always
``render(edited mask, source style)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from maskgan_studio.synth import render, sample
from maskgan_studio.synth.edits import EDIT_KINDS, NotApplicable, apply_edit

HELD_OUT_SEED_BASE = 2**31
EDITS_PER_FACE = 3
STYLE_COPY = "style_copy"


@dataclass(frozen=True)
class Case:
    """One edit to measure: the source face, the mask asked for, and the face it should give."""

    kind: str  # a kind from synth.edits.EDIT_KINDS, or STYLE_COPY
    source_image: np.ndarray
    source_mask: np.ndarray
    edited_mask: np.ndarray
    truth: np.ndarray


def face_seed(seed: int, index: int) -> int:
    return HELD_OUT_SEED_BASE + seed + index


class EditPlanner:
    """Chooses each face's edits: the kinds used least so far first, ties broken by the face's seed.

    Over the set this covers every kind as evenly as the faces allow (a kind that does not
    apply to a face, or leaves its mask unchanged, is skipped for that face), and the choice is
    the same on every run with the same count and seed.
    """

    def __init__(self, per_face: int = EDITS_PER_FACE):
        self.per_face = per_face
        self.used: Counter[str] = Counter()

    def edits(self, mask: np.ndarray, rng: np.random.Generator, other_mask: np.ndarray) -> list[tuple[str, np.ndarray]]:
        tiebreak = rng.permutation(len(EDIT_KINDS))
        order = sorted(range(len(EDIT_KINDS)), key=lambda k: (self.used[EDIT_KINDS[k]], tiebreak[k]))
        chosen = []
        for k in order:
            kind = EDIT_KINDS[k]
            try:
                edited = apply_edit(kind, mask, rng, other_mask=other_mask)
            except NotApplicable:
                continue
            if np.array_equal(edited, mask):
                continue
            chosen.append((kind, edited))
            self.used[kind] += 1
            if len(chosen) == self.per_face:
                break
        return chosen


def held_out_faces(count: int, seed: int, size: int) -> Iterator[list[Case]]:
    """Yield, per face, its scripted edits and its style copy (the next held-out face's mask)."""
    planner = EditPlanner()
    current = sample(face_seed(seed, 0), size)
    for index in range(count):
        following = sample(face_seed(seed, index + 1), size)
        image, mask, style = current
        rng = np.random.default_rng([face_seed(seed, index), 1])
        cases = [
            Case(kind, image, mask, edited, render(edited, style))
            for kind, edited in planner.edits(mask, rng, other_mask=following[1])
        ]
        cases.append(Case(STYLE_COPY, image, mask, following[1], render(following[1], style)))
        yield cases
        current = following
