"""The OpenVINO operations the MobileStyleGAN graphs use, as torch functions.

Each takes the layer's ``data`` attributes and its inputs in port order, and returns a list of
outputs in port order. Shape values (ShapeOf and the integer constants feeding Reshape, Gather,
Concat...) stay int64 tensors on the CPU, so building a shape never waits on the GPU.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F


def _ints(text: str | None) -> list[int]:
    return [int(v) for v in text.split(",")] if text else []


def _axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


def _shape(tensor: torch.Tensor) -> list[int]:
    return [int(v) for v in tensor.reshape(-1).tolist()]


def _elementwise(function: Callable) -> Callable:
    def run(attrs: dict, a: torch.Tensor, b: torch.Tensor) -> list[torch.Tensor]:
        if attrs.get("auto_broadcast", "numpy") not in ("numpy", "none"):
            raise NotImplementedError(f"auto_broadcast={attrs['auto_broadcast']}")
        if a.device != b.device:  # a CPU shape constant meeting device data
            a, b = (a.to(b.device), b) if a.dim() == 0 or a.device.type == "cpu" else (a, b.to(a.device))
        return [function(a, b)]
    return run


def _matmul(attrs: dict, a: torch.Tensor, b: torch.Tensor) -> list[torch.Tensor]:
    if attrs.get("transpose_a") == "true":
        a = a.transpose(-1, -2)
    if attrs.get("transpose_b") == "true":
        b = b.transpose(-1, -2)
    return [torch.matmul(a, b)]


def _reduce_mean(attrs: dict, data: torch.Tensor, axes: torch.Tensor) -> list[torch.Tensor]:
    dims = [_axis(a, data.dim()) for a in _shape(axes)]
    return [data.mean(dim=dims, keepdim=attrs.get("keep_dims") == "true")]


def _shape_of(attrs: dict, data: torch.Tensor) -> list[torch.Tensor]:
    return [torch.tensor(list(data.shape), dtype=torch.int64)]


def _gather(attrs: dict, data: torch.Tensor, indices: torch.Tensor, axis: torch.Tensor) -> list[torch.Tensor]:
    if int(attrs.get("batch_dims", "0")) != 0:
        raise NotImplementedError("Gather with batch_dims")
    dim = _axis(int(axis.reshape(-1)[0]), data.dim())
    flat = indices.reshape(-1).to(device=data.device, dtype=torch.int64) % data.shape[dim]
    picked = torch.index_select(data, dim, flat)
    return [picked.reshape(list(data.shape[:dim]) + list(indices.shape) + list(data.shape[dim + 1:]))]


def _unsqueeze(attrs: dict, data: torch.Tensor, axes: torch.Tensor) -> list[torch.Tensor]:
    rank = data.dim() + axes.numel()
    for axis in sorted(_axis(a, rank) for a in _shape(axes)):
        data = data.unsqueeze(axis)
    return [data]


def _squeeze(attrs: dict, data: torch.Tensor, axes: torch.Tensor | None = None) -> list[torch.Tensor]:
    if axes is None:
        return [data.squeeze()]
    dims = sorted({_axis(a, data.dim()) for a in _shape(axes)}, reverse=True)
    for dim in dims:
        data = data.squeeze(dim)
    return [data]


def _concat(attrs: dict, *inputs: torch.Tensor) -> list[torch.Tensor]:
    return [torch.cat(inputs, dim=_axis(int(attrs["axis"]), inputs[0].dim()))]


def _reshape(attrs: dict, data: torch.Tensor, shape: torch.Tensor) -> list[torch.Tensor]:
    target = _shape(shape)
    if attrs.get("special_zero") == "true":
        target = [data.shape[i] if v == 0 else v for i, v in enumerate(target)]
    return [data.reshape(target)]


def _prelu(attrs: dict, data: torch.Tensor, slope: torch.Tensor) -> list[torch.Tensor]:
    if slope.numel() == 1 or (slope.dim() == 1 and data.dim() >= 2 and slope.numel() == data.shape[1]):
        return [F.prelu(data, slope.reshape(-1))]  # one slope, or one per channel (OpenVINO's rule)
    return [torch.where(data >= 0, data, data * slope)]


def _pads(attrs: dict) -> tuple[list[int], list[int]]:
    if attrs.get("auto_pad", "explicit") not in ("explicit", "notset"):
        raise NotImplementedError(f"auto_pad={attrs['auto_pad']}")
    return _ints(attrs.get("pads_begin")), _ints(attrs.get("pads_end"))


def _padded(data: torch.Tensor, begin: list[int], end: list[int]) -> torch.Tensor:
    if not any(begin) and not any(end):
        return data
    return F.pad(data, [p for pair in zip(reversed(begin), reversed(end)) for p in pair])


def _check_2d(kind: str, weights: torch.Tensor, rank: int) -> None:
    if weights.dim() != rank:
        raise NotImplementedError(f"{kind} is read for 2-D images only (weights of rank {weights.dim()})")


def _convolution(attrs: dict, data: torch.Tensor, weights: torch.Tensor, groups: int = 1) -> list[torch.Tensor]:
    begin, end = _pads(attrs)
    return [F.conv2d(_padded(data, begin, end), weights, stride=_ints(attrs["strides"]),
                     dilation=_ints(attrs["dilations"]), groups=groups)]


def _plain_convolution(attrs: dict, data: torch.Tensor, weights: torch.Tensor) -> list[torch.Tensor]:
    _check_2d("Convolution", weights, 4)
    return _convolution(attrs, data, weights)


def _group_convolution(attrs: dict, data: torch.Tensor, weights: torch.Tensor) -> list[torch.Tensor]:
    _check_2d("GroupConvolution", weights, 5)  # [G, O/G, I/G, kh, kw]
    groups = weights.shape[0]
    return _convolution(attrs, data, weights.reshape(-1, *weights.shape[2:]), groups)


def _group_convolution_backprop(attrs: dict, data: torch.Tensor, weights: torch.Tensor,
                                output_shape: torch.Tensor | None = None) -> list[torch.Tensor]:
    _check_2d("GroupConvolutionBackpropData", weights, 5)  # [G, I/G, O/G, kh, kw]
    if output_shape is not None:
        raise NotImplementedError("GroupConvolutionBackpropData with an output_shape input")
    begin, end = _pads(attrs)
    groups = weights.shape[0]
    out = F.conv_transpose2d(data, weights.reshape(-1, *weights.shape[2:]), stride=_ints(attrs["strides"]),
                             dilation=_ints(attrs["dilations"]), groups=groups,
                             output_padding=_ints(attrs.get("output_padding")) or 0)
    height, width = out.shape[-2:]
    return [out[..., begin[0]:height - end[0], begin[1]:width - end[1]]]


def _variadic_split(attrs: dict, data: torch.Tensor, axis: torch.Tensor, lengths: torch.Tensor) -> list[torch.Tensor]:
    dim = _axis(int(axis.reshape(-1)[0]), data.dim())
    sizes = _shape(lengths)
    if -1 in sizes:
        sizes[sizes.index(-1)] = data.shape[dim] - (sum(sizes) + 1)
    return list(torch.split(data, sizes, dim=dim))


def _broadcast(attrs: dict, data: torch.Tensor, target: torch.Tensor, axes: torch.Tensor | None = None) -> list:
    mode = attrs.get("mode", "numpy")
    shape = _shape(target)
    if mode == "bidirectional":
        shape = list(torch.broadcast_shapes(tuple(data.shape), tuple(shape)))
    elif mode != "numpy":
        raise NotImplementedError(f"Broadcast mode={mode}")
    return [data.broadcast_to(shape)]


def _tile(attrs: dict, data: torch.Tensor, repeats: torch.Tensor) -> list[torch.Tensor]:
    return [torch.tile(data, _shape(repeats))]


OPERATIONS: dict[str, Callable[..., list[torch.Tensor]]] = {
    "Add": _elementwise(torch.add),
    "Multiply": _elementwise(torch.mul),
    "Power": _elementwise(torch.pow),
    "MatMul": _matmul,
    "ReduceMean": _reduce_mean,
    "ShapeOf": _shape_of,
    "Gather": _gather,
    "Unsqueeze": _unsqueeze,
    "Squeeze": _squeeze,
    "Concat": _concat,
    "Reshape": _reshape,
    "PReLU": _prelu,
    "Convolution": _plain_convolution,
    "GroupConvolution": _group_convolution,
    "GroupConvolutionBackpropData": _group_convolution_backprop,
    "VariadicSplit": _variadic_split,
    "Broadcast": _broadcast,
    "Tile": _tile,
}
