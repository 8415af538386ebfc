"""Style per region: what a second (and third) style face costs an edit on this machine.

A procedural face at 512 px with its hair grown (synth edit ``grow_hair``), edited by the bundled
model on the CPU: with its own style (one source), with hair from a second face (two sources),
and with hair from one face and lips from another (three). Each style is encoded once before
timing (as in the editor), so a row is the edit alone: preview and final for the generator's
picture, and the texture stage after them where asked. Runs are interleaved, median of --repeat.

    python benchmarks/bench_region_style.py [--repeat N] [--size PX] [--texture]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from maskgan_studio.core.style_map import GROUPS, StyleMap
from maskgan_studio.engine import EditSession
from maskgan_studio.synth import sample
from maskgan_studio.synth.edits import apply_edit

MAPS = {
    "one source (the face's own style)": StyleMap(),
    "two sources (hair from face B)": StyleMap().assign(GROUPS["hair"], "b"),
    "three sources (hair from B, lips from C)": StyleMap().assign(GROUPS["hair"], "b").assign(GROUPS["lips"], "c"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--texture", action="store_true", help="also time the texture stage")
    args = parser.parse_args()
    session = EditSession(device="cpu", compile=False)
    image, mask, _ = sample(0, args.size)
    edited = apply_edit("grow_hair", mask, np.random.default_rng(3))
    session.set_style_source(image, mask)
    session.set_style_reference("b", *sample(5, args.size)[:2])
    session.set_style_reference("c", *sample(1, args.size)[:2])
    textures = ("generator", "photo") if args.texture else ("generator",)
    times: dict[tuple[str, str], list[float]] = {(name, t): [] for name in MAPS for t in textures}
    for repeat in range(args.repeat + 1):  # the first round warms up and is not counted
        for (name, texture), runs in times.items():
            start = time.perf_counter()
            for _ in session.edit_progressive(edited, style_map=MAPS[name], texture=texture):
                pass
            if repeat:
                runs.append((time.perf_counter() - start) * 1000)
    print(f"bundled model ({session.model_name}, {session.resolution} px) on {session.device}, "
          f"{torch_threads()} threads; a {args.size} px face with grown hair; median of {args.repeat}")
    print()
    print("| style sources | stages | edit ms | x one source |")
    print("| --- | --- | --- | --- |")
    for texture in textures:
        base = statistics.median(times[(next(iter(MAPS)), texture)])
        stages = "preview + final" + (" + texture" if texture == "photo" else "")
        for name in MAPS:
            ms = statistics.median(times[(name, texture)])
            print(f"| {name} | {stages} | {ms:.0f} | {ms / base:.2f} |")


def torch_threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()
