"""Which device and number format a session runs in, refused with a clear message when unavailable.

Precision on the CPU, decided by measurement on a 2-core AMX/AVX-512-BF16 CPU (torch 2.13):
- bf16 is allowed only where oneDNN has native bf16 kernels (AVX-512-BF16 or AMX). There, with
  the compiled path, the full-size generator at 512 takes ~0.2 s against ~1.0 s in fp32, within
  about 0.6 of 255 in mean absolute level. Without those instructions bf16 is emulated and slower
  than fp32, so it is refused rather than silently slow.
- fp16 is refused on the CPU: measured 13x slower than fp32 in eager mode; it is a GPU format.
"""

from __future__ import annotations

import torch

from maskgan_studio.errors import StudioError

DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return mps is not None and mps.is_available()


def pick_device(name: str | torch.device = "auto") -> torch.device:
    """``auto`` takes CUDA, then Apple MPS, then the CPU; a named device must be usable here."""
    if isinstance(name, torch.device):
        name = str(name)
    kind = name.split(":")[0]
    if kind not in DEVICES:
        raise StudioError(f"--device {name}: unknown device (choose from {', '.join(DEVICES)})")
    if kind == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if kind == "cuda" and not torch.cuda.is_available():
        raise StudioError(f"--device {name}: CUDA is not available here")
    if kind == "mps" and not _mps_available():
        raise StudioError(f"--device {name}: Apple MPS is not available here")
    return torch.device(name)


def cpu_has_native_bf16() -> bool:
    """True where oneDNN runs bf16 in hardware (AVX-512-BF16 or AMX)."""
    return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())


def pick_dtype(device: torch.device, precision: str) -> torch.dtype:
    """The number format for ``precision`` on ``device``, or StudioError saying why not."""
    if precision not in PRECISIONS:
        raise StudioError(f"--precision {precision}: unknown precision (choose from {', '.join(PRECISIONS)})")
    if precision == "fp32":
        return torch.float32
    if device.type == "cpu":
        if precision == "fp16":
            raise StudioError("--precision fp16: not on the CPU (it is a GPU format); use fp32, or bf16 "
                              "where the CPU has bf16 instructions")
        if not cpu_has_native_bf16():
            raise StudioError("--precision bf16: this CPU has no bf16 instructions (AVX-512-BF16 or AMX), "
                              "where bf16 would be slower than fp32; use fp32")
    if device.type == "cuda" and precision == "bf16" and not torch.cuda.is_bf16_supported():
        raise StudioError("--precision bf16: this GPU does not support bf16; use fp16 or fp32")
    return PRECISIONS[precision]
