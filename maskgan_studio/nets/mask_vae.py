"""MaskVAE: a variational autoencoder of one-hot face masks (MaskGAN's editing-behaviour simulator).

Stages follow the resolution: ``log2(resolution / 4)`` stride-2 convs bring the mask to 4x4
(512 -> 7 stages, 256 -> 6). Module names are the published ones: encoder ``e1..eS`` with
``bn1..bnS``, ``fc1``/``fc2`` for mu/logvar, decoder ``d1`` (linear), ``d2..dS`` with
``bn{S+1}..bn{2S-1}``, and ``d{S+1}`` giving the logits.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from maskgan_studio.nets.config import NetConfig


@dataclass(frozen=True)
class MaskVAEConfig(NetConfig):
    nc: int = 19
    ngf: int = 32
    ndf: int = 32
    latent: int = 1024
    resolution: int = 512

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.resolution < 8 or self.resolution & (self.resolution - 1):
            raise ValueError(f"MaskVAEConfig.resolution must be a power of two of at least 8, got {self.resolution}")

    @property
    def stages(self) -> int:
        return self.resolution.bit_length() - 3  # log2(resolution / 4)


class MaskVAE(nn.Module):
    def __init__(self, config: MaskVAEConfig | None = None):
        super().__init__()
        self.config = config = config or MaskVAEConfig()
        stages = config.stages
        self._deep_enc = config.ndf * 2 ** (stages - 1)
        self._deep_dec = config.ngf * 2 ** (stages - 1)
        in_ch = config.nc
        for i in range(1, stages + 1):
            out_ch = config.ndf * 2 ** (i - 1)
            setattr(self, f"e{i}", nn.Conv2d(in_ch, out_ch, 4, 2, 1))
            setattr(self, f"bn{i}", nn.BatchNorm2d(out_ch))
            in_ch = out_ch
        self.fc1 = nn.Linear(self._deep_enc * 16, config.latent)
        self.fc2 = nn.Linear(self._deep_enc * 16, config.latent)
        self.d1 = nn.Linear(config.latent, self._deep_dec * 16)
        in_ch = self._deep_dec
        for i in range(2, stages + 1):
            setattr(self, f"d{i}", nn.Conv2d(in_ch, in_ch // 2, 3))
            setattr(self, f"bn{stages + i - 1}", nn.BatchNorm2d(in_ch // 2, eps=1e-3))
            in_ch //= 2
        setattr(self, f"d{stages + 1}", nn.Conv2d(in_ch, config.nc, 3))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One-hot mask (B, nc, R, R) -> (mu, logvar), each (B, latent)."""
        h = x
        for i in range(1, self.config.stages + 1):
            h = F.leaky_relu(getattr(self, f"bn{i}")(getattr(self, f"e{i}")(h)), 0.2)
        h = h.flatten(1)
        return self.fc1(h), self.fc2(h)

    @staticmethod
    def _up(h: torch.Tensor) -> torch.Tensor:
        return F.pad(F.interpolate(h, scale_factor=2, mode="nearest"), (1, 1, 1, 1), mode="replicate")

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Latent (B, latent) -> class logits (B, nc, R, R)."""
        stages = self.config.stages
        h = F.relu(self.d1(z)).view(-1, self._deep_dec, 4, 4)
        for i in range(2, stages + 1):
            conv, norm = getattr(self, f"d{i}"), getattr(self, f"bn{stages + i - 1}")
            h = F.leaky_relu(norm(conv(self._up(h))), 0.2)
        return getattr(self, f"d{stages + 1}")(self._up(h))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """-> (logits, mu, logvar). Training samples z = mu + sigma * noise; eval decodes mu."""
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if self.training else mu
        return self.decode(z), mu, logvar
