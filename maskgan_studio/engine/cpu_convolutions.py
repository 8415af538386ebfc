"""The generator's convolutions recast, for OpenVINO's CPU plugin, as the same functions in forms
that it runs faster: what the backend converts instead of the module itself.

Measured on the 2-core AVX-512-BF16 CPU here (one layer at a time, then the whole generator;
README "Performance"): a 3x3 convolution of 1024 channels on the 32x32 grid of the full-size
residual blocks takes about 47 ms in bf16 and 100 ms in fp32 as one convolution; as Winograd
F(2x2, 3x3) (2.25 times fewer multiplications, run as one grouped 1x1 convolution) about 32 ms in
bf16, and as F(4x4, 3x3) (4 times fewer) about 57 ms in fp32. The last 7x7 convolution, 64
channels to 3 at 512x512, wastes most of each vector on its three outputs (about 100 ms in bf16,
250 in fp32) and takes 66 and 123 ms as a 1x7 convolution to 21 channels whose rows are then
summed. The full-size preview's 16x16 grid takes F(2, 3) in both precisions (F(4, 3) would hold
another 1.2 GB of fp32 kernels for it). Narrower residual blocks (the bundled model's 384
channels) ran slower as Winograd, so they stay as they are; so does the first 7x7 convolution
(19 one-hot channels in), which ran slower in every other form tried."""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch import nn

# A cache entry converted from an older form of these rewrites must not be taken for this one.
VERSION = 3
WINOGRAD_MIN_CHANNELS = 1024
FEW_OUTPUTS = 4

# Winograd F(m x m, 3x3) (Lavin and Gray 2016): y = A^T [(G g G^T) * (B^T d B)] A on (m + 2)^2 tiles.
# F(2, 3) keeps bf16's error near a plain convolution's; F(4, 3) needs 1.8 times fewer
# multiplications again, but its larger coefficients cost bf16 about 8 times the error: fp32 only.
_F2 = (((1, 0, -1, 0), (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, 0, -1)),
       ((1, 0, 0), (1 / 2, 1 / 2, 1 / 2), (1 / 2, -1 / 2, 1 / 2), (0, 0, 1)),
       ((1, 1, 1, 0), (0, 1, -1, -1)))
_F4 = (((4, 0, -5, 0, 1, 0), (0, -4, -4, 1, 1, 0), (0, 4, -4, -1, 1, 0), (0, -2, -1, 2, 1, 0),
        (0, 2, -1, -2, 1, 0), (0, 4, 0, -5, 0, 1)),
       ((1 / 4, 0, 0), (-1 / 6, -1 / 6, -1 / 6), (-1 / 6, 1 / 6, -1 / 6), (1 / 24, 1 / 12, 1 / 6),
        (1 / 24, -1 / 12, 1 / 6), (0, 0, 1)),
       ((1, 1, 1, 1, 1, 0), (0, 1, -1, 2, -2, 0), (0, 1, 1, 4, 4, 0), (0, 1, -1, 8, -8, 1)))
WINOGRAD = {2: _F2, 4: _F4}


def _combine(coefficients: tuple[float, ...], terms: list[torch.Tensor]) -> torch.Tensor:
    """sum(c * t), skipping zeros; +-1 as adds and subtractions."""
    total = None
    for c, term in zip(coefficients, terms):
        if c == 0:
            continue
        if total is None:
            total = term if c == 1 else term * c
        elif c in (1, -1):
            total = total + term if c == 1 else total - term
        else:
            total = total + term * c
    return total


