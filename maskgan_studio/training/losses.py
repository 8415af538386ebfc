"""Loss terms: least-squares GAN, feature matching, KL, mIoU and the auxiliary colour targets.

Discriminator outputs are ``MultiscaleDiscriminator``'s: one list per scale, the intermediate
features with the patch prediction last. Every loss is computed in float32, also under autocast.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def lsgan_loss(outputs: list[list[torch.Tensor]], target_is_real: bool) -> torch.Tensor:
    """Mean over scales of mean((prediction - target)^2), target 1 for real and 0 for fake."""
    target = 1.0 if target_is_real else 0.0
    return sum(F.mse_loss(scale[-1].float(), torch.full_like(scale[-1].float(), target)) for scale in outputs) / len(
        outputs
    )


def feature_matching_loss(fake: list[list[torch.Tensor]], real: list[list[torch.Tensor]]) -> torch.Tensor:
    """pix2pixHD's: L1 between the intermediate features of fake and real, averaged over scales and layers."""
    total = fake[0][0].new_zeros((), dtype=torch.float32)
    count = 0
    for fake_scale, real_scale in zip(fake, real):
        for fake_feature, real_feature in zip(fake_scale[:-1], real_scale[:-1]):
            total = total + F.l1_loss(fake_feature.float(), real_feature.detach().float())
            count += 1
    return total / max(count, 1)


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma) || N(0, 1)) summed over latent dimensions, averaged over the batch."""
    mu, logvar = mu.float(), logvar.float()
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)).mean()


def class_mean_colours(one_hot: torch.Tensor, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """-> (mean colour of each class in the image (B, C, 3), presence (B, C) bool).

    Outside autocast: in fp16 a class's colour sum over a 256 x 256 image passes fp16's 65504."""
    one_hot, image = one_hot.float(), image.float()
    counts = one_hot.sum(dim=(2, 3))
    with torch.autocast(one_hot.device.type, enabled=False):
        sums = torch.einsum("bchw,bkhw->bck", one_hot, image)
    return sums / counts.clamp(min=1).unsqueeze(-1), counts > 0


def colour_loss(predicted: torch.Tensor, one_hot: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
    """MSE between predicted (B, C * 3) and true class mean colours, over the classes present only."""
    means, present = class_mean_colours(one_hot, image)
    predicted = predicted.float().view_as(means)
    squared = (predicted - means).pow(2).mean(dim=-1)
    return (squared * present).sum() / present.sum().clamp(min=1)


def confusion_counts(
    predicted: torch.Tensor, target: torch.Tensor, num_classes: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-class intersection and union pixel counts of two label maps."""
    predicted, target = predicted.flatten().long(), target.flatten().long()
    area_p = torch.bincount(predicted, minlength=num_classes)
    area_t = torch.bincount(target, minlength=num_classes)
    inter = torch.bincount(target[predicted == target], minlength=num_classes)
    return inter, area_p + area_t - inter


def mean_iou(intersection: torch.Tensor, union: torch.Tensor) -> float:
    """Mean IoU over the classes that occur in either map."""
    seen = union > 0
    return float((intersection[seen].double() / union[seen].double()).mean()) if seen.any() else 1.0
