"""The published layouts (``latest_net_G.pth``, the face parser ``79999_iter.pth``): read them
without running code, infer their size from shapes.

The file is a pickled state dict (sometimes wrapped in a dict, keys sometimes prefixed by
``module.`` from a DataParallel wrapper). ``torch.load(weights_only=True)`` refuses any pickle
that asks to run code; the size (ngf, downsamplings, blocks, classes) is read from the shapes.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Mapping

import torch

from maskgan_studio.checkpoints.model import CheckpointError
from maskgan_studio.nets import DMNConfig, FaceParserConfig

WRAPPER_KEYS = ("state_dict", "model", "model_state_dict", "netG", "net_G", "generator")
_BLOCK_KEY = re.compile(r"^model\.(\d+)\.conv_block\.")


def read_torch_state_dict(path: str | os.PathLike) -> dict[str, torch.Tensor]:
    """The tensors of a PyTorch checkpoint, unwrapped and without ``module.`` prefixes."""
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        text = str(exc)
        if "Weights only load failed" in text or "Unsupported global" in text:
            culprit = re.search(r"GLOBAL ([\w.]+)", text)
            detail = f" (it names {culprit.group(1)})" if culprit else ""
            raise CheckpointError(
                path, f"refused: the file asks to run code when loaded{detail}; a checkpoint must hold only tensors"
            ) from None
        raise CheckpointError(path, f"not a readable PyTorch checkpoint ({_first_line(exc)})") from None
    except (RuntimeError, EOFError, ValueError, OSError, KeyError, AttributeError, ImportError) as exc:
        raise CheckpointError(path, f"not a readable PyTorch checkpoint ({_first_line(exc)})") from None
    return _strip_module_prefix(_unwrap(path, loaded))


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _is_tensor_dict(value) -> bool:
    return isinstance(value, Mapping) and bool(value) and any(isinstance(v, torch.Tensor) for v in value.values())


def _unwrap(path, loaded) -> Mapping:
    if _is_tensor_dict(loaded):
        return loaded
    if isinstance(loaded, Mapping):
        for key in WRAPPER_KEYS:
            if _is_tensor_dict(loaded.get(key)):
                return loaded[key]
        keys = ", ".join(map(str, list(loaded)[:6])) or "nothing"
        raise CheckpointError(path, f"holds no state dict of tensors (its top-level keys: {keys})")
    raise CheckpointError(path, f"holds a {type(loaded).__name__}, not a state dict of tensors")


def _strip_module_prefix(state: Mapping) -> dict[str, torch.Tensor]:
    return {str(k).removeprefix("module."): v for k, v in state.items()}


def _shape(state: Mapping, key: str) -> tuple[int, ...] | None:
    value = state.get(key)
    return tuple(value.shape) if isinstance(value, torch.Tensor) else None


def infer_dmn_config(state: Mapping) -> DMNConfig:
    """Read a DMN generator's size from its published-layout tensor shapes.

    Anything that cannot be read keeps the published default; the strict load that follows
    then lists exactly which keys are missing or misshapen.
    """
    defaults = DMNConfig()
    first = _shape(state, "model.1.weight")  # (ngf, label_nc, 7, 7)
    ngf, label_nc = (first[0], first[1]) if first and len(first) == 4 else (defaults.ngf, defaults.label_nc)
    blocks = sorted({int(m.group(1)) for k in state if (m := _BLOCK_KEY.match(k))})
    # The backbone counts pad, conv, norm, ReLU (0-3), then conv, norm, ReLU per downsampling.
    n_downsample = (blocks[0] - 4) // 3 if blocks and blocks[0] >= 7 else defaults.n_downsample
    n_blocks = len(blocks) or defaults.n_blocks
    last = _shape(state, f"model.{4 + 3 * n_downsample + n_blocks + 3 * n_downsample + 1}.weight")
    output_nc = last[0] if last and len(last) == 4 else defaults.output_nc
    style = _shape(state, "enc_style.model.0.conv.weight")  # (style_nf, output_nc, 7, 7)
    style_nf = style[0] if style and len(style) == 4 else defaults.style_nf
    return DMNConfig(
        label_nc=label_nc, output_nc=output_nc, ngf=ngf, n_downsample=n_downsample, n_blocks=n_blocks, style_nf=style_nf
    )


PARSER_MARKER = "cp.resnet.conv1.weight"  # the first tensor of BiSeNet's context path


def is_published_parser(state: Mapping) -> bool:
    """Whether a state dict (``module.`` stripped) is the BiSeNet face parser's layout."""
    return PARSER_MARKER in state


def infer_parser_config(state: Mapping) -> FaceParserConfig:
    """The parser's class count from its main head; the published weights see 512 px crops."""
    head = _shape(state, "conv_out.conv_out.weight")  # (n_classes, 256, 1, 1)
    defaults = FaceParserConfig()
    return FaceParserConfig(n_classes=head[0] if head and len(head) == 4 else defaults.n_classes)
