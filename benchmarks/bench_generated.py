"""Generated faces per second: MobileStyleGAN on the torch reader and on OpenVINO, and with Auto mask.

    python benchmarks/bench_generated.py [--faces 4] [--batch 16]

Rows: each runtime on each device at hand (OpenVINO: CPU at float32; the torch reader: CPU, and
CUDA with --batch faces a call), the 1024 px output shrunk to 256; then the whole per-face path
of ``prepare generated-faces`` in one process (draw, align, Auto mask). With ``--workers 1`` the
command overlaps drawing and masking, so its rate is about the slower of the two.
The synthesis graph cannot be cut to a smaller output: its only image head is the last one (12
wavelet channels at 512 px, inverted to 1024), so a lower resolution saves just the inversion.
"""

from __future__ import annotations

import argparse
import time

import torch

from maskgan_studio.generated import face_generator
from maskgan_studio.photos import prepare_photo


def rate(generator: face_generator.FaceGenerator, faces: int, batch: int) -> float:
    generator.faces(0, range(batch), size=256)  # warm-up: compiling, allocations
    if generator.device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for first in range(0, faces, batch):
        generator.faces(1, range(first, first + batch), size=256)
    if generator.device.type == "cuda":
        torch.cuda.synchronize()
    return faces / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=4, help="faces timed per row (CPU)")
    parser.add_argument("--batch", type=int, default=16, help="faces per call on CUDA")
    args = parser.parse_args()
    face_generator.require_data_folder()

    rows = []
    if face_generator.openvino_available():
        rows.append(("openvino f32", "cpu", 1, rate(face_generator.FaceGenerator("cpu", runtime="openvino"),
                                                     args.faces, 1)))
    rows.append(("torch reader", "cpu", 1, rate(face_generator.FaceGenerator("cpu", runtime="torch"), args.faces, 1)))
    if torch.cuda.is_available():
        gpu = face_generator.FaceGenerator("cuda", runtime="torch")
        rows.append(("torch reader", "cuda", args.batch, rate(gpu, args.batch * 8, args.batch)))

    generator = face_generator.FaceGenerator("cpu")
    start = time.perf_counter()
    found = 0
    for index in range(args.faces):
        image = generator.faces(2, [index], size=256)[0]
        found += "landmarks" in prepare_photo(image, resolution=256).description
    pipeline = args.faces / (time.perf_counter() - start)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("| runtime | device | batch | faces/s |")
    print("|---|---|---|---|")
    for name, device, batch, faces_per_second in rows:
        print(f"| {name} | {device} | {batch} | {faces_per_second:.2f} |")
    print(f"| {generator.runtime} + align + Auto mask, one process | cpu | 1 | {pipeline:.2f} |")
    print(f"(Auto mask by landmarks on {found} of {args.faces} faces)")


if __name__ == "__main__":
    main()
