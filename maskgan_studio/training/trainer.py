"""What every stage's trainer shares: optimisers, loss scaling, the finite-loss guard, the critic.

A trainer owns its networks and optimisers. ``g_step(batch)`` and ``d_step(batch)`` each make one
update and return the losses by name; the loop needs nothing else to log, checkpoint or resume.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import torch
from torch import nn

from maskgan_studio.checkpoints import Model
from maskgan_studio.errors import StudioError
from maskgan_studio.nets import MultiscaleDiscriminator
from maskgan_studio.training.config import TrainConfig
from maskgan_studio.training.losses import feature_matching_loss, lsgan_loss
from maskgan_studio.training.runtime import Runtime
from maskgan_studio.training.vgg import VGGPerceptualLoss

Losses = dict[str, torch.Tensor]


class NonFiniteLoss(StudioError):
    """A loss became NaN or infinite: training stops before the update, the last checkpoint stays."""


@contextlib.contextmanager
def frozen(module: nn.Module) -> Iterator[nn.Module]:
    """Parameters without gradients for the duration (gradients still flow to the inputs)."""
    flags = [p.requires_grad for p in module.parameters()]
    module.requires_grad_(False)
    try:
        yield module
    finally:
        for parameter, flag in zip(module.parameters(), flags):
            parameter.requires_grad_(flag)


class Trainer:
    """Base of ``DMNTrainer``, ``VAETrainer`` and ``EBSTTrainer``."""

    stage = ""
    needs_images = True
    has_discriminator = False
    uses_style_source = False
    """Whether ``g_step`` reads ``style_mask``/``style_image`` (the restyled procedural targets)."""

    def __init__(self, config: TrainConfig, runtime: Runtime):
        self.config = config
        self.runtime = runtime
        self.device = runtime.device
        self.nets: dict[str, nn.Module] = {}
        self.optimizers: dict[str, torch.optim.Optimizer] = {}
        self.scalers: dict[str, torch.amp.GradScaler] = {}

    def _add_optimizer(self, name: str, parameters) -> None:
        optim = self.config.optim
        self.optimizers[name] = torch.optim.Adam(list(parameters), lr=optim.lr, betas=(optim.beta1, optim.beta2))
        self.scalers[name] = torch.amp.GradScaler("cuda", enabled=self.runtime.amp)

    def autocast(self) -> contextlib.AbstractContextManager:
        return torch.autocast(self.device.type, dtype=torch.float16, enabled=self.runtime.amp)

    def _update(self, name: str, losses: Losses, weights: dict[str, float]) -> Losses:
        """Check every loss is finite on every rank, then one scaled backward and optimiser step."""
        values = torch.stack([value.detach().float() for value in losses.values()])
        if not self.runtime.all_true(bool(torch.isfinite(values).all())):
            bad = [key for key, value in losses.items() if not torch.isfinite(value).item()]
            where = ", ".join(bad) if bad else "a loss on another rank"
            raise NonFiniteLoss(
                f"training diverged: {where} became NaN or infinite; nothing was updated. "
                "Try a lower --lr, or resume from the last checkpoint with another --seed"
            )
        total = sum(weights.get(key, 1.0) * value for key, value in losses.items() if weights.get(key, 1.0))
        optimizer, scaler = self.optimizers[name], self.scalers[name]
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(total).backward()
        scaler.step(optimizer)
        scaler.update()
        return {key: value.detach() for key, value in losses.items()}

    def to_device(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        moved = {key: value.to(self.device, non_blocking=True) for key, value in batch.items()}
        moved["mask"] = moved["mask"].long()
        return moved

    def g_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        raise NotImplementedError

    def d_step(self, batch: dict[str, torch.Tensor]) -> Losses:
        return {}

    @torch.no_grad()
    def evaluate(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        """Metrics on the held-out batch (logged by the loop)."""
        return {}

    @torch.no_grad()
    def sample_columns(self, batch: dict[str, torch.Tensor]) -> list[list[np.ndarray]]:
        """Columns of the sample grid, each one uint8 (H, W, 3) image per row."""
        raise NotImplementedError

    def bundle(self) -> Model:
        """The trained networks as a model bundle (DESIGN.md)."""
        raise NotImplementedError

    def training_record(self, step: int) -> dict:
        """How the bundle was trained (its metadata)."""
        return {"stage": self.stage, "steps": step, "preset": self.config.preset, "config": self.config.to_dict()}

    def state_dict(self) -> dict:
        return {
            "nets": {name: net.state_dict() for name, net in self.nets.items()},
            "optimizers": {name: opt.state_dict() for name, opt in self.optimizers.items()},
            "scalers": {name: scaler.state_dict() for name, scaler in self.scalers.items()},
        }

    def load_state_dict(self, state: dict) -> None:
        for name, net in self.nets.items():
            net.load_state_dict(state["nets"][name])
        for name, opt in self.optimizers.items():
            opt.load_state_dict(state["optimizers"][name])
        for name, scaler in self.scalers.items():
            if state["scalers"].get(name):
                scaler.load_state_dict(state["scalers"][name])


class ImageCritic:
    """The multi-scale discriminator and the losses of a drawn image against the real one:
    least-squares GAN, feature matching, VGG-19 perceptual (when weights were given) and L1."""

    def __init__(self, trainer: Trainer, vgg: VGGPerceptualLoss | None):
        config = trainer.config
        self.discriminator = MultiscaleDiscriminator(config.discriminator).to(trainer.device)
        self.wrapped = trainer.runtime.wrap(self.discriminator)
        self.vgg = vgg.to(trainer.device) if vgg is not None else None
        self.weights = config.loss

    def generator_losses(self, label: torch.Tensor, fake: torch.Tensor, real: torch.Tensor, prefix: str) -> Losses:
        """Losses of ``fake`` for the generator side; the discriminator's weights get no gradient."""
        with frozen(self.discriminator):
            outputs = self.discriminator(torch.cat([torch.cat([label, fake], 1), torch.cat([label, real], 1)]))
        fake_out, real_out = _split(outputs, len(fake))
        losses = {f"{prefix}gan": lsgan_loss(fake_out, True)}
        if self.weights.feature_matching:
            losses[f"{prefix}fm"] = feature_matching_loss(fake_out, real_out)
        if self.vgg is not None and self.weights.vgg:
            losses[f"{prefix}vgg"] = self.vgg(fake, real)
        if self.weights.l1:
            losses[f"{prefix}l1"] = torch.nn.functional.l1_loss(fake.float(), real.float())
        return losses

    def weights_for(self, prefix: str, scale: float = 1.0) -> dict[str, float]:
        w = self.weights
        base = {"gan": w.gan, "fm": w.feature_matching, "vgg": w.vgg, "l1": w.l1}
        return {f"{prefix}{key}": scale * value for key, value in base.items()}

    def discriminator_losses(
        self, fake_label: torch.Tensor, fake: torch.Tensor, label: torch.Tensor, real: torch.Tensor
    ) -> Losses:
        """LSGAN losses of the discriminator on drawn pairs (detached) and real ones, in one pass."""
        pairs = torch.cat([torch.cat([fake_label, fake.detach()], 1), torch.cat([label, real], 1)])
        fake_out, real_out = _split(self.wrapped(pairs), len(fake))
        return {"D_fake": lsgan_loss(fake_out, False), "D_real": lsgan_loss(real_out, True)}


D_WEIGHTS = {"D_fake": 0.5, "D_real": 0.5}


def _split(outputs: list[list[torch.Tensor]], count: int) -> tuple[list[list[torch.Tensor]], list[list[torch.Tensor]]]:
    """Discriminator outputs of a concatenated batch -> (the first ``count`` samples, the rest)."""
    first = [[feature[:count] for feature in scale] for scale in outputs]
    rest = [[feature[count:] for feature in scale] for scale in outputs]
    return first, rest
