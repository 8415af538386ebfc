"""The face parser (BiSeNet) learns to label photos: cross-entropy on its main and two auxiliary heads.

As in the published face-parsing training, the loss is the sum of the three heads' cross-entropies
and the photos are colour-jittered (brightness, contrast, saturation); a random zoom of up to 1.25
adds some scale variety. Progress is the mean IoU per class on held-out faces.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from maskgan_studio.checkpoints import Model
from maskgan_studio.labels import CLASSES, colorize
from maskgan_studio.nets import FaceParser
from maskgan_studio.training.config import TrainConfig
from maskgan_studio.nets.tensors import tensor_to_image
from maskgan_studio.training.losses import confusion_counts, mean_iou
from maskgan_studio.training.runtime import Runtime
from maskgan_studio.training.trainer import Losses, Trainer

JITTER = 0.4
"""Brightness, contrast and saturation factors are drawn from [1 - JITTER, 1 + JITTER]."""
MAX_ZOOM = 1.25


class AllHeads(nn.Module):
    """``FaceParser.forward_all`` as a forward, so that DDP sees every head's parameters used."""

    def __init__(self, parser: FaceParser):
        super().__init__()
        self.parser = parser

    def forward(self, image01: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.parser.forward_all(image01)


def jitter_colours(image01: torch.Tensor) -> torch.Tensor:
    """Per sample: brightness, contrast (about the mean grey) and saturation scaled at random."""
    batch = image01.shape[0]

    def factor() -> torch.Tensor:
        return (1 + JITTER * (2 * torch.rand(batch, 1, 1, 1) - 1)).to(image01.device)

    image = image01 * factor()
    grey = image.mean(dim=1, keepdim=True)
    image = (image - grey.mean(dim=(2, 3), keepdim=True)) * factor() + grey.mean(dim=(2, 3), keepdim=True)
    grey = image.mean(dim=1, keepdim=True)
    return ((image - grey) * factor() + grey).clamp(0, 1)


def random_zoom(image01: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per sample: magnify by up to MAX_ZOOM about a random centre that keeps the view inside."""
    batch = image01.shape[0]
    scale = 1 / (1 + (MAX_ZOOM - 1) * torch.rand(batch))
    shift = (1 - scale)[:, None] * (2 * torch.rand(batch, 2) - 1)
    theta = torch.zeros(batch, 2, 3)
    theta[:, 0, 0] = theta[:, 1, 1] = scale
    theta[:, :, 2] = shift
    grid = F.affine_grid(theta.to(image01.device), list(image01.shape), align_corners=False)
    image = F.grid_sample(image01, grid, mode="bilinear", align_corners=False)
    labels = F.grid_sample(mask[:, None].float(), grid, mode="nearest", align_corners=False)
    return image, labels[:, 0].long()


class ParserTrainer(Trainer):
    stage = "parser"

    def __init__(self, config: TrainConfig, runtime: Runtime, parser: FaceParser | None = None):
        super().__init__(config, runtime)
        self.parser = (parser or FaceParser(config.parser)).to(self.device).train()
        self.parser.config = config.parser  # a parser started from --init now learns at this input size
        self.wrapped = runtime.wrap(AllHeads(self.parser))
        self.nets.update(parser=self.parser)
        self._add_optimizer("parser", self.parser.parameters())

    def g_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        batch = self.to_device(batch)
        image, mask = random_zoom(jitter_colours((batch["image"] + 1) / 2), batch["mask"])
        with self.autocast():
            main, aux8, aux16 = self.wrapped(image)
        losses = {
            "ce": F.cross_entropy(main.float(), mask),
            "ce_aux8": F.cross_entropy(aux8.float(), mask),
            "ce_aux16": F.cross_entropy(aux16.float(), mask),
        }
        return self._update("parser", losses, {})

    @torch.no_grad()
    def predict(self, image: torch.Tensor) -> torch.Tensor:
        """Label maps of images in [-1, 1] (eval mode: batch norm uses its running statistics)."""
        self.parser.eval()
        try:
            return self.parser((image.to(self.device) + 1) / 2).argmax(1)
        finally:
            self.parser.train()

    @torch.no_grad()
    def evaluate(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        """``val_miou`` and ``val_iou/<class>`` for each class present in the truth or the prediction."""
        mask = batch["mask"].to(self.device).long()
        intersection, union = confusion_counts(self.predict(batch["image"]), mask, self.config.parser.n_classes)
        scores = {"val_miou": mean_iou(intersection, union)}
        for face_class in CLASSES:
            if union[face_class.id] > 0:
                scores[f"val_iou/{face_class.name}"] = float(intersection[face_class.id] / union[face_class.id])
        return scores

    @torch.no_grad()
    def sample_columns(self, batch: dict[str, torch.Tensor]) -> list[list[np.ndarray]]:
        """photo | its mask | the parser's mask."""
        predicted = self.predict(batch["image"]).cpu().numpy().astype(np.uint8)
        return [
            [tensor_to_image(image) for image in batch["image"]],
            [colorize(mask.numpy()) for mask in batch["mask"]],
            [colorize(labels) for labels in predicted],
        ]

    def bundle(self) -> Model:
        return Model(
            parser=self.parser,
            resolution=self.config.resolution,
            name=f"{self.config.preset}-{self.stage}",
            source="maskgan-studio train",
        )
