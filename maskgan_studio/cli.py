"""The ``maskgan-studio`` command line: parsing and dispatch only.

Each subcommand lives in ``maskgan_studio.commands.<name>`` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Those modules import torch and Qt inside
``run`` only, so ``--help`` and ``--version`` answer fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from maskgan_studio import __version__
from maskgan_studio.errors import StudioError

COMMANDS = ("gui", "edit", "synth", "prepare", "train", "eval", "models", "bench", "parse")
DEFAULT_COMMAND = "gui"


def _command_module(name: str):
    return importlib.import_module(f"maskgan_studio.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maskgan-studio",
        description="Edit faces by painting their semantic mask (MaskGAN). "
        "With no command, opens the editor.",
    )
    parser.add_argument("--version", action="version", version=f"maskgan-studio {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _command_module(name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        return [DEFAULT_COMMAND, *argv]
    return argv


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(_with_default_command(argv))
    try:
        return int(args.run(args) or 0)
    except StudioError as exc:
        print(f"maskgan-studio: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("maskgan-studio: interrupted", file=sys.stderr)
        return 130
