"""MaskGAN's spatial-aware style encoder: a label encoder whose features modulate (SFT) an image encoder.

The published widths are 16, 32, 64 (``nf = 16``); the depth is fixed by the two SFT points,
1/4 and 1/32 of the input size, so inputs must be a multiple of 32 pixels on each side.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from maskgan_studio.nets.layers import Conv2dBlock


class LabelEncoder(nn.Module):
    """One-hot reference mask -> (f1 at 1/4 size, f2 at 1/32 size), each ``4 * nf`` channels."""

    def __init__(self, label_nc: int, nf: int = 16):
        super().__init__()
        width = 4 * nf
        self.model = nn.Sequential(
            Conv2dBlock(label_nc, nf, 7, 1, 3),
            Conv2dBlock(nf, 2 * nf, 4, 2, 1),
            Conv2dBlock(2 * nf, width, 4, 2, 1, activation=False),
        )
        self.model_last = nn.Sequential(
            nn.ReLU(),
            Conv2dBlock(width, width, 4, 2, 1),
            Conv2dBlock(width, width, 4, 2, 1),
            Conv2dBlock(width, width, 4, 2, 1, activation=False),
        )

    def forward(self, label: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f1 = self.model(label)
        return f1, self.model_last(f1)


class SFTLayer(nn.Module):
    """Spatial feature transform: ``h * scale(f) + shift(f)``, each a 1x1 conv pair."""

    def __init__(self, channels: int = 64):
        super().__init__()
        self.SFT_scale_conv1 = nn.Conv2d(channels, channels, 1)
        self.SFT_scale_conv2 = nn.Conv2d(channels, channels, 1)
        self.SFT_shift_conv1 = nn.Conv2d(channels, channels, 1)
        self.SFT_shift_conv2 = nn.Conv2d(channels, channels, 1)

    def forward(self, h: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        scale = self.SFT_scale_conv2(F.leaky_relu(self.SFT_scale_conv1(condition), 0.1))
        shift = self.SFT_shift_conv2(F.leaky_relu(self.SFT_shift_conv1(condition), 0.1))
        return h * scale + shift


class StyleEncoder(nn.Module):
    """Style image + label features -> (AdaIN parameters (B, N), pooled feature (B, 4 * nf))."""

    def __init__(self, num_style_params: int, input_nc: int = 3, nf: int = 16):
        super().__init__()
        width = 4 * nf
        self.model = nn.Sequential(
            Conv2dBlock(input_nc, nf, 7, 1, 3),
            Conv2dBlock(nf, 2 * nf, 4, 2, 1),
            Conv2dBlock(2 * nf, width, 4, 2, 1),
        )
        self.model_middle = nn.Sequential(*(Conv2dBlock(width, width, 4, 2, 1) for _ in range(3)))
        self.model_last = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(width, num_style_params, 1))
        self.sft1 = SFTLayer(width)
        self.sft2 = SFTLayer(width)

    def forward(
        self, image: torch.Tensor, f1: torch.Tensor, f2: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.sft1(self.model(image), f1)
        h = self.sft2(self.model_middle(h), f2)
        pool, project = self.model_last
        pooled = pool(h)
        return project(pooled).flatten(1), pooled.flatten(1)
