"""Stage-1 training speed: steps/s and images/s of DMNTrainer (one G and one D update per step).

Runs the ``bundled`` and ``paper`` presets at 256 and 512 px on procedural faces held in memory
(data loading is not timed) and prints a Markdown table. Also times one ``generate`` pass of the
bundled generator at 256 px, the cost of an edit in the engine. Example:

    python benchmarks/bench_training.py --threads 2 --batch-size 1
    python benchmarks/bench_training.py --device cuda --batch-size 8
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from maskgan_studio.synth import sample
from maskgan_studio.training.config import load_preset
from maskgan_studio.nets.tensors import image_to_tensor
from maskgan_studio.training.dmn_trainer import DMNTrainer
from maskgan_studio.training.runtime import Runtime


def faces(count: int, size: int) -> dict[str, torch.Tensor]:
    drawn = [sample(seed, size) for seed in range(count)]
    return {
        "image": torch.cat([image_to_tensor(image) for image, _, _ in drawn]),
        "mask": torch.stack([torch.from_numpy(mask) for _, mask, _ in drawn]),
    }


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_training(preset: str, resolution: int, batch_size: int, steps: int, device: torch.device) -> float:
    """Median seconds per step after two warm-up steps."""
    config = load_preset(preset, "dmn").replace(resolution=resolution, batch_size=batch_size)
    trainer = DMNTrainer(config, Runtime(device))
    batch = faces(batch_size, resolution)
    times = []
    for index in range(steps + 2):
        synchronize(device)
        start = time.perf_counter()
        trainer.g_step(batch)
        trainer.d_step(batch)
        synchronize(device)
        if index >= 2:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


@torch.inference_mode()
def time_edit(resolution: int = 256, repeats: int = 7) -> tuple[float, float]:
    """Seconds of one generate pass of the bundled generator (CPU): (median, best)."""
    config = load_preset("bundled", "dmn")
    from maskgan_studio.nets import DMNGenerator

    generator = DMNGenerator(config.dmn).eval()
    batch = faces(1, resolution)
    style = generator.encode_style(batch["mask"].long(), batch["image"])
    generator.generate(batch["mask"].long(), style)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        generator.generate(batch["mask"].long(), style)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (torch.set_num_threads)")
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--steps", type=int, default=2, help="timed steps per row (after two warm-up steps)")
    parser.add_argument("--presets", nargs="+", default=["bundled", "paper"])
    parser.add_argument("--resolutions", nargs="+", type=int, default=[256, 512])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {args.threads} threads"
    print(f"stage 1 (DMN + discriminators), {where}, batch {args.batch_size}, "
          f"median of {args.steps} steps after 2 warm-up steps")
    print("\n| preset | resolution | s/step | steps/s | images/s |\n|---|---|---|---|---|")
    for preset in args.presets:
        for resolution in args.resolutions:
            seconds = time_training(preset, resolution, args.batch_size, args.steps, device)
            print(f"| {preset} | {resolution} | {seconds:.2f} | {1 / seconds:.3f} | {args.batch_size / seconds:.2f} |",
                  flush=True)
    if device.type == "cpu":
        median, best = time_edit()
        print(f"\nbundled generator, one generate pass at 256 px: median {median * 1000:.0f} ms, "
              f"best {best * 1000:.0f} ms")


if __name__ == "__main__":
    main()
