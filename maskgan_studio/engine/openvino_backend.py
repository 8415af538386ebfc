"""The CPU backend: networks converted for OpenVINO's CPU plugin, cached on disk.

Measured on the 2-core AVX-512-BF16 CPU here (benchmarks/bench_cpu_backends.py, full-size
generator at 512): OpenVINO runs it about 3.2x faster than torch eager in bf16 and 1.8x in fp32,
its convolutions recast where that is faster (``cpu_convolutions``); ONNX Runtime's CPU provider
is slower than OpenVINO in fp32, on the plain network and on the recast one, and has no bf16
convolutions, so OpenVINO is the backend. Converting traces a network (about 20 s for the
full-size generator at one size, a few seconds for a small one); compiling a converted network
for one input shape and precision takes under a second, and its compiled form is what the cache
keeps (``backend_cache``)."""

from __future__ import annotations

import functools
import io
import logging
import queue
import threading
import warnings
from collections.abc import Callable

import torch
from torch import nn

from maskgan_studio.engine import cpu_convolutions
from maskgan_studio.engine.backend_cache import ConversionCache, weights_digest
from maskgan_studio.engine.fast_generate import _Generate
from maskgan_studio.nets import DMNGenerator

log = logging.getLogger(__name__)

_HINTS = {"fp32": "f32", "bf16": "bf16"}
# TorchScript's tracer is not thread-safe: two networks of one model traced at once (the style
# encoder and the generator, converting in the background) failed its check that two traces agree.
_TRACING = threading.Lock()
Shapes = tuple[tuple[int, ...], ...]


@functools.cache
def core():
    """One OpenVINO runtime for the process, never released: releasing the last one unloads the
    CPU plugin, and a Ctrl-C after that crashed the process (the plugin's signal handling went
    with it)."""
    import openvino

    return openvino.Core()


def runtime_version() -> str:
    import openvino

    return openvino.__version__


class ConvertedNet:
    """One network (a module whose forward takes and returns float32 tensors) run by OpenVINO,
    compiled once per set of input shapes. ``recast(module, precision)``: what is traced instead of
    the module for each input size (the same function in a faster form,
    ``cpu_convolutions.for_the_cpu``), made only for a conversion.
    Thread-safe: preparing holds a lock, running does not need it (a call takes an infer request
    that no other call is using, and gives it back for the next one: a new request allocates its
    buffers again at its first run, 2 to 3 ms of a 35 ms bundled generator pass)."""

    def __init__(self, module: nn.Module, name: str, precision: str, cache: ConversionCache | None = None,
                 recast: Callable[[nn.Module, str], nn.Module] | None = None):
        if precision not in _HINTS:
            raise ValueError(f"OpenVINO runs fp32 or bf16 on the CPU, not {precision!r}")
        self.module = module.eval()
        self.name, self.precision = name, precision
        self.cache = cache or ConversionCache()
        self.recast = recast
        self.conversions = 0  # how many times the torch network was traced (not found in the cache)
        self._weights: str | None = None
        self._converted = None  # openvino.Model, traced once, reshaped per input shape
        self._compiled: dict[Shapes, object] = {}
        self._idle_requests: dict[Shapes, queue.SimpleQueue] = {}
        self._lock = threading.Lock()

    def ready(self, shapes: Shapes) -> bool:
        return shapes in self._compiled

    def __call__(self, *inputs: torch.Tensor) -> list[torch.Tensor]:
        shapes = tuple(tuple(x.shape) for x in inputs)
        compiled = self._compiled.get(shapes)
        if compiled is None:
            compiled = self.prepare(*inputs)
        idle = self._idle_requests[shapes]
        try:
            request = idle.get_nowait()
        except queue.Empty:
            request = compiled.create_infer_request()
        try:
            # shared: the request reads the arrays in place instead of copying them (20 MB a call
            # for the full-size one-hot label)
            outputs = request.infer([x.detach().float().contiguous().numpy() for x in inputs], share_inputs=True)
            return [torch.from_numpy(outputs[port].copy()) for port in compiled.outputs]
        finally:
            idle.put(request)

    def prepare(self, *inputs: torch.Tensor):
        """The compiled network for these inputs' shapes: from the cache, else converted now."""
        shapes = tuple(tuple(x.shape) for x in inputs)
        with self._lock:
            if shapes not in self._compiled:
                self._idle_requests[shapes] = queue.SimpleQueue()
                self._compiled[shapes] = self._load_or_convert(inputs, shapes)
            return self._compiled[shapes]

    def _config(self) -> dict:
        return {
            "INFERENCE_PRECISION_HINT": _HINTS[self.precision],
            "INFERENCE_NUM_THREADS": torch.get_num_threads(),
            "PERFORMANCE_HINT": "LATENCY",
        }

    def _load_or_convert(self, inputs: tuple[torch.Tensor, ...], shapes: Shapes):
        if self._weights is None:
            self._weights = weights_digest(self.module)
        key = self.cache.key(net=self.name, weights=self._weights, inputs=shapes, precision=self.precision,
                             runtime=runtime_version(),
                             recast=cpu_convolutions.VERSION if self.recast else None)
        blob = self.cache.load(key)
        if blob is not None:
            try:
                return core().import_model(io.BytesIO(blob), "CPU", self._config())
            except Exception as error:  # noqa: BLE001  (an entry this runtime cannot read: convert again)
                log.warning("cached %s for OpenVINO unreadable (%s); converting again", self.name, error)
                self.cache.discard(key)
        model = self._convert(inputs, shapes)
        compiled = core().compile_model(model, "CPU", self._config())
        del model  # may hold the traced module's tensors: gone before the export's copy is made
        self.cache.store(key, compiled.export_model().getvalue())
        return compiled

    def _convert(self, inputs: tuple[torch.Tensor, ...], shapes: Shapes):
        """A network traced once and reshaped for each size, or, recast, traced for each size; either
        way its input shapes are then fixed (a traced network's are open, and OpenVINO then chose
        slower kernels, some in fp32: the recast bf16 generator took 628 ms at 512 against 529)."""
        with _TRACING:
            if self.recast is not None:
                recast = self.recast(self.module, self.precision)
                with torch.no_grad():
                    recast(*(x.detach().float() for x in inputs))  # makes what the recast layers use at this size
                model = self._trace(recast, inputs)
            else:
                if self._converted is None:
                    self._converted = self._trace(self.module, inputs)
                model = self._converted.clone()
        model.reshape({index: list(shape) for index, shape in enumerate(shapes)})
        return model

    def _trace(self, module: nn.Module, inputs: tuple[torch.Tensor, ...]):
        import openvino

        # no_grad, not inference_mode (the session's): tracing needs tensors it can record.
        # The tracer's warnings (a shape check read as a constant) say nothing to a user.
        with torch.inference_mode(False), torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            example = tuple(x.detach().float().clone() for x in inputs)
            converted = openvino.convert_model(module, example_input=example)
        self.conversions += 1
        return converted


