"""Device and precision choice: unavailable ones are refused with a message naming them."""

import pytest
import torch

from maskgan_studio.engine.device import cpu_has_native_bf16, pick_device, pick_dtype
from maskgan_studio.errors import StudioError


def test_auto_picks_an_available_device():
    device = pick_device("auto")
    if torch.cuda.is_available():
        assert device.type == "cuda"
    else:
        assert device.type in ("mps", "cpu")


def test_cpu_is_always_there():
    assert pick_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_missing_cuda_is_refused_by_name():
    with pytest.raises(StudioError, match="--device cuda: CUDA is not available here"):
        pick_device("cuda")


def test_unknown_device_is_refused():
    with pytest.raises(StudioError, match="unknown device"):
        pick_device("tpu")


def test_fp16_is_refused_on_the_cpu():
    with pytest.raises(StudioError, match="fp16"):
        pick_dtype(torch.device("cpu"), "fp16")


def test_bf16_on_the_cpu_follows_the_hardware():
    if cpu_has_native_bf16():
        assert pick_dtype(torch.device("cpu"), "bf16") == torch.bfloat16
    else:
        with pytest.raises(StudioError, match="bf16"):
            pick_dtype(torch.device("cpu"), "bf16")


def test_unknown_precision_is_refused():
    with pytest.raises(StudioError, match="unknown precision"):
        pick_dtype(torch.device("cpu"), "int8")
