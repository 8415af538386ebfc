"""``--model``, ``--device``, ``--backend`` and ``--precision``: declared once and checked once for
every command that takes them.

Checks run at the start of a command's ``run`` and fail with one line (exit 2) before anything
large is read: a ``--model`` that is not a file, a ``--device`` that is unknown or not here, a
``--backend`` that is not installed or not for that device.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from maskgan_studio.errors import InputFileError

MODEL_HELP = "model bundle or published latest_net_G.pth"


def add_model(parser: argparse.ArgumentParser, what: str = MODEL_HELP, default: str = "the bundled model") -> None:
    parser.add_argument("--model", metavar="PATH", help=f"{what} (default: {default})")


def add_device(parser: argparse.ArgumentParser, default: str | None = "auto", default_help: str = "auto") -> None:
    parser.add_argument("--device", default=default, metavar="D",
                        help=f"where the model runs: auto, cpu, cuda or mps (default: {default_help})")


def add_backend(parser: argparse.ArgumentParser, precision: str = "auto") -> None:
    """``--backend`` (engine.backends, "auto" by default) and ``--precision``."""
    parser.add_argument("--backend", default="auto", choices=("auto", "torch", "openvino"),
                        help="what runs the networks: openvino (the CPU; pip install \"maskgan-studio[fast]\") "
                        "or torch; auto: OpenVINO on the CPU when installed, else torch (default: auto)")
    parser.add_argument("--precision", default=precision, choices=("auto", "fp32", "bf16", "fp16"),
                        help="auto: bf16 with OpenVINO on a CPU with bf16 instructions (AMX, AVX-512-BF16), "
                        f"else fp32 (default: {precision})")


def model_path(args: argparse.Namespace) -> Path | None:
    """``--model`` as an existing file, or None when it was not given."""
    if not args.model:
        return None
    path = Path(args.model)
    if not path.is_file():
        raise InputFileError(path, "model file not found" if not path.exists() else "not a file")
    return path.resolve()


def check_device(args: argparse.Namespace) -> None:
    """Refuse an unknown ``--device`` or one this machine does not have, and a ``--backend`` that
    cannot run there (imports torch)."""
    if args.device is None:
        return
    from maskgan_studio.engine.backends import pick_device_and_backend

    pick_device_and_backend(args.device, getattr(args, "backend", "torch"))


def check(args: argparse.Namespace) -> None:
    """Both options, for a command that takes both."""
    model_path(args)
    check_device(args)
