"""EditSession: style cached, source size kept, paste-back exact, progressive stages, strength."""

import threading

import cv2
import numpy as np
import pytest
import torch

from engine_support import TINY_RESOLUTION, face_with_edit, tiny_model
from maskgan_studio.checkpoints import save_bundle
from maskgan_studio.engine import EditSession
from maskgan_studio.engine.device import cpu_has_native_bf16
from maskgan_studio.engine.paste_back import grow_pixels
from maskgan_studio.errors import StudioError


def _session(strength=False, **options):
    return EditSession(tiny_model(strength), device="cpu", compile=False, **options)


def _far_from(changed: np.ndarray, reach: int) -> np.ndarray:
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    return cv2.dilate(changed.astype(np.uint8), kernel) == 0


def test_paste_back_leaves_unchanged_pixels_bit_identical():
    image, mask, edited = face_with_edit(96)
    session = _session()
    session.set_style_source(image, mask)
    result = session.edit(edited, feather=4)
    assert result.shape == image.shape and result.dtype == np.uint8
    untouched = _far_from(edited != mask, grow_pixels(96, 96) + 4 + 1)
    assert np.array_equal(result[untouched], image[untouched])
    assert not np.array_equal(result[edited != mask], image[edited != mask])


def test_without_paste_back_the_raw_drawing_comes_back_everywhere():
    image, mask, edited = face_with_edit(96)
    session = _session()
    session.set_style_source(image, mask)
    raw = session.edit(edited, paste_back=False)
    untouched = _far_from(edited != mask, 16)
    assert not np.array_equal(raw[untouched], image[untouched])


def test_results_come_back_at_the_source_size_for_any_shape():
    image, mask, edited = face_with_edit(112)
    image, mask, edited = image[:, 16:96], mask[:, 16:96], edited[:, 16:96]  # 80 wide, 112 high
    session = _session()
    session.set_style_source(np.ascontiguousarray(image), np.ascontiguousarray(mask))
    for paste in (True, False):
        assert session.edit(np.ascontiguousarray(edited), paste_back=paste).shape == (112, 80, 3)


def test_a_second_edit_does_not_encode_the_style_again(monkeypatch):
    image, mask, edited = face_with_edit(64)
    session = _session()
    calls = []
    original = session._model.dmn.encode_style
    monkeypatch.setattr(session._model.dmn, "encode_style", lambda *a: calls.append(1) or original(*a))
    session.set_style_source(image, mask)
    first = session.edit(edited)
    second = session.edit(edited)
    session.edit(mask)
    assert len(calls) == 1 and session.style_encodings == 1
    assert np.array_equal(first, second)
    session.set_style_source(image, mask)
    assert len(calls) == 2 and session.style_encodings == 2


def test_progressive_preview_then_final_equal_to_a_direct_edit():
    image, mask, edited = face_with_edit(96)
    session = _session()
    session.set_style_source(image, mask)
    results = list(session.edit_progressive(edited, feather=3))
    assert [r.stage for r in results] == ["preview", "final"]
    assert session.preview_resolution == TINY_RESOLUTION // 2
    assert results[0].image.shape == image.shape
    assert results[0].elapsed_ms <= results[1].elapsed_ms
    assert np.array_equal(results[1].image, session.edit(edited, feather=3))
    assert not np.array_equal(results[0].image, results[1].image)


def test_stopping_after_the_preview_computes_nothing_more(monkeypatch):
    image, mask, edited = face_with_edit(64)
    session = _session()
    session.set_style_source(image, mask)
    drawn = []
    original = session._model.dmn.generate
    monkeypatch.setattr(session._model.dmn, "generate", lambda *a: drawn.append(1) or original(*a))
    stages = session.edit_progressive(edited)
    assert next(stages).stage == "preview"
    stages.close()
    assert len(drawn) == 1


def test_an_unchanged_mask_gives_the_source_without_running_the_network():
    image, mask, _ = face_with_edit(64)
    session = _session()
    session.set_style_source(image, mask)
    assert np.array_equal(session.edit(mask), image)


def test_editing_before_a_style_source_is_a_clear_error():
    with pytest.raises(RuntimeError, match="set_style_source"):
        _session().edit(np.zeros((64, 64), np.uint8))


def test_masks_must_match_the_source_and_hold_valid_ids():
    image, mask, edited = face_with_edit(64)
    session = _session()
    with pytest.raises(ValueError, match="the source is"):
        session.set_style_source(image, mask[:32])
    session.set_style_source(image, mask)
    with pytest.raises(ValueError, match="the source is"):
        session.edit(edited[:, :32])
    with pytest.raises(ValueError, match="id 19"):
        session.edit(np.full_like(mask, 19))


