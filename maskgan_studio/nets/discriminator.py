"""pix2pixHD's multi-scale PatchGAN discriminator with intermediate features for feature matching.

Keys are the published ``scale{i}_layer{j}.0.weight``. As in pix2pixHD, the full-scale input
goes through ``scale{num_D - 1}`` and each coarser scale through the next lower index.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from maskgan_studio.nets.config import NetConfig


@dataclass(frozen=True)
class DiscriminatorConfig(NetConfig):
    input_nc: int = 22
    ndf: int = 64
    n_layers: int = 3
    num_D: int = 2
    intermediate_features: bool = True


def _patch_layers(input_nc: int, ndf: int, n_layers: int) -> list[nn.Sequential]:
    """Conv 4x4 stages: stride 2 for the first ``n_layers``, then stride 1, then a 1-channel prediction."""
    layers = [nn.Sequential(nn.Conv2d(input_nc, ndf, 4, 2, 2), nn.LeakyReLU(0.2, inplace=True))]
    width = ndf
    for i in range(1, n_layers + 1):
        previous, width = width, min(width * 2, 512)
        stride = 2 if i < n_layers else 1
        layers.append(
            nn.Sequential(
                nn.Conv2d(previous, width, 4, stride, 2), nn.InstanceNorm2d(width), nn.LeakyReLU(0.2, inplace=True)
            )
        )
    layers.append(nn.Sequential(nn.Conv2d(width, 1, 4, 1, 2)))
    return layers


class MultiscaleDiscriminator(nn.Module):
    def __init__(self, config: DiscriminatorConfig | None = None):
        super().__init__()
        self.config = config = config or DiscriminatorConfig()
        for scale in range(config.num_D):
            for j, layer in enumerate(_patch_layers(config.input_nc, config.ndf, config.n_layers)):
                setattr(self, f"scale{scale}_layer{j}", layer)
        self.downsample = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)

    def forward(self, x: torch.Tensor) -> list[list[torch.Tensor]]:
        """Label and image concatenated (B, input_nc, H, W) -> per scale (full first) a list of
        the intermediate features with the patch prediction last (just the prediction when
        ``intermediate_features`` is off)."""
        config = self.config
        results = []
        for i in range(config.num_D):
            scale = config.num_D - 1 - i
            features = []
            h = x
            for j in range(config.n_layers + 2):
                h = getattr(self, f"scale{scale}_layer{j}")(h)
                features.append(h)
            results.append(features if config.intermediate_features else features[-1:])
            if i != config.num_D - 1:
                x = self.downsample(x)
        return results
