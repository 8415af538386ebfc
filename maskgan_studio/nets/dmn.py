"""The Dense Mapping Network generator: a mask drawn in the style of a reference face.

``encode_style`` runs once per reference; ``generate`` then draws any number of masks with that
style. The style is an argument all the way down, so one module serves many threads.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from maskgan_studio.nets.config import NetConfig
from maskgan_studio.nets.layers import encoder_decoder, one_hot, run_encoder_decoder
from maskgan_studio.nets.style_encoder import LabelEncoder, StyleEncoder


@dataclass(frozen=True)
class DMNConfig(NetConfig):
    """Published sizes by default. ``style_nf`` is the style/label encoders' base width (16, 32, 64)."""

    label_nc: int = 19
    output_nc: int = 3
    ngf: int = 64
    n_downsample: int = 4
    n_blocks: int = 4
    style_nf: int = 16

    @property
    def num_style_params(self) -> int:
        """Two AdaIN layers per residual block, each a bias and a weight per channel."""
        return self.n_blocks * 2 * 2 * self.ngf * 2**self.n_downsample

    @property
    def size_multiple(self) -> int:
        """Input height and width must be multiples of this (backbone and style encoder strides)."""
        return max(2**self.n_downsample, 32)


class DMNGenerator(nn.Module):
    def __init__(self, config: DMNConfig | None = None):
        super().__init__()
        self.config = config = config or DMNConfig()
        self.model = encoder_decoder(
            config.label_nc, config.output_nc, config.ngf, config.n_downsample, config.n_blocks, "adain", nn.Tanh()
        )
        self.enc_style = StyleEncoder(config.num_style_params, config.output_nc, config.style_nf)
        self.enc_label = LabelEncoder(config.label_nc, config.style_nf)

    def _as_one_hot(self, label: torch.Tensor) -> torch.Tensor:
        if label.is_floating_point():
            return label
        return one_hot(label, self.config.label_nc).to(next(self.parameters()).dtype)

    def encode_style_features(
        self, label_ref: torch.Tensor, image_ref: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """-> (style (B, num_style_params), pooled style feature (B, 4 * style_nf))."""
        f1, f2 = self.enc_label(self._as_one_hot(label_ref))
        return self.enc_style(image_ref, f1, f2)

    def encode_style(self, label_ref: torch.Tensor, image_ref: torch.Tensor) -> torch.Tensor:
        """Reference mask (one-hot (B, C, H, W) or ids (B, H, W)) and image in [-1, 1] -> AdaIN parameters."""
        return self.encode_style_features(label_ref, image_ref)[0]

    def generate(self, label: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        """Mask to draw (one-hot or ids) and a style from ``encode_style`` -> image (B, 3, H, W) in [-1, 1]."""
        if style.shape[-1] != self.config.num_style_params:
            raise ValueError(f"style has {style.shape[-1]} values, this network needs {self.config.num_style_params}")
        return run_encoder_decoder(self.model, self._as_one_hot(label), style)

    def forward(self, label: torch.Tensor, label_ref: torch.Tensor, image_ref: torch.Tensor) -> torch.Tensor:
        return self.generate(label, self.encode_style(label_ref, image_ref))
