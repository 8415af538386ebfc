"""The torch reader of OpenVINO IR graphs against OpenVINO itself."""

import numpy as np
import pytest
import torch

from maskgan_studio.errors import InputFileError
from maskgan_studio.generated import face_generator
from maskgan_studio.generated.ir_graph import IRGraph
from maskgan_studio.generated.ir_ops import OPERATIONS

ov = pytest.importorskip("openvino")
ops = pytest.importorskip("openvino.opset13")


def _const(rng, *shape):
    return ops.constant(rng.standard_normal(shape).astype(np.float32))


def _ints(values, dtype=np.int64):
    return ops.constant(np.array(values, dtype=dtype))


def every_operation_model():
    """A small network that uses every operation the reader runs, with a free batch size (so
    ShapeOf stays in the graph rather than being folded into constants)."""
    rng = np.random.default_rng(7)
    x = ops.parameter([-1, 4, 6, 6], np.float32, name="x")
    conv = ops.convolution(x, _const(rng, 5, 4, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1])
    act = ops.prelu(ops.add(conv, _const(rng, 1, 5, 1, 1)), ops.constant(np.linspace(0.1, 0.5, 5, dtype=np.float32)))
    depthwise = ops.group_convolution(act, _const(rng, 5, 1, 1, 3, 3), [1, 1], [1, 0], [1, 2], [1, 1])
    up = ops.group_convolution_backprop_data(depthwise, _const(rng, 5, 1, 2, 2, 1), [2, 1])
    first, rest = ops.variadic_split(up, _ints(1), _ints([4, -1])).outputs()
    squared = ops.power(ops.multiply(first, ops.constant(np.float32(0.5))), ops.constant(np.float32(2.0)))
    pooled = ops.reduce_mean(squared, _ints([2, 3]), keep_dims=True)
    batch = ops.unsqueeze(ops.gather(ops.shape_of(pooled), _ints(0, np.int32), _ints(0)), _ints([0]))
    flat = ops.reshape(pooled, ops.concat([batch, _ints([-1])], 0), special_zero=False)
    mixed = ops.matmul(flat, _const(rng, 3, 4), transpose_a=False, transpose_b=True)
    mixed = ops.squeeze(ops.unsqueeze(mixed, _ints([1])), _ints([1]))
    offset = ops.broadcast(_const(rng, 1, 3), ops.concat([batch, _ints([3])], 0))
    widened = ops.broadcast(_const(rng, 1, 1), _ints([1, 3]), broadcast_spec="BIDIRECTIONAL")
    tiled = ops.tile(ops.add(ops.add(mixed, offset), widened), _ints([1, 2]))
    rest_flat = ops.reshape(rest, _ints([0, -1]), special_zero=True)
    out = ops.concat([tiled, rest_flat], 1)
    return ov.Model([ops.result(out)], [x], "every_operation")


def _openvino(xml, data):
    core = ov.Core()
    model = core.read_model(xml)
    compiled = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    return compiled(data)[0]


def test_reader_matches_openvino_on_every_operation(tmp_path):
    xml = tmp_path / "every.xml"
    ov.save_model(every_operation_model(), xml, compress_to_fp16=False)
    graph = IRGraph(xml)
    used = {layer.type for layer in graph.layers.values()} - {"Parameter", "Const", "Result"}
    assert used == set(OPERATIONS)
    for batch in (1, 3):
        data = np.random.default_rng(batch).standard_normal((batch, 4, 6, 6)).astype(np.float32)
        with torch.no_grad():
            ours = graph(torch.from_numpy(data)).numpy()
        reference = _openvino(xml, data)
        assert ours.shape == reference.shape
        np.testing.assert_allclose(ours, reference, atol=1e-3, rtol=0)


def test_an_unknown_operation_is_refused_by_name(tmp_path):
    x = ops.parameter([1, 3], np.float32)
    xml = tmp_path / "sigmoid.xml"
    ov.save_model(ov.Model([ops.result(ops.sigmoid(x))], [x]), xml, compress_to_fp16=False)
    with pytest.raises(InputFileError, match="Sigmoid"):
        IRGraph(xml)


def test_mobilestylegan_mapping_network_matches_openvino():
    folder = face_generator.data_folder()
    if folder is None:
        pytest.skip(face_generator.MISSING)
    xml = folder / "MappingNetwork.xml"
    latents = face_generator.face_latents(3, [0, 1])
    with torch.no_grad():
        ours = IRGraph(xml)(torch.from_numpy(latents)).numpy()
    core = ov.Core()
    model = core.read_model(xml)
    model.reshape([2, 512])
    reference = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})(latents)[0]
    np.testing.assert_allclose(ours, reference, atol=1e-3, rtol=0)