def test_strength_is_refused_for_a_model_without_vae_and_blender():
    image, mask, edited = face_with_edit(64)
    session = _session()
    assert not session.supports_strength
    session.set_style_source(image, mask)
    with pytest.raises(StudioError, match="no strength control"):
        session.edit(edited, strength=0.5)


def test_strength_anchors_zero_to_the_source_and_one_to_the_edit():
    image, mask, edited = face_with_edit(64)
    plain, strong = _session(), _session(strength=True)
    assert strong.supports_strength
    for session in (plain, strong):
        session.set_style_source(image, mask)
    assert np.array_equal(strong.edit(edited, strength=1.0), plain.edit(edited))
    assert np.array_equal(strong.edit(edited, strength=0.0), image)
    half = strong.edit(edited, strength=0.5, paste_back=False)
    assert half.shape == image.shape and not np.array_equal(half, strong.edit(edited, paste_back=False))
    with pytest.raises(StudioError, match="from 0 to 1.5"):
        strong.edit(edited, strength=2.0)


def test_vae_masks_hit_the_real_masks_at_the_anchors():
    from maskgan_studio.engine.strength import PAIR_OFFSET

    image, mask, edited = face_with_edit(64)
    session = _session(strength=True)
    session.set_style_source(image, mask)
    path = session._strength
    with torch.inference_mode():
        low, _ = path.masks(edited, PAIR_OFFSET)  # latent position 0: the source mask
        _, high = path.masks(edited, 1 - PAIR_OFFSET)  # latent position 1: the edited mask
    assert np.array_equal(low, mask) and np.array_equal(high, edited)


def test_a_bundle_file_loads_into_a_session(tmp_path):
    path = save_bundle(tmp_path / "tiny.safetensors", tiny_model())
    session = EditSession(path, device="cpu", compile=False)
    assert (session.model_name, session.resolution, session.is_random) == ("tiny", TINY_RESOLUTION, False)
    assert session.device == torch.device("cpu") and session.precision == "fp32"


def test_no_model_and_no_bundle_gives_random_weights(monkeypatch):
    monkeypatch.setattr("maskgan_studio.engine.session.bundled_model_path", lambda: None)
    assert EditSession(None, device="cpu", compile=False).is_random


def test_a_failing_compiler_falls_back_to_eager(monkeypatch):
    image, mask, edited = face_with_edit(64)
    expected = _session()
    expected.set_style_source(image, mask)

    def broken_compile(*args, **kwargs):
        raise RuntimeError("no compiler here")

    monkeypatch.setattr("maskgan_studio.engine.fast_generate.can_compile", lambda device: True)
    monkeypatch.setattr(torch, "compile", broken_compile)
    for compile in (True, "auto"):  # at the first edit, or on the helper thread
        session = EditSession(tiny_model(), device="cpu", compile=compile)
        assert session.backend == "compiled"
        session.set_style_source(image, mask)
        assert np.array_equal(session.edit(edited), expected.edit(edited))
        session.wait_for_compiler()
        assert session.backend == "eager"


def test_edits_from_two_threads_match_sequential_ones():
    image, mask, edited = face_with_edit(64)
    session = _session()
    session.set_style_source(image, mask)
    expected = session.edit(edited, paste_back=False)
    results = []
    threads = [threading.Thread(target=lambda: results.append(session.edit(edited, paste_back=False)))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for _ in range(50):
        assert session.resolution == TINY_RESOLUTION  # properties answer while inference runs
    for thread in threads:
        thread.join()
    assert len(results) == 3 and all(np.array_equal(r, expected) for r in results)


@pytest.mark.skipif(not cpu_has_native_bf16(), reason="this CPU has no native bf16")
def test_bf16_on_the_cpu_stays_close_to_fp32():
    image, mask, edited = face_with_edit(64)
    fp32, bf16 = _session(), _session(precision="bf16")
    for session in (fp32, bf16):
        session.set_style_source(image, mask)
    a = fp32.edit(edited, paste_back=False).astype(float)
    b = bf16.edit(edited, paste_back=False).astype(float)
    assert np.abs(a - b).mean() < 3.0


@pytest.mark.slow
def test_background_compile_serves_eager_first_then_the_compiled_graph():
    image, mask, edited = face_with_edit(64)
    session = EditSession(tiny_model(), device="cpu", compile="auto")
    session.set_style_source(image, mask)
    eager = session.edit(edited, paste_back=False)  # answers at once, compiling starts aside
    session.wait_for_compiler()
    assert session.backend == "compiled" and session._generator.ready((64, 64))
    compiled = session.edit(edited, paste_back=False)
    assert np.abs(compiled.astype(int) - eager.astype(int)).max() <= 1
