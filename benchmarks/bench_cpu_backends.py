"""CPU backends side by side in one run: torch, OpenVINO (fp32, bf16) and ONNX Runtime.

    python benchmarks/bench_cpu_backends.py [--config full|bundled] [--runs 20] [--threads N] [--no-onnx]

First the engine's table (``maskgan-studio bench --compare-backends``): the whole edit and the
preview through each backend the engine has, beside the published code's per-edit forward, and
each one's mean distance from torch fp32 in levels of 255. Then the generator alone at the
working resolution through each runtime, ONNX Runtime's CPU provider included, on the network as
torch has it and as the OpenVINO backend recasts it in fp32 (``engine.cpu_convolutions``; ``pip
install onnxruntime onnx``; it is not a dependency: it lost, see README "Performance"). ``full`` is the
published layout (ngf 64, 4 downsamplings, 4 blocks) at 512 with random weights; ``bundled``
the shipped preset at 256. The machine is shared: load averages are printed with the tables.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import maskgan_studio  # noqa: F401  (first: it sets torch's OpenMP spin, GOMP_SPINCOUNT, before torch loads)
import torch

from maskgan_studio.engine import cpu_convolutions
from maskgan_studio.engine.backend_bench import compare_backends, contenders, format_rows
from maskgan_studio.engine.fast_generate import _Generate
from maskgan_studio.engine.timing import MIN_RUNS, Timing, bench_face, format_table, measure
from maskgan_studio.nets import one_hot

sys.path.insert(0, os.path.dirname(__file__))
from bench_engine import add_model_arguments, random_bench_model  # noqa: E402  (the same full/bundled models)


def _onnx_runtime(module: torch.nn.Module, label: torch.Tensor, style: torch.Tensor):
    """A generator module exported to ONNX and run by ONNX Runtime's CPU provider -> (run, output)."""
    import onnxruntime

    path = os.path.join(tempfile.mkdtemp(), "generator.onnx")
    with torch.no_grad():
        torch.onnx.export(module, (label, style), path, dynamo=False, input_names=["label", "style"])
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {"label": label.numpy(), "style": style.numpy()}
    return lambda: session.run(None, feed)[0], torch.from_numpy(session.run(None, feed)[0])


def _generator_alone(model, runs: int, onnx: bool) -> list[tuple[Timing, float]]:
    from maskgan_studio.engine import EditSession

    image, mask, edited = bench_face(model.resolution)
    label = one_hot(torch.from_numpy(edited)).float()
    rows, reference = [], None
    for name, backend, precision in contenders():
        session = EditSession(model, device="cpu", precision=precision, compile=False, backend=backend)
        session.set_style_source(image, mask)
        output = session.generate_raw(edited)
        reference = output if reference is None else reference
        rows.append((measure(name, lambda s=session: s.generate_raw(edited), runs),
                     float((output - reference).abs().mean() * 127.5)))
        style = session._source.style  # noqa: SLF001  (the same style for ONNX Runtime below)
    if onnx:  # the generator as torch has it, and as the OpenVINO backend converts it in fp32
        plain = _Generate(model.dmn).eval()
        for name, module in (("", plain), (", recast", cpu_convolutions.for_the_cpu(plain, "fp32"))):
            run, output = _onnx_runtime(module, label, style)
            rows.append((measure(f"ONNX Runtime fp32 (CPU provider{name})", run, runs),
                         float((output - reference).abs().mean() * 127.5)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=("full", "bundled"), default="full")
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    parser.add_argument("--no-onnx", action="store_true", help="skip ONNX Runtime")
    add_model_arguments(parser)
    args = parser.parse_args()
    model, config, resolution = random_bench_model(args)
    load_before = os.getloadavg()
    rows = compare_backends(model, args.runs, log=lambda line: print(line, file=sys.stderr))
    alone = _generator_alone(model, args.runs, not args.no_onnx)
    load_after = os.getloadavg()
    print(f"{model.name}: {config}, {resolution}x{resolution}, {torch.get_num_threads()} threads, "
          f"{args.runs} runs; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(format_rows(rows))
    print(f"\nthe generator alone at {resolution}x{resolution} (levels: mean distance from torch fp32):")
    print(format_table([timing for timing, _ in alone]))
    for timing, levels in alone:
        print(f"{timing.name}: {levels:.2f} levels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
