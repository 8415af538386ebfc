"""VGG-19 perceptual loss from a weights file the user supplies (torchvision's state-dict layout).

The program never downloads anything: ``load_vgg19_features(path)`` reads ``features.N.weight`` /
``features.N.bias`` from a ``.pth`` (loaded with ``weights_only=True``) or ``.safetensors`` file,
such as torchvision's ``vgg19-dcbb9e9d.pth``. The classifier weights, if present, are ignored.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from maskgan_studio.errors import InputFileError

# torchvision's vgg19 "E" configuration; "M" is a 2x2 max pool.
_LAYOUT = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M")
# Slices ending after relu1_1, relu2_1, relu3_1, relu4_1 and relu5_1 (pix2pixHD's choice).
_SLICE_ENDS = (2, 7, 12, 21, 30)
_SLICE_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


def vgg19_features() -> nn.Sequential:
    """torchvision's ``vgg19().features`` up to relu5_1, with the same indices (random weights)."""
    layers: list[nn.Module] = []
    channels = 3
    for item in _LAYOUT:
        if item == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(channels, item, 3, padding=1), nn.ReLU(inplace=True)]
            channels = item
    return nn.Sequential(*layers[: _SLICE_ENDS[-1]])


class VGGPerceptualLoss(nn.Module):
    """Weighted L1 between VGG-19 activations of two images in [-1, 1] (frozen network)."""

    def __init__(self, features: nn.Sequential):
        super().__init__()
        self.features = features.eval().requires_grad_(False)
        self.register_buffer("mean", torch.tensor(_IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(_IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def _activations(self, image: torch.Tensor) -> list[torch.Tensor]:
        h = ((image + 1) / 2 - self.mean) / self.std
        outputs, start = [], 0
        for end in _SLICE_ENDS:
            h = self.features[start:end](h)
            outputs.append(h)
            start = end
        return outputs

    def forward(self, fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
        fake_acts = self._activations(fake)
        with torch.no_grad():
            real_acts = self._activations(real)
        return sum(w * F.l1_loss(f.float(), r.float()) for w, f, r in zip(_SLICE_WEIGHTS, fake_acts, real_acts))

    def train(self, mode: bool = True) -> VGGPerceptualLoss:
        return super().train(False)  # always frozen


def _read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            return load_file(path)
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except Exception as exc:  # torch and safetensors raise many kinds for a foreign file
        raise InputFileError(path, f"cannot read VGG-19 weights: {exc}") from None
    if not isinstance(state, dict):
        raise InputFileError(path, "not a state dict (expected torchvision's vgg19 layout)")
    return state


def load_vgg19_features(path: str | os.PathLike) -> nn.Sequential:
    """The VGG-19 feature layers with the weights of ``path``; raises InputFileError when they don't fit."""
    path = Path(path)
    state = _read_state_dict(path)
    features = vgg19_features()
    wanted = {f"features.{key}": value for key, value in features.state_dict().items()}
    missing = [key for key in wanted if key not in state]
    if missing:
        raise InputFileError(path, f"not VGG-19 weights in torchvision's layout: missing {', '.join(missing[:3])}")
    for key, value in wanted.items():
        if tuple(state[key].shape) != tuple(value.shape):
            raise InputFileError(path, f"{key} has shape {tuple(state[key].shape)}, VGG-19 needs {tuple(value.shape)}")
    features.load_state_dict({key[len("features."):]: state[key].float() for key in wanted})
    return features
