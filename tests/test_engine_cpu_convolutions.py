"""The convolutions recast for OpenVINO's CPU plugin compute what the plain ones compute."""

import numpy as np
import pytest
import torch
from torch import nn

from maskgan_studio.engine import cpu_convolutions
from maskgan_studio.engine.cpu_convolutions import RowSumConv, Winograd3x3, for_the_cpu
from maskgan_studio.engine.device import cpu_has_native_bf16
from maskgan_studio.engine.openvino_backend import ConvertedNet


def _conv(in_channels, out_channels, size, seed=0):
    torch.manual_seed(seed)
    return nn.Conv2d(in_channels, out_channels, size).double()


@pytest.mark.parametrize("tile", [2, 4])
def test_winograd_is_the_plain_convolution(tile):
    conv = _conv(12, 10, 3)
    x = torch.randn(2, 12, 2 + 36, 2 + 32, dtype=torch.float64)  # a 36x32 output: whole tiles
    recast = Winograd3x3(conv, (tile,))
    assert torch.allclose(recast(x), conv(x), atol=1e-10)
    assert not torch.equal(recast(x), conv(x))  # rounded otherwise: the Winograd path ran, not the plain one


@pytest.mark.parametrize(("tiles", "size", "plain"), [((4,), 34, True), ((4, 2), 34, False), ((4, 2), 16, False),
                                                      ((2,), 14, True)])
def test_winograd_takes_the_largest_tile_that_fits_and_pays_else_one_convolution(tiles, size, plain):
    """34: not whole 4x4 tiles, whole 2x2 ones; 16: too small for 4x4 tiles; 14: too small for any."""
    conv = _conv(4, 4, 3)
    x = torch.randn(1, 4, 2 + size, 2 + size, dtype=torch.float64)
    drawn = Winograd3x3(conv, tiles)(x)
    assert torch.allclose(drawn, conv(x), atol=1e-10)
    assert torch.equal(drawn, conv(x)) == plain


def test_row_sums_are_the_plain_convolution():
    conv = _conv(16, 3, 7)
    x = torch.randn(1, 16, 20, 13, dtype=torch.float64)
    assert torch.allclose(RowSumConv(conv)(x), conv(x), atol=1e-10)


def _wide_network():
    """A residual-block-wide 3x3 layer, a stride-2 one and a last 7x7 layer to 3 channels."""
    width = cpu_convolutions.WINOGRAD_MIN_CHANNELS
    torch.manual_seed(1)
    return nn.Sequential(nn.Conv2d(8, width, 1), nn.ReflectionPad2d(1), nn.Conv2d(width, width, 3),
                         nn.Conv2d(width, 8, 3, 2, 1), nn.ReflectionPad2d(3), nn.Conv2d(8, 3, 7)).eval()


@pytest.mark.parametrize(("precision", "tiles"), [("fp32", (4, 2)), ("bf16", (2,))])
def test_for_the_cpu_recasts_wide_3x3_and_few_output_layers_only_and_leaves_the_module(precision, tiles):
    network = _wide_network()
    before = {name: value.clone() for name, value in network.state_dict().items()}
    recast = for_the_cpu(network, precision)
    assert [type(layer) for layer in recast] == [nn.Conv2d, nn.ReflectionPad2d, Winograd3x3, nn.Conv2d,
                                                 nn.ReflectionPad2d, RowSumConv]
    assert recast[2].tiles == tiles
    assert all(torch.equal(value, before[name]) for name, value in network.state_dict().items())
    x = torch.randn(1, 8, 32, 32)
    with torch.no_grad():
        assert torch.allclose(recast(x), network(x), atol=1e-4)


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_openvino_runs_the_recast_network_at_each_size(precision, tmp_path):
    if precision == "bf16" and not cpu_has_native_bf16():
        pytest.skip("this CPU has no bf16 instructions")
    from maskgan_studio.engine.backend_cache import ConversionCache

    network = _wide_network()
    net = ConvertedNet(network, "wide", precision, ConversionCache(tmp_path), recast=for_the_cpu)
    for size in (32, 34):  # a 32x32 3x3 output: whole F(4, 3) tiles; 34x34: F(2, 3) tiles, or one convolution
        x = torch.randn(1, 8, size, size)
        with torch.no_grad():
            expected = network(x)
        drawn = net(x)[0]
        scale = float(expected.abs().mean())
        error = float((drawn - expected).abs().mean()) / scale
        assert error < (1e-5 if precision == "fp32" else 2e-2)
    assert net.conversions == 2  # traced for each size, as its Winograd layers' form depends on it


def test_a_network_call_reuses_an_idle_infer_request_and_calls_at_once_each_get_their_own(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from maskgan_studio.engine.backend_cache import ConversionCache

    network = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU()).eval()
    net = ConvertedNet(network, "small", "fp32", ConversionCache(tmp_path))
    x = torch.randn(1, 3, 32, 32)
    first = net(x)[0]
    assert np.array_equal(net(x)[0].numpy(), first.numpy())
    idle = net._idle_requests[((1, 3, 32, 32),)]  # noqa: SLF001
    assert idle.qsize() == 1  # the second call took the first one's request and gave it back
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: net(x)[0], range(16)))
    assert all(np.array_equal(result.numpy(), first.numpy()) for result in results)
    assert 1 <= idle.qsize() <= 4
