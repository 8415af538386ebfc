"""The OpenVINO backend draws what torch draws (final, preview, strength), converts once per model
and size (the disk cache), and rebuilds a damaged cache entry.

Conversions take seconds even for the tiny model, so the comparisons share the test run's cache
(``conftest.user_cache``); the cache tests start from an empty folder."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import openvino
import pytest

from maskgan_studio.core.arrays import resize_mask
from maskgan_studio.engine import EditSession
from maskgan_studio.engine.backend_cache import ConversionCache
from maskgan_studio.engine.device import cpu_has_native_bf16
from maskgan_studio.engine.openvino_backend import ConvertedNet
from engine_support import face_with_edit, tiny_model

FP32_LEVELS = 0.5
BF16_LEVELS = 1.5


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """The user's cache folder, here an empty one: -> where converted networks go."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "maskgan-studio" / "openvino"


@pytest.fixture
def conversions(monkeypatch):
    """How many times a torch network was traced for OpenVINO (cache misses)."""
    calls = []
    convert = openvino.convert_model

    def counting(*args, **kwargs):
        calls.append(1)
        return convert(*args, **kwargs)

    monkeypatch.setattr(openvino, "convert_model", counting)
    return calls


def _stages(session, strength=1.0):
    image, mask, edited = face_with_edit()
    session.set_style_source(image, mask)
    return {r.stage: r.image for r in session.edit_progressive(edited, strength=strength)}


def _levels(a, b):
    return float(np.abs(a.astype(float) - b.astype(float)).mean())


@pytest.fixture
def ran_through_openvino(monkeypatch):
    """The names of the networks OpenVINO ran (torch stands in for any that could not convert)."""
    names = set()
    call = ConvertedNet.__call__

    def noting(net, *inputs):
        names.add(net.name)
        return call(net, *inputs)

    monkeypatch.setattr(ConvertedNet, "__call__", noting)
    return names


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_openvino_draws_what_torch_draws_final_and_preview(precision, ran_through_openvino):
    if precision == "bf16" and not cpu_has_native_bf16():
        pytest.skip("this CPU has no bf16 instructions")
    model = tiny_model()
    expected = _stages(EditSession(model, device="cpu", precision="fp32", compile=False))
    session = EditSession(model, device="cpu", precision=precision, backend="openvino")
    assert (session.backend, session.precision) == ("openvino", precision)
    drawn = _stages(session)
    assert ran_through_openvino == {"style encoder", "generator"}
    assert set(drawn) == set(expected) == {"preview", "final"}
    for stage in drawn:
        assert _levels(drawn[stage], expected[stage]) <= (FP32_LEVELS if precision == "fp32" else BF16_LEVELS)


def test_openvino_with_strength_draws_what_torch_draws_through_the_maskvae_and_blender(ran_through_openvino):
    model = tiny_model(strength=True)
    expected = _stages(EditSession(model, device="cpu", precision="fp32", compile=False), strength=0.5)
    drawn = _stages(EditSession(model, device="cpu", precision="fp32", backend="openvino"), strength=0.5)
    assert ran_through_openvino == {"style encoder", "generator", "MaskVAE encoder", "MaskVAE decoder", "blender"}
    assert _levels(drawn["final"], expected["final"]) <= FP32_LEVELS


def test_conversion_is_cached_for_the_next_session_and_rebuilt_when_damaged(cache_dir, conversions):
    model = tiny_model()
    first = _stages(EditSession(model, device="cpu", precision="fp32", backend="openvino"))
    entries = list(cache_dir.glob("*.blob"))
    assert len(conversions) == 3  # the style encoder; the generator at each size (recast for it)
    assert len(entries) == 3
    second = _stages(EditSession(model, device="cpu", precision="fp32", backend="openvino"))
    assert len(conversions) == 3
    assert np.array_equal(first["final"], second["final"])
    damaged = max(entries, key=lambda entry: entry.stat().st_size)  # the generator at full size
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data[: len(data) - 7]))
    again = _stages(EditSession(model, device="cpu", precision="fp32", backend="openvino"))
    assert len(conversions) == 4  # the generator again; the style encoder came from the cache
    assert np.array_equal(first["final"], again["final"])
    assert ConversionCache().load(damaged.stem) is not None


