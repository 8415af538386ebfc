"""Build a network and load a state dict into it strictly, or explain in one message what does not fit."""

from __future__ import annotations

import os

import torch
from torch import nn

from maskgan_studio.checkpoints.model import CheckpointError

SHOWN = 4  # names listed per kind of mismatch; the rest are counted


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return f"{shown}, and {len(names) - SHOWN} more" if len(names) > SHOWN else shown


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def mismatch_report(expected: dict[str, torch.Tensor], found: dict[str, torch.Tensor]) -> list[str]:
    """-> one phrase per kind of problem (missing keys, unexpected keys, wrong shapes); empty when it fits."""
    missing = [k for k in expected if k not in found]
    unexpected = [k for k in found if k not in expected]
    wrong = [
        f"{k} is {list(found[k].shape)}, needs {list(expected[k].shape)}"
        for k in expected
        if k in found and found[k].shape != expected[k].shape
    ]
    not_tensors = [k for k, v in found.items() if not isinstance(v, torch.Tensor)]
    problems = []
    if missing:
        problems.append(f"{_plural(len(missing), 'missing key')} ({_listed(missing)})")
    if unexpected:
        problems.append(f"{_plural(len(unexpected), 'unexpected key')} ({_listed(unexpected)})")
    if wrong:
        problems.append(f"{_plural(len(wrong), 'wrong shape')} ({_listed(wrong)})")
    if not_tensors:
        problems.append(f"{_plural(len(not_tensors), 'entry')} that are not tensors ({_listed(not_tensors)})")
    return problems


def _meta_net(net_class: type[nn.Module], config) -> nn.Module:
    with torch.device("meta"):
        return net_class(config)


def fit_problems(net_class: type[nn.Module], config, state: dict[str, torch.Tensor]) -> list[str]:
    """-> what keeps ``state`` from loading into ``net_class(config)``; empty when it fits."""
    return mismatch_report(_meta_net(net_class, config).state_dict(), state)


def build_and_load(
    path: str | os.PathLike, net_class: type[nn.Module], config, state: dict[str, torch.Tensor], what: str
) -> nn.Module:
    """A ``net_class(config)`` in eval mode holding ``state``, or CheckpointError naming every misfit.

    The network is built on the meta device and takes the tensors by assignment (no wasted
    random initialisation); float16 tensors are converted to the network's float32.
    """
    net = _meta_net(net_class, config)
    expected = net.state_dict()
    problems = mismatch_report(expected, state)
    if problems:
        raise CheckpointError(path, f"does not fit {what}: " + "; ".join(problems))
    converted = {k: v.to(expected[k].dtype).contiguous() for k, v in state.items()}
    net.load_state_dict(converted, strict=True, assign=True)
    return net.eval()