class Winograd3x3(nn.Module):
    """A 3x3, stride-1, unpadded convolution (its input already padded) computed as Winograd
    F(m x m, 3x3): the (m + 2)^2 transformed tiles of every input channel are multiplied by as many
    transformed kernels in one grouped 1x1 convolution. m is the largest of ``tiles`` whose
    ``MIN_SIZE`` the output reaches and that divides its height and width (known when traced);
    where none does, it is one plain convolution. F(m, 3)'s kernels take (m + 2)^2 / 9 times the
    weights' memory: 4x for F(4, 3), 150 MB per 1024-channel layer in fp32."""

    MIN_SIZE = {4: 32, 2: 16}  # the full-size residual grids: 32x32 at 512, 16x16 in the preview

    def __init__(self, conv: nn.Conv2d, tiles: tuple[int, ...]):
        super().__init__()
        self.tiles = tiles
        self.plain = conv

    def kernels(self, m: int) -> torch.Tensor:
        """G g G^T for every pair of channels: (m + 2)^2 groups of (out, in, 1, 1). Made at the first
        call for m (only the tiles used take memory: F(4, 3)'s are 4x the weights), so that a
        trace finds them in place after one eager call."""
        name = f"kernels_{m}"
        if not hasattr(self, name):  # a buffer: the module's state, read by the trace like a weight
            weight = self.plain.weight.detach()
            g = torch.tensor(WINOGRAD[m][1], dtype=torch.float64)
            u = torch.einsum("kr,oirs,ls->kloi", g, weight.double(), g)  # (m + 2, m + 2, out, in)
            self.register_buffer(name, u.reshape(-1, weight.shape[1], 1, 1).to(weight.dtype))
        return getattr(self, name)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Python ints: traced as constants (the backend traces each size), so an exporter knows
        # every shape, the output's channels included (ONNX's instance norm after it needs them)
        batch, _, height, width = (int(size) for size in x.shape)
        fitting = [m for m in self.tiles if min(height, width) - 2 >= self.MIN_SIZE[m]
                   and (height - 2) % m == 0 and (width - 2) % m == 0]
        if not fitting:
            return self.plain(x)
        m = fitting[0]
        n, out, (bt, _, at) = m + 2, self.plain.out_channels, WINOGRAD[m]
        tiles_y, tiles_x = (height - 2) // m, (width - 2) // m
        d = [[x[:, :, r : r + m * tiles_y : m, c : c + m * tiles_x : m] for c in range(n)] for r in range(n)]
        rows = [[_combine(bt[k], [d[r][c] for r in range(n)]) for c in range(n)] for k in range(n)]
        v = torch.cat([_combine(bt[j], rows[k]) for k in range(n) for j in range(n)], dim=1)
        p = F.conv2d(v, self.kernels(m), groups=n * n)  # (B, n * n * out, tiles_y, tiles_x)
        p = [[p[:, (n * k + j) * out : (n * k + j + 1) * out] for j in range(n)] for k in range(n)]
        rows = [[_combine(at[a], [p[k][j] for k in range(n)]) for j in range(n)] for a in range(m)]
        y = torch.stack([_combine(at[b], rows[a]) for a in range(m) for b in range(m)], dim=2)
        y = F.pixel_shuffle(y.reshape(batch, m * m * out, tiles_y, tiles_x), m)
        return y if self.plain.bias is None else y + self.plain.bias.view(1, -1, 1, 1)


class RowSumConv(nn.Module):
    """A k x k, stride-1, unpadded convolution with few outputs as a 1 x k convolution to k times as
    many channels (one per output and kernel row), whose k rows are then summed, each shifted by
    its offset."""

    def __init__(self, conv: nn.Conv2d):
        super().__init__()
        weight = conv.weight.detach()
        out, size = weight.shape[0], weight.shape[2]
        self.out_channels, self.size = out, size
        # channel row * out + o holds kernel row ``row`` of output o
        self.register_buffer("rows", weight.permute(2, 0, 1, 3).reshape(size * out, weight.shape[1], 1, size).clone())
        bias = conv.bias.detach() if conv.bias is not None else torch.zeros_like(weight[:, 0, 0, 0])
        self.register_buffer("bias", bias.view(1, -1, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = F.conv2d(x, self.rows)  # (B, size * out, H + size - 1, W)
        height, out = x.shape[2] - self.size + 1, self.out_channels
        y = z[:, :out, :height]
        for row in range(1, self.size):
            y = y + z[:, row * out : (row + 1) * out, row : row + height]
        return y + self.bias


def _plain(conv: nn.Conv2d) -> bool:
    return (conv.stride == (1, 1) and conv.padding == (0, 0) and conv.dilation == (1, 1) and conv.groups == 1
            and conv.kernel_size[0] == conv.kernel_size[1])


def _recast(conv: nn.Conv2d, precision: str) -> nn.Module | None:
    if not _plain(conv):
        return None
    if conv.kernel_size == (3, 3) and conv.in_channels >= WINOGRAD_MIN_CHANNELS:
        return Winograd3x3(conv, (4, 2) if precision == "fp32" else (2,))
    if conv.kernel_size[0] >= 5 and conv.out_channels <= FEW_OUTPUTS:
        return RowSumConv(conv)
    return None


def for_the_cpu(module: nn.Module, precision: str) -> nn.Module:
    """A copy of ``module`` (which is left as it is) with each convolution that runs faster in
    ``precision`` ("fp32" or "bf16") recast (``Winograd3x3``, ``RowSumConv``): the same function up
    to float rounding. Trace it for each input size (a Winograd layer's form depends on it), after
    one eager call at that size (which makes the Winograd kernels that size uses)."""
    recast = copy.deepcopy(module)
    for parent in list(recast.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Conv2d) and (faster := _recast(child, precision)) is not None:
                setattr(parent, name, faster)
    return recast