def test_background_conversion_draws_with_torch_until_ready(cache_dir, conversions):
    model = tiny_model()
    image, mask, edited = face_with_edit()
    eager = EditSession(model, device="cpu", precision="fp32", compile=False)
    eager.set_style_source(image, mask)
    session = EditSession(model, device="cpu", precision="fp32", backend="openvino", convert="background")
    session.set_style_source(image, mask)
    assert np.array_equal(session.edit(edited), eager.edit(edited))  # torch, while converting
    session.wait_for_compiler()
    assert len(conversions) == 2 and len(list(cache_dir.glob("*.blob"))) == 2
    assert _levels(session.edit(edited), eager.edit(edited)) <= FP32_LEVELS


@pytest.mark.slow  # converts the bundled model twice (about 20 s)
@pytest.mark.parametrize(("precision", "limit"), [("fp32", FP32_LEVELS), ("bf16", BF16_LEVELS)])
def test_the_bundled_model_on_the_sample_faces_is_within_tolerance_of_torch(precision, limit):
    from maskgan_studio.checkpoints import bundled_model_path
    from maskgan_studio.io import read_image, read_mask
    from maskgan_studio.resources import assets_dir

    if bundled_model_path() is None or (precision == "bf16" and not cpu_has_native_bf16()):
        pytest.skip("no bundled model, or no bf16 instructions")
    samples = assets_dir() / "samples"
    faces = [(read_image(samples / f"{name}.png"), read_mask(samples / f"{name}_mask.png"))
             for name in ("face", "reference")]
    reference = EditSession(None, device="cpu", precision="fp32", compile=False)
    session = EditSession(None, device="cpu", precision=precision, backend="openvino")
    for (image, mask), (_, other_mask) in zip(faces, faces[::-1]):
        drawn = []
        for each in (reference, session):
            each.set_style_source(image, mask)
            drawn.append(each.generate_raw(resize_mask(other_mask, each.resolution, each.resolution)))
        levels = float((drawn[1] - drawn[0]).abs().mean() * 127.5)
        print(f"{precision}: {levels:.3f} levels")
        assert levels <= limit


def test_the_texture_stage_keeps_off_openvinos_tbb():
    """numba would take OpenVINO's TBB for its threads; that crashed a later fork (training)."""
    script = textwrap.dedent("""
        import numba, numpy as np, openvino
        from maskgan_studio.texture import patchmatch

        @numba.njit(parallel=True)
        def total(a):
            s = 0.0
            for i in numba.prange(a.size):
                s += a[i]
            return s

        total(np.ones(8))
        print(numba.threading_layer())
    """)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] in ("omp", "workqueue")


def test_ctrl_c_after_a_session_is_released_interrupts_without_a_crash():
    """Releasing the last OpenVINO runtime unloaded its CPU plugin, and a later SIGINT crashed."""
    script = textwrap.dedent("""
        import gc, os, signal, sys, time
        sys.path.insert(0, "tests")
        from engine_support import face_with_edit, tiny_model
        from maskgan_studio.engine import EditSession

        image, mask, edited = face_with_edit()
        session = EditSession(tiny_model(), device="cpu", precision="fp32", backend="openvino")
        session.set_style_source(image, mask)
        session.edit(edited)
        del session
        gc.collect()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            print("interrupted")
    """)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=root,
                          env=dict(os.environ, PYTHONPATH=str(root)))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "interrupted"


@pytest.mark.parametrize(("preset", "expected"), [(None, "10000"), ("250", "250")])
def test_importing_the_package_shortens_torchs_openmp_spin_unless_the_user_set_it(preset, expected):
    """torch's OpenMP threads otherwise spin for milliseconds after each operation, on the cores
    that OpenVINO's next network call needs."""
    env = {k: v for k, v in os.environ.items() if k != "GOMP_SPINCOUNT"}
    if preset is not None:
        env["GOMP_SPINCOUNT"] = preset
    code = "import maskgan_studio, os; print(os.environ['GOMP_SPINCOUNT'])"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == expected
