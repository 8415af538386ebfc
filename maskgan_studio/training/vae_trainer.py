"""The MaskVAE learns face masks: per-pixel cross-entropy plus a weighted KL term.

Its latent space is what stage 2 (EBST) walks through to simulate edits, and what the editor's
strength slider interpolates in. Progress is the reconstruction mIoU on held-out masks.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from maskgan_studio.checkpoints import Model
from maskgan_studio.labels import colorize
from maskgan_studio.nets import DMNGenerator, MaskVAE, one_hot
from maskgan_studio.training.config import TrainConfig
from maskgan_studio.training.losses import confusion_counts, kl_divergence, mean_iou
from maskgan_studio.training.runtime import Runtime
from maskgan_studio.training.trainer import Losses, Trainer


class VAETrainer(Trainer):
    stage = "vae"
    needs_images = False

    def __init__(
        self, config: TrainConfig, runtime: Runtime, vae: MaskVAE | None = None, dmn: DMNGenerator | None = None
    ):
        super().__init__(config, runtime)
        self.vae = (vae or MaskVAE(config.vae)).to(self.device).train()
        # The DMN of an --init bundle rides along unchanged into this bundle; without one, the
        # bundle holds the MaskVAE alone.
        self.dmn = dmn
        self.wrapped = runtime.wrap(self.vae)
        self.nets.update(vae=self.vae, **({"dmn": dmn} if dmn is not None else {}))
        self._add_optimizer("vae", self.vae.parameters())

    def g_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        mask = self.to_device(batch)["mask"]
        with self.autocast():
            logits, mu, logvar = self.wrapped(one_hot(mask, self.config.vae.nc))
        losses = {"ce": F.cross_entropy(logits.float(), mask), "kl": kl_divergence(mu, logvar)}
        return self._update("vae", losses, {"ce": 1.0, "kl": self.config.loss.kl})

    @torch.no_grad()
    def reconstruct(self, mask: torch.Tensor) -> torch.Tensor:
        """Held-out masks through the encoder's mean and the decoder (eval mode), as label maps."""
        self.vae.eval()
        try:
            mask = mask.to(self.device).long()
            return self.vae(one_hot(mask, self.config.vae.nc))[0].argmax(1)
        finally:
            self.vae.train()

    @torch.no_grad()
    def evaluate(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        mask = batch["mask"].to(self.device).long()
        intersection, union = confusion_counts(self.reconstruct(mask), mask, self.config.vae.nc)
        return {"val_miou": mean_iou(intersection, union)}

    @torch.no_grad()
    def sample_columns(self, batch: dict[str, torch.Tensor]) -> list[list[np.ndarray]]:
        """mask | reconstruction."""
        decoded = self.reconstruct(batch["mask"]).cpu().numpy()
        return [[colorize(m.numpy()) for m in batch["mask"]], [colorize(m.astype(np.uint8)) for m in decoded]]

    def bundle(self) -> Model:
        return Model(
            dmn=self.dmn,
            vae=self.vae,
            resolution=self.config.resolution,
            name=f"{self.config.preset}-{self.stage}",
            source="maskgan-studio train",
        )
