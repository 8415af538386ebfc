"""The CelebAMask-HQ face parser: BiSeNet with a ResNet-18 context path.

Module and parameter names follow the widely distributed ``79999_iter.pth`` exactly (``cp.resnet``,
``cp.arm16``, ``ffm``, ``conv_out``...), so its state dict loads with no renaming. Those weights
output the BiSeNet class order (``labels.BISENET_ORDER``); ``parser_state_from_published`` permutes
the class heads once so that the net outputs our ids.
"""

from __future__ import annotations

import dataclasses

import torch
import torch.nn.functional as F
from torch import nn

from maskgan_studio.labels import OURS_TO_BISENET
from maskgan_studio.nets.config import NetConfig

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclasses.dataclass(frozen=True)
class FaceParserConfig(NetConfig):
    n_classes: int = 19
    input_size: int = 512
    """The side of the aligned crops the weights were trained on (the published ones: 512); the
    network takes any size, but a parser sees faces best at the scale it learned them."""


class ConvBNReLU(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, kernel: int = 3, stride: int = 1, padding: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, kernel, stride, padding, bias=False)
        self.bn = nn.BatchNorm2d(out_ch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)))


class BasicBlock(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.downsample = None
        if stride != 1 or in_ch != out_ch:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), nn.BatchNorm2d(out_ch)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(shortcut + residual)


def _stage(in_ch: int, out_ch: int, stride: int) -> nn.Sequential:
    return nn.Sequential(BasicBlock(in_ch, out_ch, stride), BasicBlock(out_ch, out_ch))


class ResNet18Trunk(nn.Module):
    """ResNet-18 without its classifier; returns the 1/8, 1/16 and 1/32 features."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.layer1 = _stage(64, 64, 1)
        self.layer2 = _stage(64, 128, 2)
        self.layer3 = _stage(128, 256, 2)
        self.layer4 = _stage(256, 512, 2)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        feat8 = self.layer2(self.layer1(x))
        feat16 = self.layer3(feat8)
        return feat8, feat16, self.layer4(feat16)


def _global_average(x: torch.Tensor) -> torch.Tensor:
    return x.mean(dim=(2, 3), keepdim=True)


class AttentionRefinement(nn.Module):
    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.conv = ConvBNReLU(in_ch, out_ch)
        self.conv_atten = nn.Conv2d(out_ch, out_ch, 1, bias=False)
        self.bn_atten = nn.BatchNorm2d(out_ch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat = self.conv(x)
        return feat * torch.sigmoid(self.bn_atten(self.conv_atten(_global_average(feat))))


class ContextPath(nn.Module):
    def __init__(self):
        super().__init__()
        self.resnet = ResNet18Trunk()
        self.arm16 = AttentionRefinement(256, 128)
        self.arm32 = AttentionRefinement(512, 128)
        self.conv_head32 = ConvBNReLU(128, 128)
        self.conv_head16 = ConvBNReLU(128, 128)
        self.conv_avg = ConvBNReLU(512, 128, kernel=1, padding=0)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns the 1/8 trunk feature, the 1/8 context (h8) and the 1/16 context (h16)."""
        feat8, feat16, feat32 = self.resnet(x)
        avg = F.interpolate(self.conv_avg(_global_average(feat32)), feat32.shape[2:], mode="nearest")
        sum32 = self.arm32(feat32) + avg
        head16 = self.conv_head32(F.interpolate(sum32, feat16.shape[2:], mode="nearest"))
        sum16 = self.arm16(feat16) + head16
        head8 = self.conv_head16(F.interpolate(sum16, feat8.shape[2:], mode="nearest"))
        return feat8, head8, head16


class FeatureFusion(nn.Module):
    def __init__(self, in_ch: int = 256, out_ch: int = 256):
        super().__init__()
        self.convblk = ConvBNReLU(in_ch, out_ch, kernel=1, padding=0)
        self.conv1 = nn.Conv2d(out_ch, out_ch // 4, 1, bias=False)
        self.conv2 = nn.Conv2d(out_ch // 4, out_ch, 1, bias=False)

    def forward(self, spatial: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        feat = self.convblk(torch.cat([spatial, context], dim=1))
        weight = torch.sigmoid(self.conv2(F.relu(self.conv1(_global_average(feat)))))
        return feat * weight + feat


class ParserHead(nn.Module):
    def __init__(self, in_ch: int, mid_ch: int, n_classes: int):
        super().__init__()
        self.conv = ConvBNReLU(in_ch, mid_ch)
        self.conv_out = nn.Conv2d(mid_ch, n_classes, 1, bias=False)

    def forward(self, x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
        return F.interpolate(self.conv_out(self.conv(x)), size, mode="bilinear", align_corners=True)


def _normalise(image01: torch.Tensor) -> torch.Tensor:
    """ImageNet statistics, made per call rather than kept as buffers: a parser built on the meta
    device and loaded by assignment (``checkpoints``) then has nothing left unmaterialised."""
    mean = torch.tensor(IMAGENET_MEAN, dtype=image01.dtype, device=image01.device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=image01.dtype, device=image01.device).view(1, 3, 1, 1)
    return (image01 - mean) / std


class FaceParser(nn.Module):
    """``forward(image01)`` takes RGB in [0, 1], (B, 3, H, W), and returns (B, n_classes, H, W)
    logits in the BiSeNet class order. ``forward_all`` adds the two auxiliary outputs that
    training supervises."""

    def __init__(self, config: FaceParserConfig | None = None):
        super().__init__()
        self.config = config or FaceParserConfig()
        n = self.config.n_classes
        self.cp = ContextPath()
        self.ffm = FeatureFusion(256, 256)
        self.conv_out = ParserHead(256, 256, n)
        self.conv_out16 = ParserHead(128, 64, n)
        self.conv_out32 = ParserHead(128, 64, n)

    def forward_all(self, image01: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        size = image01.shape[2:]
        feat8, head8, head16 = self.cp(_normalise(image01))
        main = self.conv_out(self.ffm(feat8, head8), size)
        return main, self.conv_out16(head8, size), self.conv_out32(head16, size)

    def forward(self, image01: torch.Tensor) -> torch.Tensor:
        feat8, head8, _ = self.cp(_normalise(image01))
        return self.conv_out(self.ffm(feat8, head8), image01.shape[2:])


_CLASS_HEADS = ("conv_out.conv_out.weight", "conv_out16.conv_out.weight", "conv_out32.conv_out.weight")


def parser_state_from_published(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The state dict of ``79999_iter.pth`` made ours: ``module.`` stripped, float32, and the class
    heads' rows permuted so the net outputs our class ids (``labels.CLASSES``) instead of BiSeNet's."""
    clean = {}
    for name, tensor in state.items():
        name = name.removeprefix("module.")
        clean[name] = tensor.float() if tensor.is_floating_point() else tensor
    order = torch.from_numpy(OURS_TO_BISENET.astype("int64"))
    for name in _CLASS_HEADS:
        if name in clean and clean[name].shape[0] == len(order):
            clean[name] = clean[name][order].clone()
    return clean
