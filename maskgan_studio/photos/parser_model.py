"""Load a face parser file and run it on an aligned crop.

Accepted files: the published ``79999_iter.pth`` (BiSeNet class order, converted on load) and a
model bundle (``.safetensors``) holding ``parser.*`` tensors, which are already in our order.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from maskgan_studio.errors import InputFileError
from maskgan_studio.nets.parser import FaceParser, parser_state_from_published

PARSER_INPUT = 512  # the published weights were trained on 512 px crops


def _read_state(path: Path) -> dict[str, torch.Tensor]:
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        tensors = load_file(path)
        state = {k.removeprefix("parser."): v.float() for k, v in tensors.items() if k.startswith("parser.")}
        if not state:
            raise InputFileError(path, "this model bundle has no face parser (no parser.* tensors)")
        return state
    state = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise InputFileError(path, "not a face parser state dict")
    return parser_state_from_published(state)


def load_parser(path: str | os.PathLike) -> FaceParser:
    """A FaceParser in eval mode that outputs our class ids; raises InputFileError naming the problem."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found")
    try:
        state = _read_state(path)
    except (OSError, RuntimeError, ValueError, EOFError) as exc:
        raise InputFileError(path, f"cannot read a face parser from it ({str(exc).splitlines()[0]})") from None
    parser = FaceParser()
    missing, unexpected = parser.load_state_dict(state, strict=False)
    if missing or unexpected:
        shown = ", ".join((missing + unexpected)[:4])
        raise InputFileError(path, f"not the BiSeNet face parser layout ({len(missing)} missing, "
                                   f"{len(unexpected)} unexpected tensors: {shown}...)")
    return parser.eval()


@torch.no_grad()
def parse_crop(parser: FaceParser, crop: np.ndarray) -> np.ndarray:
    """uint8 (H, W) class ids of an aligned uint8 RGB crop."""
    height, width = crop.shape[:2]
    image = torch.from_numpy(np.ascontiguousarray(crop)).permute(2, 0, 1)[None].float() / 255
    image = F.interpolate(image, (PARSER_INPUT, PARSER_INPUT), mode="bilinear", align_corners=False)
    logits = F.interpolate(parser(image), (height, width), mode="bilinear", align_corners=False)
    return logits.argmax(1)[0].to(torch.uint8).numpy()
