"""The texture stage: an edited region of a photo redrawn from the photo's own patches
(numpy, OpenCV and numba; no torch, no Qt)."""

from maskgan_studio.texture.exemplars import Exemplar
from maskgan_studio.texture.synthesis import TextureParams, TextureResult, synthesise

__all__ = ["Exemplar", "TextureParams", "TextureResult", "synthesise"]
