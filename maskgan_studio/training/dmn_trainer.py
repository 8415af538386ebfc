"""Stage 1: the Dense Mapping Network learns to draw a mask in the style of a face.

The style comes from the target image and its own mask, so the target is the ground truth.
Beside the published losses, a linear head on the style encoder's pooled feature predicts
each present class's mean colour (PROBES.md): training only, it is not part of the bundle.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from maskgan_studio.checkpoints import Model
from maskgan_studio.labels import colorize
from maskgan_studio.nets import AlphaBlender, DMNGenerator, one_hot
from maskgan_studio.training.config import TrainConfig
from maskgan_studio.nets.tensors import tensor_to_image
from maskgan_studio.training.losses import colour_loss
from maskgan_studio.training.runtime import Runtime
from maskgan_studio.training.trainer import D_WEIGHTS, ImageCritic, Losses, Trainer
from maskgan_studio.training.vgg import VGGPerceptualLoss


class GeneratorStep(nn.Module):
    """Everything the generator side computes in one step, as one forward (so DDP syncs it all):
    the style of the style source, the target mask drawn in it, the colour head (on the style
    source), and for EBST the two edited masks drawn in the same style and fused by the blender."""

    def __init__(self, dmn: DMNGenerator, colour_head: nn.Linear | None, blender: AlphaBlender | None = None):
        super().__init__()
        self.dmn, self.colour_head, self.blender = dmn, colour_head, blender

    def forward(
        self,
        label: torch.Tensor,
        style_label: torch.Tensor,
        style_image: torch.Tensor,
        inner: torch.Tensor | None = None,
        outer: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        style, pooled = self.dmn.encode_style_features(style_label, style_image)
        out = {"fake": self.dmn.generate(label, style)}
        if self.colour_head is not None:
            out["colour"] = self.colour_head(pooled.flatten(1))
        if self.blender is not None and inner is not None and outer is not None:
            out["inner"] = self.dmn.generate(inner, style)
            out["outer"] = self.dmn.generate(outer, style)
            out["blended"], out["alpha"] = self.blender.blend(out["inner"], out["outer"])
        return out


class DMNTrainer(Trainer):
    stage = "dmn"
    has_discriminator = True
    uses_style_source = True

    def __init__(
        self,
        config: TrainConfig,
        runtime: Runtime,
        vgg: VGGPerceptualLoss | None = None,
        dmn: DMNGenerator | None = None,
        blender: AlphaBlender | None = None,
    ):
        super().__init__(config, runtime)
        self.dmn = (dmn or DMNGenerator(config.dmn)).to(self.device).train()
        # An unused head would stall DistributedDataParallel, so no weight means no head.
        self.colour_head = None
        if config.loss.colour:
            head = nn.Linear(4 * config.dmn.style_nf, config.dmn.label_nc * config.dmn.output_nc)
            self.colour_head = head.to(self.device)
        self.blender = blender.to(self.device).train() if blender is not None else None
        self.generator_step = GeneratorStep(self.dmn, self.colour_head, self.blender)
        self.step_module = runtime.wrap(self.generator_step)
        self.critic = ImageCritic(self, vgg)
        found = {"colour_head": self.colour_head, "blender": self.blender}
        self.nets.update(dmn=self.dmn, discriminator=self.critic.discriminator)
        self.nets.update({name: net for name, net in found.items() if net is not None})
        generator_side = [p for name in ("dmn", "colour_head", "blender") if name in self.nets
                          for p in self.nets[name].parameters()]
        self._add_optimizer("generator", generator_side)
        self._add_optimizer("discriminator", self.critic.discriminator.parameters())
        self._drawn: tuple[torch.Tensor, torch.Tensor] | None = None

    def _one_hot(self, mask: torch.Tensor) -> torch.Tensor:
        return one_hot(mask, self.config.dmn.label_nc)

    def _generator_weights(self) -> dict[str, float]:
        return {**self.critic.weights_for("G_"), "G_colour": self.config.loss.colour}

    def g_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        batch = self.to_device(batch)
        label, image = self._one_hot(batch["mask"]), batch["image"]
        style_label = self._one_hot(batch["style_mask"]) if "style_mask" in batch else label
        style_image = batch.get("style_image", image)
        with self.autocast():
            out = self.step_module(label, style_label, style_image)
            losses = self.critic.generator_losses(label, out["fake"], image, "G_")
            if self.colour_head is not None:
                losses["G_colour"] = colour_loss(out["colour"], style_label, style_image)
        self._drawn = (label, out["fake"].detach())
        return self._update("generator", losses, self._generator_weights())

    def d_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        """The discriminator on the images of the last ``g_step`` (pix2pixHD's order)."""
        if self._drawn is None:
            raise RuntimeError("d_step needs a g_step first")
        batch = self.to_device(batch)
        fake_label, fake = self._drawn
        with self.autocast():
            losses = self.critic.discriminator_losses(fake_label, fake, self._one_hot(batch["mask"]), batch["image"])
        return self._update("discriminator", losses, D_WEIGHTS)

    @torch.no_grad()
    def reconstruct(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        batch = self.to_device(batch)
        label = self._one_hot(batch["mask"])
        return self.dmn(label, label, batch["image"])

    @torch.no_grad()
    def evaluate(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        """Mean absolute error of held-out faces drawn in their own style (images in [-1, 1])."""
        fake = self.reconstruct(batch)
        return {"val_l1": float((fake - batch["image"].to(self.device)).abs().mean())}

    @torch.no_grad()
    def sample_columns(self, batch: dict[str, torch.Tensor]) -> list[list[np.ndarray]]:
        fake = self.reconstruct(batch)
        masks = [colorize(m.numpy()) for m in batch["mask"]]
        return [masks, [tensor_to_image(t) for t in batch["image"]], [tensor_to_image(t) for t in fake]]

    def bundle(self) -> Model:
        return Model(
            dmn=self.dmn,
            resolution=self.config.resolution,
            name=f"{self.config.preset}-{self.stage}",
            source="maskgan-studio train",
        )
