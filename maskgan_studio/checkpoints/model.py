"""A loaded model: the DMN generator and, when trained, the MaskVAE and blender behind "strength";
a face parser for Auto mask. Every component is optional in a bundle (a MaskVAE alone, a parser
alone); editing needs the DMN (``require``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from maskgan_studio.errors import InputFileError
from maskgan_studio.labels import NUM_CLASSES
from maskgan_studio.nets import (
    AlphaBlender,
    BlenderConfig,
    DMNConfig,
    DMNGenerator,
    FaceParser,
    FaceParserConfig,
    MaskVAE,
    MaskVAEConfig,
)

COMPONENTS: dict[str, tuple[type[nn.Module], type]] = {
    "dmn": (DMNGenerator, DMNConfig),
    "vae": (MaskVAE, MaskVAEConfig),
    "blender": (AlphaBlender, BlenderConfig),
    "parser": (FaceParser, FaceParserConfig),
}
"""Bundle component name (its tensor-name prefix) -> (network class, config class)."""

DESCRIPTIONS = {
    "dmn": "DMN generator",
    "vae": "MaskVAE",
    "blender": "alpha blender",
    "parser": "face parser",
}
"""What each component is, in words, for messages."""


class CheckpointError(InputFileError):
    """A model file that cannot be used; the message names the file and lists what is wrong."""


@dataclass
class Model:
    dmn: DMNGenerator | None = None
    vae: MaskVAE | None = None
    blender: AlphaBlender | None = None
    parser: FaceParser | None = None
    resolution: int = 512
    name: str = "model"
    source: str = ""
    training: dict = field(default_factory=dict)

    @property
    def has_strength(self) -> bool:
        """Edit strength needs the MaskVAE (to interpolate masks) and the blender (to mix results)."""
        return self.vae is not None and self.blender is not None

    @property
    def components(self) -> dict[str, nn.Module]:
        """The networks present, by bundle component name."""
        found = {name: getattr(self, name) for name in COMPONENTS}
        return {name: net for name, net in found.items() if net is not None}

    def require(self, component: str, needed_by: str) -> Model:
        """``self`` when it holds ``component``, else CheckpointError saying what it holds instead.

        ``needed_by`` completes "holds no DMN generator, which ... needs" (e.g. "editing")."""
        if getattr(self, component) is None:
            held = ", ".join(DESCRIPTIONS[name] for name in self.components) or "nothing"
            raise CheckpointError(
                self.source or self.name,
                f"holds no {DESCRIPTIONS[component]}, which {needed_by} needs (it holds: {held})",
            )
        return self


def check_usable(
    resolution: int, dmn: DMNConfig | None, vae: MaskVAEConfig | None, parser: FaceParserConfig | None = None
) -> str | None:
    """-> why these nets cannot work with masks of our classes at ``resolution``, or None when they can."""
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 1:
        return f"resolution must be a positive whole number, got {resolution!r}"
    if parser is not None and parser.n_classes != NUM_CLASSES:
        return f"its face parser outputs {parser.n_classes} classes, not {NUM_CLASSES}"
    if vae is not None and vae.nc != NUM_CLASSES:
        return f"its MaskVAE models {vae.nc} classes, not {NUM_CLASSES}"
    if vae is not None and vae.resolution != resolution:
        return f"resolution {resolution} differs from the MaskVAE's fixed input size {vae.resolution}"
    if dmn is None:
        return None
    if dmn.label_nc != NUM_CLASSES or dmn.output_nc != 3:
        return (
            f"its generator maps {dmn.label_nc}-class masks to {dmn.output_nc}-channel images; "
            f"MaskGAN Studio needs {NUM_CLASSES} classes to RGB"
        )
    if resolution % dmn.size_multiple:
        return f"resolution {resolution} is not a multiple of {dmn.size_multiple}, which this generator needs"
    return None


def random_model(
    dmn: DMNConfig | None = None,
    resolution: int = 512,
    vae: MaskVAEConfig | None = None,
    blender: BlenderConfig | None = None,
    seed: int = 0,
    name: str = "random",
) -> Model:
    """Untrained networks with reproducible weights (tests, benchmarks, a training start)."""
    dmn = dmn or DMNConfig()
    if problem := check_usable(resolution, dmn, vae):
        raise ValueError(problem)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Model(
            dmn=DMNGenerator(dmn),
            vae=MaskVAE(vae) if vae else None,
            blender=AlphaBlender(blender) if blender else None,
            resolution=resolution,
            name=name,
            source="random",
            training={"seed": seed, "trained": False},
        )
    for net in model.components.values():
        net.eval()
    return model
