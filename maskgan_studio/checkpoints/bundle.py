"""Model bundles: one ``.safetensors`` file, tensors prefixed by component, configs in its metadata.

Loading a bundle runs no code: safetensors holds raw tensors, the metadata is JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save

from maskgan_studio.checkpoints.model import COMPONENTS, CheckpointError, Model, check_usable
from maskgan_studio.checkpoints.strict import build_and_load, fit_problems, mismatch_report
from maskgan_studio.io.atomic import atomic_write, check_writable
from maskgan_studio.labels import CLASSES

METADATA_KEY = "maskgan_studio"
FORMAT_VERSION = 1
CLASS_ORDER = [c.name for c in CLASSES]


def save_bundle(path: str | os.PathLike, model: Model, dtype: torch.dtype | None = None) -> Path:
    """Write ``model`` to ``path`` atomically; ``dtype=torch.float16`` halves the file (floats only)."""
    target = check_writable(path)
    info = {
        "format_version": FORMAT_VERSION,
        "name": model.name,
        "resolution": model.resolution,
        "classes": CLASS_ORDER,
        "components": {name: net.config.to_dict() for name, net in model.components.items()},
        "training": model.training,
    }
    try:
        metadata = {METADATA_KEY: json.dumps(info)}
    except TypeError as exc:
        raise ValueError(f"model.training must be plain JSON data: {exc}") from None
    tensors = {}
    for name, net in model.components.items():
        for key, tensor in net.state_dict().items():
            tensor = tensor.detach().to("cpu")
            if dtype is not None and tensor.is_floating_point():
                tensor = tensor.to(dtype)
            tensors[f"{name}.{key}"] = tensor.contiguous()
    data = save(tensors, metadata=metadata)
    with atomic_write(target, "wb") as handle:
        handle.write(data)
    return target


def read_bundle_info(path: str | os.PathLike) -> dict:
    """The bundle's metadata (configs, resolution, training), checked; no tensors are read."""
    try:
        with safe_open(os.fspath(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(path, f"not a readable safetensors file ({exc})") from None
    return _checked_info(path, metadata)


def _checked_info(path, metadata: dict) -> dict:
    if METADATA_KEY not in metadata:
        raise CheckpointError(path, "a safetensors file without MaskGAN Studio metadata, so not a model bundle")
    try:
        info = json.loads(metadata[METADATA_KEY])
    except json.JSONDecodeError as exc:
        raise CheckpointError(path, f"its MaskGAN Studio metadata is not valid JSON ({exc})") from None
    if not isinstance(info, dict):
        raise CheckpointError(path, "its MaskGAN Studio metadata is not a JSON object")
    version = info.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CheckpointError(
            path,
            f"bundle format {version!r} is not one this version reads (up to {FORMAT_VERSION}); "
            "update MaskGAN Studio",
        )
    if info.get("classes") != CLASS_ORDER:
        raise CheckpointError(path, f"its class order {info.get('classes')!r} is not MaskGAN's 19 classes")
    components = info.get("components")
    if not isinstance(components, dict) or not components:
        raise CheckpointError(path, "its metadata names no networks (no components)")
    unknown = sorted(set(components) - set(COMPONENTS))
    if unknown:
        raise CheckpointError(path, f"unknown component(s) {', '.join(unknown)}; known: {', '.join(COMPONENTS)}")
    configs = {}
    for name, fields in components.items():
        try:
            configs[name] = COMPONENTS[name][1].from_dict(fields)
        except (ValueError, TypeError) as exc:
            raise CheckpointError(path, f"bad {name} config in its metadata: {exc}") from None
    return {**info, "components": configs}


def load_bundle(path: str | os.PathLike, resolution: int | None = None) -> Model:
    info = read_bundle_info(path)
    configs = info["components"]
    resolution = info.get("resolution") if resolution is None else resolution
    if problem := check_usable(resolution, configs.get("dmn"), configs.get("vae"), configs.get("parser")):
        raise CheckpointError(path, problem)
    try:
        with safe_open(os.fspath(path), framework="pt") as handle:
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(path, f"not a readable safetensors file ({exc})") from None
    states: dict[str, dict[str, torch.Tensor]] = {name: {} for name in configs}
    stray = {}
    for key, tensor in tensors.items():
        prefix, _, rest = key.partition(".")
        (states[prefix] if prefix in states else stray)[rest if prefix in states else key] = tensor
    problems = [f"{problem} outside its components" for problem in mismatch_report({}, stray)]
    for name, config in configs.items():
        problems += [f"{name}: {problem}" for problem in fit_problems(COMPONENTS[name][0], config, states[name])]
    if problems:
        raise CheckpointError(path, "does not fit the configs in its metadata: " + "; ".join(problems))
    nets = {
        name: build_and_load(path, COMPONENTS[name][0], config, states[name], f"its {name} config")
        for name, config in configs.items()
    }
    training = info.get("training")
    return Model(
        **nets,
        resolution=resolution,
        name=str(info.get("name") or Path(path).stem),
        source=os.fspath(path),
        training=training if isinstance(training, dict) else {},
    )
