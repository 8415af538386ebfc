"""``load_model``: a bundle or a published-layout checkpoint (generator or face parser), told apart by content."""

from __future__ import annotations

import os
from pathlib import Path

from maskgan_studio.checkpoints.bundle import load_bundle
from maskgan_studio.checkpoints.model import CheckpointError, Model, check_usable
from maskgan_studio.checkpoints.published import (
    infer_dmn_config,
    infer_parser_config,
    is_published_parser,
    read_torch_state_dict,
)
from maskgan_studio.checkpoints.strict import build_and_load
from maskgan_studio.nets import DMNGenerator, FaceParser
from maskgan_studio.nets.parser import parser_state_from_published

PUBLISHED_RESOLUTION = 512


def file_kind(path: str | os.PathLike) -> str:
    """-> "safetensors" or "torch" from the file's first bytes; CheckpointError for anything else."""
    file = Path(path)
    if not file.exists():
        raise CheckpointError(file, "no such file")
    if file.is_dir():
        raise CheckpointError(file, "is a folder, not a model file")
    try:
        size = file.stat().st_size
        with file.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise CheckpointError(file, f"cannot read: {exc.strerror or exc}") from None
    if size == 0:
        raise CheckpointError(file, "empty file (0 bytes), not a model checkpoint")
    if len(head) > 9 and head[8:9] == b"{" and int.from_bytes(head[:8], "little") <= size - 8:
        return "safetensors"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\x80"):
        return "torch"  # a zip (torch >= 1.6) or a legacy pickle
    if _looks_like_text(head):
        raise CheckpointError(file, "a text file, not a model checkpoint")
    raise CheckpointError(file, "not a model checkpoint (neither a .safetensors bundle nor a PyTorch file)")


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def load_published(path: str | os.PathLike, resolution: int | None = None, read_as: str | None = None) -> Model:
    """A published-layout DMN generator (``latest_net_G.pth``) of any size, or the published BiSeNet
    face parser (``79999_iter.pth``, class heads converted to our order), told apart by their keys."""
    state = read_torch_state_dict(path)
    resolution = PUBLISHED_RESOLUTION if resolution is None else resolution
    if read_as == "parser" or (read_as is None and is_published_parser(state)):
        return _published_parser(path, state, resolution)
    config = infer_dmn_config(state)
    if problem := check_usable(resolution, config, None):
        raise CheckpointError(path, problem)
    what = (
        f"a DMN generator ({config.label_nc} classes, ngf {config.ngf}, "
        f"{config.n_downsample} downsamplings, {config.n_blocks} blocks)"
    )
    dmn = build_and_load(path, DMNGenerator, config, state, what)
    return Model(
        dmn=dmn,
        resolution=resolution,
        name=Path(path).stem,
        source=os.fspath(path),
        training={"imported_from": Path(path).name, "layout": "published MaskGAN generator"},
    )


def _published_parser(path: str | os.PathLike, state: dict, resolution: int) -> Model:
    config = infer_parser_config(state)
    if problem := check_usable(resolution, None, None, config):
        raise CheckpointError(path, problem)
    what = "the BiSeNet face parser layout (79999_iter.pth)"
    parser = build_and_load(path, FaceParser, config, parser_state_from_published(state), what)
    return Model(
        parser=parser,
        resolution=resolution,
        name=Path(path).stem,
        source=os.fspath(path),
        training={
            "imported_from": Path(path).name,
            "layout": "published BiSeNet face parser, class heads reordered to MaskGAN's classes",
        },
    )


def load_model(path: str | os.PathLike, resolution: int | None = None, read_as: str | None = None) -> Model:
    """A ``.safetensors`` bundle or a published-layout file; nothing is returned half-loaded.

    ``resolution`` overrides the working resolution (bundle: its own; published file: 512).
    A published file is recognised by its keys, or read as ``read_as`` ("dmn" or "parser") so
    that a misfit is reported against the network the caller wants. A model may lack networks
    its caller needs: check with ``Model.require``.
    """
    if file_kind(path) == "safetensors":
        return load_bundle(path, resolution)
    return load_published(path, resolution, read_as)
