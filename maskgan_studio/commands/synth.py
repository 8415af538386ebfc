"""``maskgan-studio synth``: write procedural faces as images/, masks/ and styles/ folders."""

from __future__ import annotations

import argparse
from pathlib import Path

from maskgan_studio.errors import InputFileError, StudioError

HELP = "Write N procedural faces (image, label mask, style JSON) into a folder, the same for the same seed."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, help="folder to write images/, masks/ and styles/ into")
    parser.add_argument("--count", required=True, type=int, help="how many faces")
    parser.add_argument("--size", type=int, default=512, help="width and height in pixels (default 512)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first face; face i uses seed + i")


def _prepare(out: Path) -> dict[str, Path]:
    folders = {name: out / name for name in ("images", "masks", "styles")}
    try:
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputFileError(out, f"cannot create the output folders: {exc.strerror or exc}") from None
    from maskgan_studio.io.atomic import check_writable

    for folder in folders.values():
        check_writable(folder / "00000.png")
    return folders


def run(args: argparse.Namespace) -> int:
    if args.count <= 0:
        raise StudioError(f"--count must be a positive number of faces, got {args.count}")
    if args.size < 64:
        raise StudioError(f"--size must be at least 64 pixels, got {args.size}")
    folders = _prepare(args.out)

    from tqdm import tqdm

    from maskgan_studio.io.atomic import atomic_write
    from maskgan_studio.io.images import write_image
    from maskgan_studio.io.masks import write_mask
    from maskgan_studio.synth import sample

    for index in tqdm(range(args.count), desc="synth", unit="face"):
        image, mask, style = sample(args.seed + index, args.size)
        name = f"{index:05d}"
        write_image(folders["images"] / f"{name}.png", image)
        write_mask(folders["masks"] / f"{name}.png", mask)
        with atomic_write(folders["styles"] / f"{name}.json", "w") as handle:
            handle.write(style.to_json())
    print(f"wrote {args.count} faces to {args.out}")
    return 0
