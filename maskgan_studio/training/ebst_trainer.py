"""Stage 2, editing-behaviour-simulated training (MaskGAN's dual-editing consistency).

For each target mask, the frozen MaskVAE encodes it and another mask of the batch; it decodes one
latent point between them and one beyond the target, at the same random distance, so the target
sits halfway. The DMN draws both edited masks in the target's style and the blender fuses the
two drawings into one image that must match the target. The ordinary stage-1 losses still apply;
the DMN and the blender train together.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from maskgan_studio.checkpoints import Model
from maskgan_studio.labels import colorize
from maskgan_studio.nets import AlphaBlender, DMNGenerator, MaskVAE
from maskgan_studio.training.config import TrainConfig
from maskgan_studio.nets.tensors import tensor_to_image
from maskgan_studio.training.dmn_trainer import DMNTrainer
from maskgan_studio.training.losses import colour_loss
from maskgan_studio.training.runtime import Runtime
from maskgan_studio.training.trainer import Losses
from maskgan_studio.training.vgg import VGGPerceptualLoss


class EBSTTrainer(DMNTrainer):
    stage = "ebst"
    uses_style_source = False

    def __init__(
        self,
        config: TrainConfig,
        runtime: Runtime,
        vgg: VGGPerceptualLoss | None = None,
        dmn: DMNGenerator | None = None,
        vae: MaskVAE | None = None,
        blender: AlphaBlender | None = None,
    ):
        if config.vae.resolution != config.resolution:
            raise ValueError("EBST trains at the MaskVAE's resolution")
        super().__init__(config, runtime, vgg, dmn=dmn, blender=blender or AlphaBlender(config.blender))
        self.vae = (vae or MaskVAE(config.vae)).to(self.device).eval().requires_grad_(False)
        self.nets["vae"] = self.vae

    @torch.no_grad()
    def edited_masks(self, mask: torch.Tensor, alpha: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """-> (inner, outer) label maps decoded from the latent points ``target +- alpha * (other -
        target)``, the other mask being the next one in the batch."""
        mu, _ = self.vae.encode(F.one_hot(mask, self.vae.config.nc).permute(0, 3, 1, 2).float())
        step = alpha.view(-1, 1) * (mu.roll(1, dims=0) - mu)
        inner, outer = self.vae.decode(torch.cat([mu + step, mu - step])).argmax(1).chunk(2)
        return inner, outer

    def _draw_alpha(self, count: int) -> torch.Tensor:
        return torch.rand(count, device=self.device) * self.config.ebst.alpha_max

    def g_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        batch = self.to_device(batch)
        mask, image = batch["mask"], batch["image"]
        label = self._one_hot(mask)
        inner, outer = self.edited_masks(mask, self._draw_alpha(len(mask)))
        with self.autocast():
            out = self.step_module(label, label, image, self._one_hot(inner), self._one_hot(outer))
            losses = self.critic.generator_losses(label, out["fake"], image, "G_")
            if self.colour_head is not None:
                losses["G_colour"] = colour_loss(out["colour"], label, image)
            losses.update(self.critic.generator_losses(label, out["blended"], image, "B_"))
        # The inherited d_step then counts stage-1 drawings and blended images alike as fakes.
        self._drawn = (torch.cat([label, label]), torch.cat([out["fake"], out["blended"]]).detach())
        weights = {**self._generator_weights(), **self.critic.weights_for("B_", self.config.loss.blend)}
        return self._update("generator", losses, weights)

    @torch.no_grad()
    def _halfway(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        batch = self.to_device(batch)
        mask, image = batch["mask"], batch["image"]
        inner, outer = self.edited_masks(mask, torch.full((len(mask),), 0.5, device=self.device))
        label = self._one_hot(mask)
        result = self.generator_step(label, label, image, self._one_hot(inner), self._one_hot(outer))
        return {**result, "inner_mask": inner, "outer_mask": outer}

    @torch.no_grad()
    def evaluate(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        """Mean absolute error of the reconstruction and of the blended dual edit (images in [-1, 1])."""
        result = self._halfway(batch)
        image = batch["image"].to(self.device)
        return {
            "val_l1": float((result["fake"] - image).abs().mean()),
            "val_blend_l1": float((result["blended"] - image).abs().mean()),
        }

    @torch.no_grad()
    def sample_columns(self, batch: dict[str, torch.Tensor]) -> list[list[np.ndarray]]:
        """mask | target | output | inner edit drawn | outer edit drawn | blended."""
        result = self._halfway(batch)
        images = [[tensor_to_image(t) for t in result[key]] for key in ("fake", "inner", "outer", "blended")]
        masks = [colorize(m.numpy()) for m in batch["mask"]]
        return [masks, [tensor_to_image(t) for t in batch["image"]], *images]

    def bundle(self) -> Model:
        return Model(
            dmn=self.dmn,
            vae=self.vae,
            blender=self.blender,
            resolution=self.config.resolution,
            name=f"{self.config.preset}-{self.stage}",
            source="maskgan-studio train",
        )
