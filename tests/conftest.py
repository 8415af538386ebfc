import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "2")

SHARED = Path(__file__).resolve().parents[2] / "shared"
CONFORMANCE = SHARED / "conformance"
REAL_FACES = SHARED / "real_faces"


@pytest.fixture
def conformance_dir():
    if not CONFORMANCE.is_dir():
        pytest.skip(f"conformance data not found at {CONFORMANCE} (../shared beside the repository)")
    return CONFORMANCE


@pytest.fixture
def real_faces_dir():
    if not REAL_FACES.is_dir():
        pytest.skip(f"real faces not found at {REAL_FACES} (../shared beside the repository)")
    return REAL_FACES


@pytest.fixture
def one_torch_thread():
    """Training tests run torch on one thread (steadier on the shared 2-core CI), then restore it."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory, monkeypatch):
    """Converted networks go to a cache folder shared by this test run, never the user's."""
    folder = tmp_path_factory.getbasetemp() / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "maskgan-studio"
