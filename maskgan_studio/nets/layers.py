"""Building blocks shared by the networks, named so the published state-dict keys come out as-is.

AdaIN layers never hold their affine parameters: each call receives them as an argument, so one
module can serve several styles (and threads) at once. The published code wrote them onto the
modules before every forward (``assign_adain_params``); this layout keeps its key names only.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def one_hot(labels: torch.Tensor, num_classes: int = 19) -> torch.Tensor:
    """Integer class map (B, H, W) or (H, W) -> float one-hot (B, C, H, W)."""
    if labels.is_floating_point():
        raise TypeError("one_hot expects an integer class map")
    if labels.dim() == 2:
        labels = labels.unsqueeze(0)
    if labels.dim() != 3:
        raise ValueError(f"one_hot expects (B, H, W) or (H, W), got shape {tuple(labels.shape)}")
    # written in place, channels first: one pass, where F.one_hot's (B, H, W, C) needs a second
    # to become contiguous (C, H, W); an id out of range raises, as there
    labels = labels.long()
    encoded = torch.zeros(labels.shape[0], num_classes, *labels.shape[1:], device=labels.device)
    return encoded.scatter_(1, labels.unsqueeze(1), 1.0)


class AdaptiveInstanceNorm2d(nn.Module):
    """Instance norm whose per-sample scale and shift come in with the call.

    ``params`` is (B, 2C): C values of bias (mean), then C values of weight (std). The
    ``running_mean``/``running_var`` buffers are never used; they exist because every
    published checkpoint carries them.
    """

    def __init__(self, num_features: int, eps: float = 1e-5):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    @property
    def num_params(self) -> int:
        return 2 * self.num_features

    def forward(self, x: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        c = self.num_features
        bias = params[:, :c, None, None]
        weight = params[:, c : 2 * c, None, None]
        return F.instance_norm(x, eps=self.eps) * weight + bias


class Conv2dBlock(nn.Module):
    """Pad, conv, optional norm, optional ReLU (the published ``Conv2dBlock`` keys: ``conv``, ``norm``).

    ``norm`` is "none", "instance" (no affine, no keys) or "adain" (parameters per call).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int = 0,
        norm: str = "none",
        activation: bool = True,
    ):
        super().__init__()
        self.pad = nn.ReflectionPad2d(padding)
        if norm == "adain":
            self.norm = AdaptiveInstanceNorm2d(out_channels)
        elif norm == "instance":
            self.norm = nn.InstanceNorm2d(out_channels)
        elif norm == "none":
            self.norm = None
        else:
            raise ValueError(f"unknown norm {norm!r}")
        self.activation = nn.ReLU(inplace=True) if activation else None
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x: torch.Tensor, adain_params: torch.Tensor | None = None) -> torch.Tensor:
        x = self.conv(self.pad(x))
        if isinstance(self.norm, AdaptiveInstanceNorm2d):
            x = self.norm(x, adain_params)
        elif self.norm is not None:
            x = self.norm(x)
        if self.activation is not None:
            x = self.activation(x)
        return x


class ResBlock(nn.Module):
    """``x + B(x)``, B = two 3x3 reflection-padded conv blocks, ReLU between them."""

    def __init__(self, dim: int, norm: str):
        super().__init__()
        self.conv_block = nn.Sequential(
            Conv2dBlock(dim, dim, 3, 1, 1, norm=norm, activation=True),
            Conv2dBlock(dim, dim, 3, 1, 1, norm=norm, activation=False),
        )
        self.uses_adain = norm == "adain"

    @property
    def num_adain_params(self) -> int:
        return sum(block.norm.num_params for block in self.conv_block) if self.uses_adain else 0

    def forward(self, x: torch.Tensor, adain_params: torch.Tensor | None = None) -> torch.Tensor:
        first, second = self.conv_block
        if self.uses_adain:
            split = first.norm.num_params
            h = second(first(x, adain_params[:, :split]), adain_params[:, split:])
        else:
            h = second(first(x))
        return x + h


def encoder_decoder(
    input_nc: int, output_nc: int, ngf: int, n_downsample: int, n_blocks: int, block_norm: str, last: nn.Module
) -> nn.Sequential:
    """The pix2pixHD global generator's shape as one ``model`` sequence (indices as published).

    7x7 in; ``n_downsample`` stride-2 convs doubling the width; ``n_blocks`` residual blocks;
    as many transposed convs back; 7x7 out followed by ``last`` (tanh or sigmoid).
    """
    layers: list[nn.Module] = [
        nn.ReflectionPad2d(3),
        nn.Conv2d(input_nc, ngf, 7),
        nn.InstanceNorm2d(ngf),
        nn.ReLU(inplace=True),
    ]
    for i in range(n_downsample):
        width = ngf * 2**i
        layers += [nn.Conv2d(width, width * 2, 3, 2, 1), nn.InstanceNorm2d(width * 2), nn.ReLU(inplace=True)]
    widest = ngf * 2**n_downsample
    layers += [ResBlock(widest, block_norm) for _ in range(n_blocks)]
    for i in range(n_downsample, 0, -1):
        width = ngf * 2**i
        layers += [
            nn.ConvTranspose2d(width, width // 2, 3, 2, 1, output_padding=1),
            nn.InstanceNorm2d(width // 2),
            nn.ReLU(inplace=True),
        ]
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, 7), last]
    return nn.Sequential(*layers)


def run_encoder_decoder(
    model: nn.Sequential, x: torch.Tensor, adain_params: torch.Tensor | None = None
) -> torch.Tensor:
    """Apply ``model`` handing each AdaIN residual block its slice of ``adain_params`` (B, N)."""
    offset = 0
    for layer in model:
        if isinstance(layer, ResBlock) and layer.uses_adain:
            count = layer.num_adain_params
            x = layer(x, adain_params[:, offset : offset + count])
            offset += count
        else:
            x = layer(x)
    return x
