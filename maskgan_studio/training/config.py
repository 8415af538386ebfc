"""Training settings: presets are TOML files, read into frozen dataclasses, saved in checkpoints.

A preset holds the run settings at its top level, one table per network (``[dmn]``, ``[vae]``,
``[blender]``, ``[discriminator]``, ``[parser]``), ``[optim]``, ``[loss]`` and ``[ebst]``;
``[stages.NAME]`` overrides any of them for one stage (``dmn``, ``vae``, ``ebst`` or ``parser``).
Unknown keys are refused.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.labels import NUM_CLASSES
from maskgan_studio.nets.blender import BlenderConfig
from maskgan_studio.nets.discriminator import DiscriminatorConfig
from maskgan_studio.nets.dmn import DMNConfig
from maskgan_studio.nets.mask_vae import MaskVAEConfig
from maskgan_studio.nets.parser import FaceParserConfig

STAGES = ("dmn", "vae", "ebst", "parser")
PRESETS = ("tiny", "bundled", "paper")


@dataclass(frozen=True)
class OptimConfig:
    """Adam for every network of the stage (generator side and discriminator alike)."""

    lr: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999


@dataclass(frozen=True)
class LossWeights:
    gan: float = 1.0
    feature_matching: float = 10.0
    vgg: float = 10.0
    l1: float = 0.0
    colour: float = 1.0
    """The auxiliary head that predicts each present class's mean colour from the pooled style
    feature (PROBES.md: it makes the style path learn much sooner); training only."""
    kl: float = 1e-5
    """MaskVAE: weight of the KL term (summed over latent dimensions) against per-pixel cross-entropy."""
    blend: float = 1.0
    """EBST: weight of the losses on the blended image against the ordinary stage-1 losses."""


@dataclass(frozen=True)
class EBSTConfig:
    alpha_max: float = 1.0
    """Latent steps are alpha * (other - target), alpha uniform in [0, alpha_max]: one toward the
    other mask (interpolation) and one away from it, beyond the target (extrapolation)."""


@dataclass(frozen=True)
class TrainConfig:
    stage: str = "dmn"
    preset: str = "custom"
    resolution: int = 256
    batch_size: int = 4
    steps: int = 1000
    checkpoint_every: int = 1000
    sample_every: int = 500
    log_every: int = 10
    eval_every: int = 1000
    eval_count: int = 8
    seed: int = 0
    flip: bool = True
    restyle: float = 0.0
    """Procedural faces only: the share of samples whose target is another mask (a scripted edit
    of the face's own mask, or another face's mask) drawn in the face's style, with the face as the
    style source. The renderer makes the exact truth, so the DMN learns edits and style copy
    directly, not only reconstruction."""
    dmn: DMNConfig = field(default_factory=DMNConfig)
    vae: MaskVAEConfig = field(default_factory=MaskVAEConfig)
    blender: BlenderConfig = field(default_factory=BlenderConfig)
    discriminator: DiscriminatorConfig = field(default_factory=DiscriminatorConfig)
    parser: FaceParserConfig = field(default_factory=FaceParserConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    loss: LossWeights = field(default_factory=LossWeights)
    ebst: EBSTConfig = field(default_factory=EBSTConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "config") -> TrainConfig:
        return _build(cls, data, source)

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with top-level fields, or nested ones named ``section__field`` (``optim__lr``), changed."""
        nested: dict[str, dict[str, Any]] = {}
        top = {}
        for key, value in changes.items():
            section, _, name = key.partition("__")
            if name:
                nested.setdefault(section, {})[name] = value
            else:
                top[key] = value
        for section, values in nested.items():
            top[section] = dataclasses.replace(getattr(self, section), **values)
        return dataclasses.replace(self, **top)


_SECTIONS = {
    "dmn": DMNConfig,
    "vae": MaskVAEConfig,
    "blender": BlenderConfig,
    "discriminator": DiscriminatorConfig,
    "parser": FaceParserConfig,
    "optim": OptimConfig,
    "loss": LossWeights,
    "ebst": EBSTConfig,
}


def _build(cls: type, data: dict[str, Any], source: str) -> Any:
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise StudioError(f"{source}: unknown setting(s) {', '.join(unknown)} in {cls.__name__}")
    values = {}
    for key, value in data.items():
        if key in _SECTIONS and cls is TrainConfig:
            if not isinstance(value, dict):
                raise StudioError(f"{source}: [{key}] must be a table")
            value = _build(_SECTIONS[key], value, f"{source} [{key}]")
        elif isinstance(names[key].default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        values[key] = value
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise StudioError(f"{source}: {exc}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def preset_path(name_or_file: str | os.PathLike) -> Path:
    """A preset name (``tiny``, ``bundled``, ``paper``) or the path of a TOML file."""
    text = os.fspath(name_or_file)
    if text in PRESETS:
        with importlib.resources.as_file(importlib.resources.files("maskgan_studio") / "presets") as folder:
            return Path(folder) / f"{text}.toml"
    path = Path(text)
    if not path.is_file():
        raise InputFileError(path, f"no such preset file (built-in presets: {', '.join(PRESETS)})")
    return path


def load_preset(name_or_file: str | os.PathLike, stage: str) -> TrainConfig:
    """The settings of ``stage`` from a preset: its top level with ``[stages.<stage>]`` on top."""
    if stage not in STAGES:
        raise StudioError(f"unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    path = preset_path(name_or_file)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(path, f"not valid TOML: {exc}") from None
    stages = data.pop("stages", {})
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise InputFileError(path, f"[stages] has unknown stage(s) {', '.join(unknown)}")
    data = _merge(data, stages.get(stage, {}))
    data.setdefault("preset", path.stem)
    data["stage"] = stage
    return finalize(_build(TrainConfig, data, str(path)))


def finalize(config: TrainConfig) -> TrainConfig:
    """Tie the dependent sizes together (VAE and parser input sizes, discriminator input) and check them."""
    resolution = config.resolution
    if resolution < 64 or resolution & (resolution - 1):
        raise StudioError(f"resolution must be a power of two of at least 64, got {resolution}")
    if config.stage != "parser" and resolution % config.dmn.size_multiple:
        multiple = config.dmn.size_multiple
        raise StudioError(f"resolution {resolution} must be a multiple of {multiple} for this generator")
    for name in ("batch_size", "steps", "checkpoint_every", "sample_every", "log_every", "eval_every", "eval_count"):
        if getattr(config, name) < 1:
            raise StudioError(f"{name} must be at least 1, got {getattr(config, name)}")
    if config.stage == "ebst" and config.batch_size < 2:
        raise StudioError("train ebst needs a batch size of at least 2 (each mask is paired with another)")
    if config.stage == "parser" and config.batch_size < 2:
        raise StudioError("train parser needs a batch size of at least 2 (its batch norm averages over the batch)")
    if config.optim.lr <= 0:
        raise StudioError(f"the learning rate must be positive, got {config.optim.lr}")
    return dataclasses.replace(
        config,
        vae=dataclasses.replace(config.vae, resolution=resolution, nc=NUM_CLASSES),
        parser=dataclasses.replace(config.parser, input_size=resolution, n_classes=NUM_CLASSES),
        discriminator=dataclasses.replace(config.discriminator, input_nc=config.dmn.label_nc + config.dmn.output_nc),
    )
