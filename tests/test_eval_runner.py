import math

import cv2
import numpy as np
import pytest

from maskgan_studio.evaluation import metrics
from maskgan_studio.evaluation.cases import HELD_OUT_SEED_BASE, STYLE_COPY, held_out_faces
from maskgan_studio.evaluation.report import targets
from maskgan_studio.evaluation.runner import (
    COPY_SOURCE,
    MODEL,
    NO_PASTE_BACK,
    EvalResult,
    Figures,
    MethodResult,
    copy_source,
    dilation_px,
    evaluate_cases,
)
from maskgan_studio.synth import sample
from maskgan_studio.synth.edits import EDIT_KINDS

SIZE = 64


@pytest.fixture(scope="module")
def faces():
    return list(held_out_faces(3, seed=0, size=SIZE))


def _oracle(faces):
    truths = {case.edited_mask.tobytes(): case.truth for cases in faces for case in cases}
    return lambda image, mask, edited: truths[edited.tobytes()]


def test_faces_are_held_out_and_reproducible(faces):
    image, mask, _ = sample(HELD_OUT_SEED_BASE + 1, SIZE)
    assert np.array_equal(faces[1][0].source_image, image) and np.array_equal(faces[1][0].source_mask, mask)
    again = list(held_out_faces(3, seed=0, size=SIZE))
    for first, second in zip(faces, again):
        assert [c.kind for c in first] == [c.kind for c in second]
        assert all(np.array_equal(a.edited_mask, b.edited_mask) for a, b in zip(first, second))


def test_each_face_has_changing_edits_and_a_style_copy_of_the_next_face(faces):
    for index, cases in enumerate(faces):
        assert [c.kind for c in cases][-1] == STYLE_COPY
        edits = cases[:-1]
        assert len(edits) >= 2 and len({c.kind for c in edits}) == len(edits)
        assert all(c.kind in EDIT_KINDS and np.any(c.edited_mask != c.source_mask) for c in edits)
        next_mask = faces[index + 1][0].source_mask if index + 1 < len(faces) else None
        if next_mask is not None:
            assert np.array_equal(cases[-1].edited_mask, next_mask)


def test_kinds_are_spread_over_the_set():
    used = [c.kind for cases in held_out_faces(len(EDIT_KINDS), seed=0, size=SIZE) for c in cases[:-1]]
    assert set(used) == set(EDIT_KINDS)


def test_oracle_scores_the_caps(faces):
    oracle = _oracle(faces)
    result = evaluate_cases(faces, {MODEL: oracle, NO_PASTE_BACK: oracle, COPY_SOURCE: copy_source})
    for figures in (result[MODEL].overall, result[MODEL].style_copy, *result[MODEL].per_kind.values()):
        assert figures.psnr == figures.psnr_changed == metrics.PSNR_CAP_DB
        assert figures.ssim == pytest.approx(1.0) and figures.ssim_changed == pytest.approx(1.0)
        assert figures.delta_e_median == pytest.approx(0.0, abs=1e-9)
    assert result[COPY_SOURCE].overall.psnr_changed < 40
    assert result[MODEL].overall.n == sum(len(cases) - 1 for cases in faces)
    assert result[MODEL].style_copy.n == len(faces)


def test_copy_source_figures_are_the_metrics_of_the_source_image(faces):
    oracle = _oracle(faces)
    result = evaluate_cases(faces, {MODEL: oracle, NO_PASTE_BACK: oracle, COPY_SOURCE: copy_source})[COPY_SOURCE]
    edits = [c for cases in faces for c in cases if c.kind != STYLE_COPY]
    regions = [metrics.changed_region(c.source_mask, c.edited_mask, dilation_px(SIZE)) for c in edits]
    expected_psnr = np.mean([metrics.psnr(c.source_image, c.truth, r) for c, r in zip(edits, regions)])
    expected_ssim = np.mean([metrics.ssim(c.source_image, c.truth) for c in edits])
    expected_ssim_changed = np.mean([metrics.ssim(c.source_image, c.truth, r) for c, r in zip(edits, regions)])
    errors = [e for c, r in zip(edits, regions)
              for e in metrics.class_delta_e(c.source_image, c.truth, c.edited_mask, region=r).values()]
    assert result.overall.psnr_changed == pytest.approx(expected_psnr)
    assert result.overall.ssim == pytest.approx(expected_ssim)
    assert result.overall.ssim_changed == pytest.approx(expected_ssim_changed)
    assert result.overall.delta_e_median == pytest.approx(np.median(errors))
    copies = [cases[-1] for cases in faces]
    assert result.style_copy.ssim == pytest.approx(np.mean([metrics.ssim(c.source_image, c.truth) for c in copies]))


def _result(model_psnr_changed, ssim, style_delta_e):
    def figures(psnr_changed=20.0, ssim=0.9, delta_e=3.0):
        return Figures(n=1, psnr=30.0, psnr_changed=psnr_changed, ssim=ssim, ssim_changed=ssim, delta_e_median=delta_e)

    model = MethodResult(overall=figures(model_psnr_changed, ssim), style_copy=figures(delta_e=style_delta_e),
                         per_kind={})
    copy = MethodResult(overall=figures(20.0), style_copy=figures(), per_kind={})
    return EvalResult(count=1, seed=0, resolution=SIZE, methods={MODEL: model, NO_PASTE_BACK: model, COPY_SOURCE: copy})


def test_targets_pass_and_fail_at_their_thresholds():
    assert [t.passed for t in targets(_result(24.0, 0.85, 8.0))] == [True, True, True]
    assert [t.passed for t in targets(_result(23.9, 0.849, 8.1))] == [False, False, False]
    assert not targets(_result(math.nan, 0.9, 1.0))[0].passed
    assert targets(_result(24.0, 0.9, 9.0))[2].line().startswith("FAIL")


def test_region_style_truth_differs_from_the_face_only_in_hair_and_an_oracle_scores_the_caps():
    from maskgan_studio.evaluation.region_style import RESTYLED, evaluate_region_style, region_style_cases

    cases = list(region_style_cases(6, 0, 96))
    assert cases
    for case in cases:
        hair = np.isin(case.mask, RESTYLED)
        assert np.abs(case.truth[hair].astype(int) - case.image[hair]).mean() > 1
        far = ~cv2.dilate(hair.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
        assert np.array_equal(case.truth[far], case.image[far])
    figures = evaluate_region_style({"oracle": lambda case: case.truth, "copy": lambda case: case.image}, cases)
    assert figures["oracle"].restyled_delta_e_median == 0 and figures["oracle"].kept_psnr == 100
    assert figures["copy"].restyled_delta_e_median > 1 and figures["copy"].n == len(cases)
