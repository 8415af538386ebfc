"""Inference sessions on top of the networks (torch, no Qt)."""

from maskgan_studio.engine.device import PRECISIONS, pick_device, pick_dtype
from maskgan_studio.engine.paste_back import DEFAULT_FEATHER, paste_back, paste_weights
from maskgan_studio.engine.session import EditResult, EditSession
from maskgan_studio.engine.strength import MAX_STRENGTH

__all__ = [
    "DEFAULT_FEATHER",
    "MAX_STRENGTH",
    "PRECISIONS",
    "EditResult",
    "EditSession",
    "paste_back",
    "paste_weights",
    "pick_device",
    "pick_dtype",
]
