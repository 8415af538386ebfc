"""Edit strength: masks between (and beyond) the source and the edit, from the MaskVAE's latent space.

For strength ``s`` the target latent is ``z_s = z_src + s * (z_edit - z_src)``. As in stage-2
training (``training/ebst_trainer.py``), two masks are decoded symmetrically around the target,
at ``s - PAIR_OFFSET`` and ``s + PAIR_OFFSET``; the generator draws both and the blender fuses
the two drawings into the picture for ``z_s``.

The decoded masks are anchored to the real ones: at latent position ``t`` the class scores are
``lerp(onehot_src, onehot_edit, t) + softmax(decode(z_t)) - lerp(softmax(decode(z_src)),
softmax(decode(z_edit)), t)``. The first term is exact at ``t`` = 0 and 1; the correction adds
only how the VAE's reconstruction *moves* between the anchors, so its blur never reaches pixels
the edit does not touch. Strength exactly 1 (and 0) skips all this: the session draws the edited
(source) mask itself, so ``s = 1`` is the plain edit, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from maskgan_studio.nets import AlphaBlender, MaskVAE, one_hot

PAIR_OFFSET = 0.25
MAX_STRENGTH = 1.5


class _Encode(nn.Module):
    def __init__(self, vae: MaskVAE):
        super().__init__()
        self.vae = vae

    def forward(self, onehot: torch.Tensor) -> torch.Tensor:
        return self.vae.encode(onehot)[0]


class _Decode(nn.Module):
    def __init__(self, vae: MaskVAE):
        super().__init__()
        self.vae = vae

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.vae.decode(z)


class _Blend(nn.Module):
    def __init__(self, blender: AlphaBlender):
        super().__init__()
        self.blender = blender

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return self.blender.blend(a, b)[0]


class StrengthPath:
    """MaskVAE + blender on one device in fp32; the source's latent is cached per style source.
    ``wrap(module, name)`` gives what runs each of the three steps (``backends.net_runner``:
    the module itself for torch, its OpenVINO conversion)."""

    def __init__(self, vae: MaskVAE, blender: AlphaBlender, device: torch.device,
                 wrap: Callable[[nn.Module, str], Callable[..., torch.Tensor]] = lambda module, name: module):
        vae, blender = vae.to(device).eval(), blender.to(device).eval()
        self._encode_mu = wrap(_Encode(vae).eval(), "MaskVAE encoder")
        self._decode = wrap(_Decode(vae).eval(), "MaskVAE decoder")
        self._blend = wrap(_Blend(blender).eval(), "blender")
        self.device = device
        self.num_classes = vae.config.nc
        self._source: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None

    def _encode(self, mask: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """-> (one-hot, latent mu, softmax of the decoded mu), all for one mask at the VAE's size."""
        onehot = one_hot(torch.from_numpy(mask).to(self.device), self.num_classes)
        mu = self._encode_mu(onehot)
        return onehot, mu, self._decode(mu).softmax(1)

    def set_source(self, mask: np.ndarray) -> None:
        """``mask``: uint8 (R, R) at the VAE's resolution."""
        self._source = self._encode(mask)

    def masks(self, edited: np.ndarray, strength: float) -> list[np.ndarray]:
        """The two anchored masks (uint8 (R, R)) at ``strength -+ PAIR_OFFSET``."""
        if self._source is None:
            raise RuntimeError("set_source first")
        onehot_src, z_src, recon_src = self._source
        onehot_edit, z_edit, recon_edit = self._encode(edited)
        positions = torch.tensor([strength - PAIR_OFFSET, strength + PAIR_OFFSET], device=self.device)
        t = positions.view(-1, 1)
        decoded = self._decode(z_src + t * (z_edit - z_src)).softmax(1)
        t = positions.view(-1, 1, 1, 1)
        scores = torch.lerp(onehot_src, onehot_edit, t) + decoded - torch.lerp(recon_src, recon_edit, t)
        return [m.to(torch.uint8).cpu().numpy() for m in scores.argmax(1)]

    def fuse(self, drawn_a: torch.Tensor, drawn_b: torch.Tensor) -> torch.Tensor:
        """Two drawings (1, 3, H, W) in [-1, 1] -> the blender's fusion of them."""
        return self._blend(drawn_a.float(), drawn_b.float())