class OpenVinoRunner:
    """A network through OpenVINO with the torch module as its stand-in: ``runner(*inputs) -> its
    first output`` (float32).

    ``background``: the first call of each input shape starts converting on a helper thread and
    runs the torch module meanwhile, as the background compile does; otherwise the first call of
    each shape waits for the conversion (or the cache). A failing conversion logs a warning and
    leaves torch running."""

    backend = "openvino"

    def __init__(self, module: nn.Module, name: str, precision: str, background: bool,
                 cache: ConversionCache | None = None, recast: Callable[[nn.Module, str], nn.Module] | None = None):
        self.eager = module.eval()
        self.net = ConvertedNet(self.eager, name, precision, cache, recast)
        self.failed = False
        self._background = background
        self._helpers: dict[Shapes, threading.Thread] = {}

    def wait(self) -> None:
        """Until every conversion started in the background has finished (or failed)."""
        for helper in list(self._helpers.values()):
            helper.join()

    def __call__(self, *inputs: torch.Tensor) -> torch.Tensor:
        inputs = tuple(x.float().contiguous() for x in inputs)
        shapes = tuple(tuple(x.shape) for x in inputs)
        if not self.failed and (self.net.ready(shapes) or not self._background):
            try:
                return self.net(*inputs)[0]
            except Exception as error:  # noqa: BLE001  (any conversion failure: keep running torch)
                self._give_up(error)
        elif not self.failed and shapes not in self._helpers:
            helper = threading.Thread(target=self._prepare, args=tuple(x.clone() for x in inputs), daemon=True)
            self._helpers[shapes] = helper
            helper.start()
        output = self.eager(*inputs)
        return (output[0] if isinstance(output, (tuple, list)) else output).float()

    def _prepare(self, *inputs: torch.Tensor) -> None:
        try:
            self.net.prepare(*inputs)
        except Exception as error:  # noqa: BLE001
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        log.warning("OpenVINO %s unavailable (%s: %s); running torch", self.net.name, type(error).__name__, error)
        self.failed = True


def openvino_generator(dmn: DMNGenerator, precision: str, background: bool) -> OpenVinoRunner:
    """``generate(one-hot label, style)`` through OpenVINO: the call ``FastGenerator`` offers, its
    convolutions recast where that runs faster (``cpu_convolutions``)."""
    return OpenVinoRunner(_Generate(dmn), "generator", precision, background, recast=cpu_convolutions.for_the_cpu)
