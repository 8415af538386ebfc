"""The alpha blender: two images in, a per-pixel, per-channel weight between them out."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from maskgan_studio.nets.config import NetConfig
from maskgan_studio.nets.layers import encoder_decoder


@dataclass(frozen=True)
class BlenderConfig(NetConfig):
    input_nc: int = 6
    output_nc: int = 3
    ngf: int = 32
    n_downsample: int = 3
    n_blocks: int = 3


class AlphaBlender(nn.Module):
    """The DMN backbone's shape with instance-normed residual blocks and a sigmoid output."""

    def __init__(self, config: BlenderConfig | None = None):
        super().__init__()
        self.config = config = config or BlenderConfig()
        self.model = encoder_decoder(
            config.input_nc, config.output_nc, config.ngf, config.n_downsample, config.n_blocks,
            "instance", nn.Sigmoid(),
        )

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """Images (B, 3, H, W) in [-1, 1] -> alpha (B, 3, H, W) in [0, 1], the weight of ``a``."""
        return self.model(torch.cat([a, b], dim=1))

    def blend(self, a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """-> (a * alpha + b * (1 - alpha), alpha)."""
        alpha = self(a, b)
        return a * alpha + b * (1 - alpha), alpha
