"""The per-edit work: the generator backbone (the style is cached), eager or compiled.

Measured on the 2-core CPU here (benchmarks/bench_engine.py): torch.compile (inductor, with
weight freezing, which prepacks the convolution weights for oneDNN and fuses the norms and
activations) runs the full-size generator at 512 in about 0.96 s against 1.5 to 1.8 s eager.
Tried and dropped, each slower than plain eager there: channels-last eager, torch.jit
trace + freeze + optimize_for_inference. Compiling costs 10 to 30 s once per working resolution,
so it pays off in a long session (the editor, the benchmark), not in a one-shot ``edit``.
Where compiling is unavailable or fails (no C++ compiler, no Triton), the eager path runs instead.
"""

from __future__ import annotations

import logging
import shutil
import sys
import threading

import torch
from torch import nn

from maskgan_studio.nets import DMNGenerator

log = logging.getLogger(__name__)


class _Generate(nn.Module):
    """``dmn.generate`` as a module's forward, the shape torch.compile and freezing expect."""

    def __init__(self, dmn: DMNGenerator):
        super().__init__()
        self.dmn = dmn

    def forward(self, label: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        return self.dmn.generate(label, style)


def can_compile(device: torch.device) -> bool:
    """Whether inductor has what it needs here: a C++ compiler on the CPU, Triton on a GPU, and
    Python sources (a frozen standalone build has none for inductor to trace and build with)."""
    if getattr(sys, "frozen", False):
        return False
    if device.type == "cpu":
        return shutil.which("g++") is not None or shutil.which("clang++") is not None
    if device.type == "cuda":
        try:
            import triton  # noqa: F401
        except ImportError:
            return False
        return True
    return False


class FastGenerator:
    """Runs ``generate(one-hot label, style)`` in the session's dtype, compiled once per input size.

    ``compile``: False (eager), "now" (compile at the first call of each size, which waits for it)
    or "background" (the first call of each size starts compiling on a helper thread and runs
    eager meanwhile, so an editor never stalls for the compiler). Inputs and outputs are float32.
    Calls are serialised by the session; compiling has its own lock.
    """

    def __init__(self, dmn: DMNGenerator, device: torch.device, dtype: torch.dtype, compile: str | bool):
        if compile not in (False, "now", "background"):
            raise ValueError(f"compile must be False, 'now' or 'background', got {compile!r}")
        self.device, self.dtype = device, dtype
        self.module = _Generate(dmn).eval()
        self.compiled = bool(compile) and can_compile(device)
        self._background = compile == "background"
        self._compiled_module: nn.Module | None = None
        self._ready: set[tuple[int, ...]] = set()
        self._helpers: dict[tuple[int, ...], threading.Thread] = {}
        self._compile_lock = threading.Lock()
        if device.type == "cuda":
            torch.backends.cudnn.benchmark = True

    @property
    def backend(self) -> str:
        return "compiled" if self.compiled else "eager"

    def ready(self, size: tuple[int, int]) -> bool:
        """Whether the compiled graph for a (height, width) input is built."""
        return size in self._ready

    def wait(self) -> None:
        """Until every compile started in the background has finished (or failed)."""
        for helper in list(self._helpers.values()):
            helper.join()

    def __call__(self, label: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        label = label.to(self.device, self.dtype).contiguous()
        style = style.to(self.device, self.dtype)
        size = tuple(label.shape[-2:])
        if self.compiled and (size in self._ready or not self._background):
            try:
                return self._run_compiled(label, style, size)
            except Exception as error:  # noqa: BLE001  (any compiler failure: fall back, keep working)
                self._give_up(error)
        elif self.compiled and size not in self._helpers:
            helper = threading.Thread(
                target=self._compile_in_background, args=(label.clone(), style.clone(), size), daemon=True
            )
            self._helpers[size] = helper
            helper.start()
        return self.module(label, style).float()

    def _give_up(self, error: Exception) -> None:
        log.warning("compiled generator unavailable (%s: %s); running eager", type(error).__name__, error)
        self.compiled = False

    def _compile_in_background(self, label: torch.Tensor, style: torch.Tensor, size: tuple[int, ...]) -> None:
        with torch.inference_mode():
            try:
                self._run_compiled(label, style, size)
            except Exception as error:  # noqa: BLE001
                self._give_up(error)

    def _run_compiled(self, label: torch.Tensor, style: torch.Tensor, size: tuple[int, ...]) -> torch.Tensor:
        import torch._inductor.config as inductor_config

        if size in self._ready:
            with inductor_config.patch(freezing=True):
                return self._compiled_module(label, style).float().clone()
        with self._compile_lock, inductor_config.patch(freezing=True):  # one compile at a time
            if self._compiled_module is None:
                # CUDA graphs ("reduce-overhead") remove the launch cost of ~40 small kernels per edit
                mode = "reduce-overhead" if self.device.type == "cuda" else None
                self._compiled_module = torch.compile(self.module, dynamic=False, mode=mode)
            # clone: CUDA graphs reuse their output memory on the next call
            output = self._compiled_module(label, style).float().clone()
        self._ready.add(size)
        return output
