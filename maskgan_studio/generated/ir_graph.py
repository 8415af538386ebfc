"""An OpenVINO IR graph (``.xml`` + ``.bin``, versions 10 and 11) run with torch operations.

The XML lists layers and the edges between their ports; a ``Const`` layer's values are the bytes
of the ``.bin`` at the offset it gives. Only the operations in ``ir_ops.OPERATIONS`` are read: a
graph using any other is refused when it is opened, naming them. Floating-point constants are
module buffers (``.to(device)`` moves them); integer ones, which only ever build shapes, stay on
the CPU.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from maskgan_studio.errors import InputFileError
from maskgan_studio.generated.ir_ops import OPERATIONS

_ELEMENT_TYPES = {"f32": np.float32, "f16": np.float16, "i64": np.int64, "i32": np.int32}
_STRUCTURE = ("Parameter", "Const", "Result")


@dataclass
class _Layer:
    id: str
    type: str
    attrs: dict[str, str]
    inputs: list[tuple[str, str] | None]  # (source layer, source port) per input port, in port order
    outputs: list[str]  # output port ids, in order


def _read_layers(root: ET.Element) -> dict[str, _Layer]:
    sources = {(e.get("to-layer"), e.get("to-port")): (e.get("from-layer"), e.get("from-port"))
               for e in root.iter("edge")}
    layers = {}
    for element in root.iter("layer"):
        layer_id, data = element.get("id"), element.find("data")
        inputs = element.find("input")
        outputs = element.find("output")
        in_ports = [p.get("id") for p in inputs.iter("port")] if inputs is not None else []
        layers[layer_id] = _Layer(
            layer_id, element.get("type"), dict(data.attrib) if data is not None else {},
            [sources.get((layer_id, port)) for port in in_ports],
            [p.get("id") for p in outputs.iter("port")] if outputs is not None else [],
        )
    return layers


def _order(layers: dict[str, _Layer]) -> list[str]:
    """Layer ids with every layer after the layers it reads (depth-first, no recursion)."""
    done: set[str] = set()
    order: list[str] = []
    for start in layers:
        stack = [(start, False)]
        while stack:
            layer_id, expanded = stack.pop()
            if layer_id in done:
                continue
            if expanded:
                done.add(layer_id)
                order.append(layer_id)
                continue
            stack.append((layer_id, True))
            stack.extend((src[0], False) for src in layers[layer_id].inputs if src and src[0] not in done)
    return order


class IRGraph(torch.nn.Module):
    """One IR network with a single input (``Parameter``) and a single output (``Result``)."""

    def __init__(self, xml_path: str | os.PathLike, bin_path: str | os.PathLike | None = None):
        super().__init__()
        xml_path = Path(xml_path)
        bin_path = Path(bin_path) if bin_path is not None else xml_path.with_suffix(".bin")
        try:
            root = ET.parse(xml_path).getroot()
            weights = bin_path.read_bytes()
        except (OSError, ET.ParseError) as exc:
            raise InputFileError(xml_path, f"cannot read the OpenVINO graph: {exc}") from exc
        if root.tag != "net" or root.get("version") not in ("10", "11"):
            raise InputFileError(xml_path, f"not an OpenVINO IR v10/v11 graph (net version {root.get('version')})")
        self.layers = _read_layers(root)
        unknown = sorted({layer.type for layer in self.layers.values()} - set(OPERATIONS) - set(_STRUCTURE))
        if unknown:
            raise InputFileError(xml_path, f"uses operations this reader does not run: {', '.join(unknown)}")
        parameters = [layer.id for layer in self.layers.values() if layer.type == "Parameter"]
        results = [layer.id for layer in self.layers.values() if layer.type == "Result"]
        if len(parameters) != 1 or len(results) != 1:
            raise InputFileError(xml_path, f"has {len(parameters)} inputs and {len(results)} outputs; one of each is read")
        self.parameter, self.result = parameters[0], results[0]
        self.order = _order(self.layers)
        self.shape_constants: dict[str, torch.Tensor] = {}
        for layer in self.layers.values():
            if layer.type == "Const":
                self._add_constant(layer, weights, xml_path)
        self._last_use = {}
        for position, layer_id in enumerate(self.order):
            for source in self.layers[layer_id].inputs:
                if source is not None:
                    self._last_use[source] = position

    def _add_constant(self, layer: _Layer, weights: bytes, xml_path: Path) -> None:
        dtype = _ELEMENT_TYPES.get(layer.attrs.get("element_type"))
        if dtype is None:
            raise InputFileError(xml_path, f"constant {layer.id} has element type {layer.attrs.get('element_type')}")
        shape = _ints_or_scalar(layer.attrs.get("shape", ""))
        offset, size = int(layer.attrs["offset"]), int(layer.attrs["size"])
        if offset + size > len(weights):
            raise InputFileError(xml_path, f"constant {layer.id} reaches past the end of the .bin file")
        values = np.frombuffer(weights, dtype, count=size // np.dtype(dtype).itemsize, offset=offset).reshape(shape)
        tensor = torch.from_numpy(values.copy())
        if tensor.is_floating_point():
            self.register_buffer(f"const_{layer.id}", tensor.float())
        else:
            self.shape_constants[layer.id] = tensor.long()

    def _constant(self, layer_id: str) -> torch.Tensor:
        return self.shape_constants.get(layer_id, getattr(self, f"const_{layer_id}", None))

    def forward(self, data: torch.Tensor) -> torch.Tensor:
        values: dict[tuple[str, str], torch.Tensor] = {}
        for position, layer_id in enumerate(self.order):
            layer = self.layers[layer_id]
            if layer.type == "Parameter":
                outputs = [data]
            elif layer.type == "Const":
                outputs = [self._constant(layer_id)]
            elif layer.type == "Result":
                return values[layer.inputs[0]]
            else:
                inputs = [values[source] if source else None for source in layer.inputs]
                try:
                    outputs = OPERATIONS[layer.type](layer.attrs, *inputs)
                except NotImplementedError as exc:
                    raise ValueError(f"layer {layer_id} ({layer.type}): {exc} is not supported") from exc
            for port, value in zip(layer.outputs, outputs):
                values[(layer_id, port)] = value
            for source in layer.inputs:
                if source is not None and self._last_use.get(source) == position:
                    values.pop(source, None)
        raise ValueError("the graph has no Result layer reached from its input")


def _ints_or_scalar(text: str) -> list[int]:
    return [int(v) for v in text.split(",") if v.strip()] if text.strip() else []
