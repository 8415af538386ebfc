"""Load a face parser file and run it on an aligned crop.

Accepted files (through ``checkpoints.load_model``, the one loader): the published
``79999_iter.pth`` (BiSeNet class order, converted on load) and a model bundle (``.safetensors``)
holding a ``parser`` component (``models import 79999_iter.pth`` or ``train parser`` write one).
"""

from __future__ import annotations

import os

import numpy as np
import torch
import torch.nn.functional as F

from maskgan_studio.checkpoints import load_model
from maskgan_studio.nets.parser import FaceParser


def load_parser(path: str | os.PathLike) -> FaceParser:
    """A FaceParser in eval mode that outputs our class ids; raises CheckpointError naming the problem."""
    return load_model(path, read_as="parser").require("parser", "Auto mask's parser method").parser


@torch.no_grad()
def parse_crop(parser: FaceParser, crop: np.ndarray) -> np.ndarray:
    """uint8 (H, W) class ids of an aligned uint8 RGB crop, parsed at the size the parser learned."""
    height, width = crop.shape[:2]
    side = parser.config.input_size
    image = torch.from_numpy(crop.astype(np.float32)).permute(2, 0, 1)[None] / 255  # a copy: crops may be read-only
    image = F.interpolate(image, (side, side), mode="bilinear", align_corners=False, antialias=side < height)
    logits = F.interpolate(parser(image), (height, width), mode="bilinear", align_corners=False)
    return logits.argmax(1)[0].to(torch.uint8).numpy()
