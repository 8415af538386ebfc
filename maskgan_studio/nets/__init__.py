"""The networks of MaskGAN as pure torch modules built from config dataclasses."""

from maskgan_studio.nets.blender import AlphaBlender, BlenderConfig
from maskgan_studio.nets.config import NetConfig
from maskgan_studio.nets.discriminator import DiscriminatorConfig, MultiscaleDiscriminator
from maskgan_studio.nets.dmn import DMNConfig, DMNGenerator
from maskgan_studio.nets.layers import AdaptiveInstanceNorm2d, Conv2dBlock, ResBlock, one_hot
from maskgan_studio.nets.mask_vae import MaskVAE, MaskVAEConfig
from maskgan_studio.nets.parser import FaceParser, FaceParserConfig
from maskgan_studio.nets.style_encoder import LabelEncoder, SFTLayer, StyleEncoder

__all__ = [
    "AdaptiveInstanceNorm2d",
    "AlphaBlender",
    "BlenderConfig",
    "Conv2dBlock",
    "DMNConfig",
    "DMNGenerator",
    "DiscriminatorConfig",
    "FaceParser",
    "FaceParserConfig",
    "LabelEncoder",
    "MaskVAE",
    "MaskVAEConfig",
    "MultiscaleDiscriminator",
    "NetConfig",
    "ResBlock",
    "SFTLayer",
    "StyleEncoder",
    "one_hot",
]
