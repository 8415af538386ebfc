"""``EditSession``: one model on one device; the style is encoded once, then any number of edits.

Every edit runs the generator at the model's square working resolution (resampled by
``core.arrays``, the rule training uses) and comes back at the source's size, pasted back over the changed region unless
told otherwise. Inference is serialised by a lock and runs under ``torch.inference_mode``; the
properties are fixed at construction, so another thread (the GUI) may read them at any time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch

from maskgan_studio.checkpoints import Model, bundled_model_path, load_model, random_model
from maskgan_studio.core.arrays import check_image, check_mask, resize_image, resize_mask
from maskgan_studio.core.style_map import StyleMap, reference_key
from maskgan_studio.engine.backends import NetRunners, generator_runner, pick_device_and_backend, pick_precision
from maskgan_studio.engine.device import pick_dtype
from maskgan_studio.engine.paste_back import DEFAULT_FEATHER, paste_back, paste_weights
from maskgan_studio.engine.strength import MAX_STRENGTH, StrengthPath
from maskgan_studio.engine.style_sources import StyleReference, class_layers, composite, usable_map
from maskgan_studio.errors import StudioError
from maskgan_studio.nets import DMNConfig, one_hot
from maskgan_studio.nets.tensors import image_to_tensor, tensor_to_image
from maskgan_studio.texture import Exemplar, Lenders, synthesise

RANDOM_FALLBACK = DMNConfig(ngf=16, n_downsample=3, n_blocks=2)
RANDOM_FALLBACK_RESOLUTION = 256


TEXTURES = ("photo", "generator")
"""``photo``: after the generator's final picture, the texture stage redraws the changed region
from the source's own patches (``maskgan_studio.texture``); ``generator``: the generator's picture."""


@dataclass(frozen=True)
class EditResult:
    stage: str  # "preview", "final" (the generator's) or "texture" (from the photo's own patches)
    image: np.ndarray  # uint8 (H, W, 3) at the source's size
    elapsed_ms: float  # since the edit began
    notices: tuple[str, ...] = ()  # what the edit could not do as asked (a style face lacking a class)


@dataclass
class _Source:
    image: np.ndarray  # uint8 (H, W, 3), the caller's size
    mask: np.ndarray  # uint8 (H, W)
    mask_work: np.ndarray  # uint8 (R, R)
    style: torch.Tensor  # (1, N) float32
    lenders: dict[StyleMap, Lenders] = field(default_factory=dict)  # the texture stage's, made once per style map
    exemplars: tuple[Exemplar, Exemplar | None] | None = None  # this face and the texture reference, as lenders


LENDERS_KEPT = 2
"""Lenders kept per source (one per style map): enough to go back and forth between two."""


def _load(model: Model | str | os.PathLike | None) -> Model:
    if isinstance(model, Model):
        return model
    if model is None:
        bundled = bundled_model_path()
        if bundled is None:
            return random_model(RANDOM_FALLBACK, RANDOM_FALLBACK_RESOLUTION, name="random weights")
        model = bundled
    return load_model(model)


def preview_resolution(resolution: int, multiple: int) -> int | None:
    """Half the working resolution, on the generator's stride grid; None when that is no smaller."""
    half = (resolution // 2) // multiple * multiple
    return half if 0 < half < resolution else None


class EditSession:
    """``model``: a loaded Model, a model file, or None (the bundled model, else random weights).

    The session moves the model's networks to its device; with bf16/fp16 it keeps a converted copy
    of the generator for drawing and encodes the style in fp32. ``compile`` (see ``fast_generate``):
    True compiles the generator at the first edit of each working size and waits for it; "auto"
    does so on a GPU, and on the CPU, where compiling takes 10 to 30 s, compiles on a helper
    thread while edits run eager; False never compiles. ``backend`` (``engine.backends``):
    "torch", "openvino" (the CPU) or "auto"; OpenVINO converts the generator ``convert="now"``
    (the first edit of each size waits) or in the ``"background"`` (edits draw with torch
    meanwhile). ``precision`` "auto": bf16 for OpenVINO on a CPU with bf16 instructions, else fp32.
    """

    def __init__(
        self,
        model: Model | str | os.PathLike | None = None,
        device: str | torch.device = "auto",
        precision: str = "auto",
        compile: bool | str = "auto",
        backend: str = "torch",
        convert: str = "now",
    ):
        self._device, backend = pick_device_and_backend(device, backend)
        precision = pick_precision(precision, backend)
        dtype = pick_dtype(self._device, precision)
        self._model = _load(model).require("dmn", "editing")
        self._precision = precision
        self._lock = threading.Lock()
        dmn = self._model.dmn.to(self._device).eval()
        self._dmn = dmn
        self._runners = NetRunners(backend, convert)
        self._encode_style = self._runners.style_encoder(dmn)
        self._generator = generator_runner(backend, dmn, self._device, dtype, compile, convert)
        self._strength = None
        if self._model.has_strength:
            self._strength = StrengthPath(self._model.vae, self._model.blender, self._device, self._runners.wrap)
        self._preview = preview_resolution(self._model.resolution, 2**dmn.config.n_downsample)
        self._source: _Source | None = None
        self._texture_reference: tuple[np.ndarray, np.ndarray] | None = None
        self._references: dict[str, StyleReference] = {}
        self._style_encodings = 0

    # -- properties (fixed after construction: safe to read from any thread) -----------------
    @property
    def model(self) -> Model:
        """The networks this session runs (its own device; do not change them)."""
        return self._model

    @property
    def device(self) -> torch.device:
        return self._device

    @property
    def precision(self) -> str:
        return self._precision

    @property
    def resolution(self) -> int:
        return self._model.resolution

    @property
    def preview_resolution(self) -> int | None:
        return self._preview

    @property
    def model_name(self) -> str:
        return self._model.name

    @property
    def is_random(self) -> bool:
        """True for untrained random weights (no bundled model was found)."""
        return self._model.source == "random"

    @property
    def supports_strength(self) -> bool:
        return self._strength is not None

    @property
    def backend(self) -> str:
        """"compiled" or "eager" (torch; compiling falls back to eager on failure) or "openvino"."""
        return self._generator.backend

    def wait_for_compiler(self) -> None:
        """Until compiles and conversions running in the background are done (benchmarks, tests)."""
        self._generator.wait()
        self._runners.wait()

    @property
    def style_encodings(self) -> int:
        """How many times a style has been encoded (once per ``set_style_source`` and per new
        ``set_style_reference``)."""
        return self._style_encodings

    # -- style ---------------------------------------------------------------------------------
    def set_style_source(self, image: np.ndarray, mask: np.ndarray) -> None:
        """The face to edit (uint8 (H, W, 3)) and its mask (uint8 (H, W)); encodes the style once."""
        image = check_image(image)
        mask = check_mask(mask, image.shape[:2])
        r = self.resolution
        self._encode_source(image, mask, image_to_tensor(resize_image(image, r, r), self._device))

    def set_style_tensor(self, image: torch.Tensor, mask: np.ndarray) -> None:
        """The style image already in the networks' convention, float (1, 3, R, R) in [-1, 1] at the
        working resolution, with its uint8 (R, R) mask: no quantisation on the way in (parity checks)."""
        r = self.resolution
        if tuple(image.shape) != (1, 3, r, r) or not image.is_floating_point():
            raise ValueError(f"expected a float (1, 3, {r}, {r}) image tensor, got {image.dtype} {tuple(image.shape)}")
        mask = check_mask(mask, (r, r))
        self._encode_source(tensor_to_image(image), mask, image.to(self._device, torch.float32))

    def set_texture_reference(self, image: np.ndarray | None, mask: np.ndarray | None = None) -> None:
        """A second face (uint8 (H, W, 3) and (H, W)) whose patches texture the classes the style
        source lacks, or None. Its structure guide is drawn once, in the current style."""
        if image is None:
            self._texture_reference = None
        else:
            image = check_image(image)
            self._texture_reference = (image.copy(), check_mask(mask, image.shape[:2]).copy())
        if self._source is not None:  # made again, with or without the reference
            self._source.lenders.clear()
            self._source.exemplars = None

    def set_style_reference(self, key: str, image: np.ndarray, mask: np.ndarray) -> None:
        """A face (uint8 (H, W, 3), any size, and its (H, W) mask) whose style the classes a
        ``style_map`` gives ``key`` take. Encoded once: the same key with the same pixels again
        costs nothing."""
        image = check_image(image, "style face")
        mask = check_mask(mask, image.shape[:2], what="style face's mask")
        known = self._references.get(key)
        if known is None or known.digest != reference_key(image, mask):
            self._references[key] = StyleReference.of(image, mask, self.resolution, self._encode_pixels)

    def forget_style_reference(self, key: str) -> None:
        """Drop a reference no style map will name again (unknown keys are ignored)."""
        self._references.pop(key, None)

    def _encode_source(self, image: np.ndarray, mask: np.ndarray, image_work: torch.Tensor) -> None:
        r = self.resolution
        mask_work = resize_mask(mask, r, r)
        style = self._encode(mask_work, image_work)
        with self._lock:
            if self._strength is not None:
                self._strength.set_source(mask_work)
            self._source = _Source(image.copy(), mask.copy(), mask_work, style)

    def _encode_pixels(self, image_work: np.ndarray, mask_work: np.ndarray) -> torch.Tensor:
        return self._encode(mask_work, image_to_tensor(image_work, self._device))

    def _encode(self, mask_work: np.ndarray, image_work: torch.Tensor) -> torch.Tensor:
        with self._lock, torch.inference_mode():
            label = one_hot(torch.from_numpy(mask_work).to(self._device), self._dmn.config.label_nc)
            style = self._encode_style(label, image_work).float()
            self._style_encodings += 1
            return style

    # -- editing -------------------------------------------------------------------------------
    def edit(
        self, edited_mask: np.ndarray, paste_back: bool = True, feather: float = DEFAULT_FEATHER, strength: float = 1.0,
        texture: str = "generator", style_map: StyleMap | None = None,
    ) -> np.ndarray:
        """The source face redrawn to follow ``edited_mask`` (uint8 (H, W), the source's size)."""
        *_, last = self.edit_progressive(edited_mask, paste_back, feather, strength, preview=False, texture=texture,
                                         style_map=style_map)
        return last.image

    def edit_progressive(
        self,
        edited_mask: np.ndarray,
        paste_back: bool = True,
        feather: float = DEFAULT_FEATHER,
        strength: float = 1.0,
        preview: bool = True,
        texture: str = "generator",
        cancelled: Callable[[], bool] | None = None,
        style_map: StyleMap | None = None,
    ) -> Iterator[EditResult]:
        """Yields a "preview" (half the working resolution), the "final" result of the generator and,
        with ``texture="photo"`` and paste-back, the "texture" result (the last one equals ``edit``).
        Stop iterating to cancel: nothing more is computed; ``cancelled()`` is also asked during
        the texture stage, which then ends without a result. ``style_map``: classes drawn in the
        style of faces given to ``set_style_reference`` (one generator pass per face in use);
        those faces lend the texture stage their classes' patches."""
        start = time.perf_counter()
        source = self._require_source()
        edited = check_mask(edited_mask, source.mask.shape)
        self._check_strength(strength)
        if texture not in TEXTURES:
            raise StudioError(f"texture {texture!r}: must be one of {', '.join(TEXTURES)}")
        style_map, notices = usable_map(style_map, self._references, edited)
        masks, fuse = self._masks_to_draw(source, edited, strength)
        weights = paste_weights(self._changed(source, edited, strength, masks), feather) if paste_back else None
        layers = class_layers(edited, style_map)
        textured = texture == "photo" and paste_back
        stages = [("preview", self._preview)] if preview and self._preview else []
        for stage, size in [*stages, ("final", self.resolution)]:
            drawn, image = self._draw(source, masks, fuse, size, weights, layers, textured and stage == "final")
            yield EditResult(stage, image, (time.perf_counter() - start) * 1000, notices)
        if textured and (weights.any() or layers):
            result = synthesise(self._lenders(source, style_map), edited, drawn, image, should_stop=cancelled)
            if result is not None:
                yield EditResult("texture", result.image, (time.perf_counter() - start) * 1000, notices)

    def texture_stage(self, edited_mask: np.ndarray, final: np.ndarray, drawn: np.ndarray):
        """The texture stage alone, for a final picture and the generator's drawing made for
        ``edited_mask`` -> ``texture.TextureResult`` (tests and benchmarks look inside it)."""
        source = self._require_source()
        edited = check_mask(edited_mask, source.mask.shape)
        return synthesise(self._lenders(source, StyleMap()), edited, drawn, final)

    def generate_raw(self, edited_mask: np.ndarray, size: int | None = None) -> torch.Tensor:
        """The generator's own output for a working-resolution mask: float32 (1, 3, R, R) in [-1, 1]."""
        source = self._require_source()
        mask = check_mask(edited_mask)
        size = size or self.resolution
        with self._lock, torch.inference_mode():
            return self._generate(resize_mask(mask, size, size), source.style).cpu()

    # -- inside ----------------------------------------------------------------------------------
    def _require_source(self) -> _Source:
        if self._source is None:
            raise RuntimeError("call set_style_source(image, mask) before editing")
        return self._source

    def _check_strength(self, strength: float) -> None:
        if strength == 1.0:
            return
        if self._strength is None:
            raise StudioError(
                f"edit strength {strength}: this model has no strength control (it needs a MaskVAE and a blender)"
            )
        if not 0.0 <= strength <= MAX_STRENGTH:
            raise StudioError(f"edit strength {strength}: must be from 0 to {MAX_STRENGTH}")

    def _masks_to_draw(self, source: _Source, edited: np.ndarray, strength: float) -> tuple[list[np.ndarray], bool]:
        """-> (working-resolution masks to draw, whether the blender fuses two drawings)."""
        r = self.resolution
        if strength == 1.0:
            return [resize_mask(edited, r, r)], False
        if strength == 0.0:
            return [source.mask_work], False
        with self._lock, torch.inference_mode():
            return self._strength.masks(resize_mask(edited, r, r), strength), True

    @staticmethod
    def _changed(source: _Source, edited: np.ndarray, strength: float, masks: list[np.ndarray]) -> np.ndarray:
        """Source-size pixels that the drawing may change: where the edit differs from the source,
        and for an in-between strength also where the VAE-derived masks do."""
        if strength == 0.0:
            return np.zeros(source.mask.shape, bool)
        changed = edited != source.mask
        if strength != 1.0:
            height, width = source.mask.shape
            for mask in masks:
                differs = (mask != source.mask_work).astype(np.uint8)
                changed |= resize_mask(differs, height, width).astype(bool)
        return changed

    def _draw(
        self, source: _Source, masks: list[np.ndarray], fuse: bool, size: int, weights: np.ndarray | None,
        layers: list[tuple[str, np.ndarray]], drawing_needed: bool = False,
    ) -> tuple[np.ndarray | None, np.ndarray]:
        """-> (the generator's drawing of the edit at the source's size, None when not drawn; the result).
        ``weights``: paste-back's over the mask's own changes (None: no paste-back); ``layers``:
        (style reference key, weight of its drawing) laid over by class. Without a change to the
        mask, restyled classes are laid straight onto the photo, and the face's own style is drawn
        only when ``drawing_needed`` (the texture stage's guide)."""
        changes = weights is None or weights.any()
        if not changes and not layers:
            return None, source.image.copy()  # nothing changed: the source, without running the network
        height, width = source.mask.shape
        own = self._render(source.style, masks, fuse, size, height, width) if changes or drawing_needed else None
        if weights is None:
            result = own
        else:
            result = paste_back(source.image, own, weights) if changes else source.image.copy()
        if not layers:
            return own, result
        styled = [(self._render(self._references[key].style, masks, fuse, size, height, width), alpha)
                  for key, alpha in layers]
        return (None if own is None else composite(own, styled)), composite(result, styled)

    def _render(self, style: torch.Tensor, masks: list[np.ndarray], fuse: bool, size: int,
                height: int, width: int) -> np.ndarray:
        """The working masks drawn in ``style`` at ``size`` (fused for an in-between strength),
        brought to (height, width)."""
        with self._lock, torch.inference_mode():
            drawn = [self._generate(resize_mask(m, size, size), style) for m in masks]
            image = tensor_to_image(self._strength.fuse(*drawn) if fuse else drawn[0])
        return resize_image(image, height, width)

    def _drawing(self, mask: np.ndarray, style: torch.Tensor, height: int, width: int) -> np.ndarray:
        """The generator's drawing of a mask of any size, in ``style``, at (height, width)."""
        r = self.resolution
        return self._render(style, [resize_mask(mask, r, r)], False, r, height, width)

    def _lenders(self, source: _Source, style_map: StyleMap) -> Lenders:
        """The texture stage's lenders: the source with the generator's drawing of its own mask as
        its guide, the texture reference if any, with its mask drawn in the current style, and for
        each class of ``style_map`` its style face, with its mask drawn in its own style."""
        if style_map not in source.lenders:
            if source.exemplars is None:  # their guides are drawn once, whatever the style map
                face = Exemplar(source.image, source.mask, self._drawing(source.mask, source.style, *source.mask.shape))
                reference = None
                if self._texture_reference is not None:
                    image, mask = self._texture_reference
                    reference = Exemplar(image, mask, self._drawing(mask, source.style, *mask.shape))
                source.exemplars = (face, reference)
            assigned = {class_id: self._references[key].exemplar(self._drawing) for class_id, key in style_map.pairs}
            while len(source.lenders) >= LENDERS_KEPT:
                del source.lenders[next(iter(source.lenders))]
            source.lenders[style_map] = Lenders(*source.exemplars, assigned=assigned)
        return source.lenders[style_map]

    def _generate(self, mask: np.ndarray, style: torch.Tensor) -> torch.Tensor:
        label = one_hot(torch.from_numpy(mask).to(self._device), self._dmn.config.label_nc)
        return self._generator(label, style)
