"""``maskgan-studio models``: list, inspect and import model files."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from maskgan_studio.errors import InputFileError, StudioError

HELP = "List, inspect and import models (bundles, published latest_net_G.pth and 79999_iter.pth files)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="show the bundled and imported models")
    info = actions.add_parser("info", help="show a model file's components, configs, sizes and resolution")
    info.add_argument("path", metavar="PATH", help="a .safetensors bundle or a published-layout .pth "
                      "(generator or face parser)")
    info.add_argument("--resolution", type=int, help="working resolution to check the model against")
    imp = actions.add_parser("import", help="convert a model file into a bundle")
    imp.add_argument("path", metavar="PATH", help="a published-layout .pth (latest_net_G.pth, or the face "
                     "parser 79999_iter.pth, converted to MaskGAN's class order) or a bundle")
    imp.add_argument("--out", metavar="BUNDLE", help="bundle to write (default: the imported-models folder)")
    imp.add_argument("--resolution", type=int, help="working resolution (default: the file's, 512 for a .pth)")
    imp.add_argument("--name", help="model name stored in the bundle and, without --out, the imported file's "
                     "name (default: the file name); an earlier import of that name is never replaced")
    imp.add_argument("--fp16", action="store_true", help="store float16 tensors (half the size)")


def run(args: argparse.Namespace) -> int:
    return {"list": _list, "info": _info, "import": _import}[args.models_action](args)


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def _list(args) -> int:
    from maskgan_studio.checkpoints import bundled_model_path, imported_models_dir, read_bundle_info

    rows = []
    bundled = bundled_model_path()
    candidates = [("bundled", bundled)] if bundled else []
    folder = imported_models_dir()
    if folder.is_dir():
        candidates += [("imported", path) for path in sorted(folder.glob("*.safetensors"))]
    for origin, path in candidates:
        try:
            info = read_bundle_info(path)
        except StudioError as exc:
            rows.append((origin, path.stem, "-", "-", _megabytes(path), f"{path}  (unusable: {exc})"))
            continue
        components = "+".join(info["components"])
        resolution = str(info.get("resolution"))
        rows.append((origin, str(info.get("name") or path.stem), components, resolution, _megabytes(path), str(path)))
    if not rows:
        print(f"No models: no bundled model, and none imported into {folder}.")
        print("Import one with: maskgan-studio models import latest_net_G.pth")
        return 0
    header = ("origin", "name", "components", "resolution", "size", "path")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
    return 0


def _describe(model, path: Path, kind: str) -> list[str]:
    lines = [
        f"file:        {path} ({_megabytes(path)})",
        f"kind:        {kind}",
        f"name:        {model.name}",
        f"resolution:  {model.resolution} (working)",
        f"edits:       {'yes' if model.dmn is not None else 'no (it holds no DMN generator)'}",
        f"strength:    {'available' if model.has_strength else 'not available (needs the MaskVAE and the blender)'}",
    ]
    if model.parser is not None:
        size = model.parser.config.input_size
        lines.append(f"auto mask:   a face parser of {size} px crops (parse --model PATH, edit --parser PATH)")
    lines.append("components:")
    for name, net in model.components.items():
        parameters = sum(p.numel() for p in net.parameters())
        lines.append(f"  {name:<8} {type(net).__name__}, {parameters:,} parameters")
        lines.append("           " + " ".join(f"{k}={v}" for k, v in net.config.to_dict().items()))
    if model.training:
        lines.append("training:    " + ", ".join(f"{k}={v}" for k, v in model.training.items()))
    return lines


def _info(args) -> int:
    from maskgan_studio.checkpoints import file_kind, load_model

    kind = file_kind(args.path)
    model = load_model(args.path, resolution=args.resolution)
    label = (
        "model bundle (.safetensors)"
        if kind == "safetensors"
        else "published-layout PyTorch checkpoint (config inferred from shapes)"
    )
    print("\n".join(_describe(model, Path(args.path), label)))
    return 0


def _file_stem(name: str) -> str:
    """A model name as a file name: letters, digits, '.', '_' and '-' kept, anything else '_'."""
    return re.sub(r"[^\w.-]", "_", name).strip(".") or "model"


def _import(args) -> int:
    import torch

    from maskgan_studio.checkpoints import imported_models_dir, load_model, save_bundle
    from maskgan_studio.io.atomic import check_writable

    source = Path(args.path)
    out = Path(args.out) if args.out else imported_models_dir() / f"{_file_stem(args.name or source.stem)}.safetensors"
    if args.out:
        check_writable(out)  # fail before the work
    elif out.exists():   # the published files all share one name: never replace an earlier import unasked
        raise InputFileError(out, f"a model was imported as '{out.stem}' before; give this one another name "
                                  "with --name NAME, or a file with --out BUNDLE")
    if out.exists() and source.exists() and os.path.samefile(out, source):
        raise InputFileError(out, "is the file being imported; choose another --out")
    model = load_model(source, resolution=args.resolution)
    if not args.out:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problem = f"cannot create the imported-models folder: {exc.strerror or exc}"
            raise InputFileError(out.parent, problem) from None
        check_writable(out)
    if args.name:
        model.name = args.name
    save_bundle(out, model, dtype=torch.float16 if args.fp16 else None)
    print(f"wrote {out} ({'+'.join(model.components)}, resolution {model.resolution}, {_megabytes(out)})")
    return 0
