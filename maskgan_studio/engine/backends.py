"""Which backend runs the networks (``--backend``) and in what precision when the user did not say.

``auto`` takes OpenVINO on the CPU when it is installed (the ``fast`` extra), torch otherwise and
on GPUs. Precision ``auto``: bf16 for OpenVINO where the CPU has bf16 instructions (AMX or
AVX-512-BF16), fp32 elsewhere and for torch, whose fp32 reproduces the published code's pixels.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

import torch
from torch import nn

from maskgan_studio.engine.device import PRECISIONS, cpu_has_native_bf16, pick_device
from maskgan_studio.engine.fast_generate import FastGenerator
from maskgan_studio.errors import StudioError
from maskgan_studio.nets import DMNGenerator

BACKENDS = ("auto", "torch", "openvino")
INSTALL_HINT = "pip install \"maskgan-studio[fast]\""


def openvino_installed() -> bool:
    """OpenVINO importable with its CPU plugin (a frozen build may carry the one without the other)."""
    try:
        import openvino
    except ImportError:
        return False
    return _has_cpu_plugin(openvino.__version__)


@functools.cache
def _has_cpu_plugin(version: str) -> bool:
    from maskgan_studio.engine.openvino_backend import core

    try:
        return "CPU" in core().available_devices
    except RuntimeError:
        return False


def pick_device_and_backend(device: str | torch.device, backend: str) -> tuple[torch.device, str]:
    """``--device`` and ``--backend`` together: OpenVINO asked for with device "auto" means the CPU."""
    device = pick_device("cpu" if backend == "openvino" and device == "auto" else device)
    return device, pick_backend(backend, device)


def pick_backend(name: str, device: torch.device) -> str:
    """"torch" or "openvino" for ``--backend name`` on ``device``, or StudioError saying why not."""
    if name not in BACKENDS:
        raise StudioError(f"--backend {name}: unknown backend (choose from {', '.join(BACKENDS)})")
    if name == "auto":
        return "openvino" if device.type == "cpu" and openvino_installed() else "torch"
    if name == "openvino":
        if device.type != "cpu":
            raise StudioError(f"--backend openvino: runs on the CPU only, not {device}; use --device cpu "
                              "or --backend torch")
        if not openvino_installed():
            raise StudioError(f"--backend openvino: OpenVINO (with its CPU plugin) is not installed ({INSTALL_HINT}); "
                              "or use --backend torch")
    return name


def pick_precision(precision: str, backend: str) -> str:
    """``auto`` resolved for ``backend`` (on the CPU); any other precision is kept as asked."""
    if precision != "auto":
        return precision
    return "bf16" if backend == "openvino" and cpu_has_native_bf16() else "fp32"


CONVERT_MODES = ("now", "background")


def compile_mode(compile: bool | str, device: torch.device) -> str | bool:
    """A session's ``compile`` (True, False or "auto") -> ``FastGenerator``'s."""
    if compile == "auto":
        # CUDA graphs belong to the thread that records them: compile where the edits run
        return "now" if device.type == "cuda" else "background"
    if compile not in (True, False):
        raise ValueError(f"compile must be True, False or 'auto', got {compile!r}")
    return "now" if compile else False


def generator_runner(backend: str, dmn: DMNGenerator, device: torch.device, dtype: torch.dtype,
                     compile: str | bool, convert: str):
    """What draws for a session: ``runner(one-hot label, style) -> float32 image``, with ``.backend``
    and ``.wait()``. torch keeps a converted copy of the generator for bf16/fp16 and compiles as
    ``compile`` (True, False or "auto": ``compile_mode``) says (``fast_generate``); OpenVINO
    converts ``now`` (the first edit of each size waits) or in the ``background`` (edits draw with
    torch meanwhile)."""
    if convert not in CONVERT_MODES:
        raise ValueError(f"convert must be one of {CONVERT_MODES}, got {convert!r}")
    if backend == "openvino":
        from maskgan_studio.engine.openvino_backend import openvino_generator

        precision = next(name for name, value in PRECISIONS.items() if value == dtype)
        return openvino_generator(dmn, precision, background=convert == "background")
    drawer = dmn if dtype == torch.float32 else copy.deepcopy(dmn).to(dtype)
    return FastGenerator(drawer, device, dtype, compile_mode(compile, device))


class NetRunners:
    """What runs the networks beside the generator (the style encoder, the MaskVAE, the blender):
    ``wrap(module, name)`` -> the module itself for torch, or its OpenVINO conversion in fp32
    (once per face for the encoder; the MaskVAE's scores decide mask pixels), made now or in the
    background as ``convert`` says; ``wait()`` for the background ones."""

    def __init__(self, backend: str, convert: str):
        self.backend, self.convert = backend, convert
        self._made: list = []

    def wrap(self, module: nn.Module, name: str) -> Callable[..., torch.Tensor]:
        if self.backend != "openvino":
            return module
        from maskgan_studio.engine.openvino_backend import OpenVinoRunner

        runner = OpenVinoRunner(module, name, "fp32", background=self.convert == "background")
        self._made.append(runner)
        return runner

    def style_encoder(self, dmn: DMNGenerator) -> Callable[..., torch.Tensor]:
        """``encoder(one-hot label, image) -> style``."""
        return self.wrap(_EncodeStyle(dmn).eval(), "style encoder")

    def wait(self) -> None:
        for runner in self._made:
            runner.wait()


class _EncodeStyle(nn.Module):
    """``dmn.encode_style`` as a module's forward, the shape a conversion expects."""

    def __init__(self, dmn: DMNGenerator):
        super().__init__()
        self.dmn = dmn

    def forward(self, label: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
        return self.dmn.encode_style(label, image)
