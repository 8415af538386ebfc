"""Procedural faces: random face masks, styles, a renderer and scripted edits (numpy/OpenCV).

``sample(seed)`` gives (image, mask, style); ``render(edited_mask, style)`` is the true image
of any edit, which training, evaluation and tests rely on.
"""

from maskgan_studio.synth import edits
from maskgan_studio.synth.masks import random_mask
from maskgan_studio.synth.render import render
from maskgan_studio.synth.samples import iter_samples, sample
from maskgan_studio.synth.style import Style, random_style

__all__ = ["Style", "edits", "iter_samples", "random_mask", "random_style", "render", "sample"]
