"""Style per region: reference faces encoded once, the classes each can style, and the
generator's drawings composited by class.

MaskGAN's generator takes one style for the whole face, so an edit whose classes take their style
from several faces is drawn once per face in use. The edit in the face's own style is made as
any edit is (its drawing pasted back over the mask's changes); each style face's drawing is then
laid over it on its classes, cut along the class borders with only an anti-aliasing ramp
(paste-back's ring width). A wide feather there would lay a band of the style face's drawing of
the neighbouring class (its background, say) around the restyled class, and laying the restyled
classes over the face's own drawing rather than over the photo would ring them with the
generator's drawing of their neighbours: both a halo. Classes that keep the face's style keep its
pixels bit for bit beyond that ramp, where the mask did not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import torch

from maskgan_studio.core.arrays import resize_image, resize_mask
from maskgan_studio.core.style_map import StyleMap, reference_key
from maskgan_studio.engine.paste_back import grow_pixels
from maskgan_studio.errors import StudioError
from maskgan_studio.labels import CLASSES, NUM_CLASSES
from maskgan_studio.texture import Exemplar

MIN_CLASS_FRACTION = 1 / 1024
"""A reference styles a class only when the class covers at least this share of its working mask
(64 pixels at 256): a few stray pixels say nothing of a class's colour."""


@dataclass
class StyleReference:
    """A face whose style some classes take: its pixels, its encoded style and, once the texture
    stage asks for it, its exemplar (its mask drawn in its own style as the structure guide)."""

    image: np.ndarray  # uint8 (H, W, 3)
    mask: np.ndarray  # uint8 (H, W)
    digest: str  # core.style_map.reference_key of the pixels
    mask_work: np.ndarray  # uint8 (R, R)
    style: torch.Tensor  # (1, N) float32
    _exemplar: Exemplar | None = None

    @classmethod
    def of(cls, image: np.ndarray, mask: np.ndarray, resolution: int,
           encode: Callable[[np.ndarray, np.ndarray], torch.Tensor]) -> StyleReference:
        """``encode(image, mask)`` at the working resolution -> the face's style. The pixels are
        copied (the caller's may be read-only: a gallery face)."""
        image, mask = image.copy(), mask.copy()
        mask_work = resize_mask(mask, resolution, resolution)
        style = encode(resize_image(image, resolution, resolution), mask_work)
        return cls(image, mask, reference_key(image, mask), mask_work, style)

    def holds(self, class_id: int) -> bool:
        return np.count_nonzero(self.mask_work == class_id) >= MIN_CLASS_FRACTION * self.mask_work.size

    def exemplar(self, drawing: Callable[[np.ndarray, torch.Tensor, int, int], np.ndarray]) -> Exemplar:
        """The face as the texture stage's lender, its guide ``drawing(mask, style, height, width)``
        of its mask in its own style, made the first time."""
        if self._exemplar is None:
            self._exemplar = Exemplar(self.image, self.mask, drawing(self.mask, self.style, *self.mask.shape))
        return self._exemplar


def usable_map(style_map: StyleMap | None, references: dict[str, StyleReference],
               edited: np.ndarray) -> tuple[StyleMap, tuple[str, ...]]:
    """-> (the part of ``style_map`` that restyles something, notices): classes absent from the
    edit are left out silently; a class the reference lacks keeps the face's own style, with a
    notice. A key never given to the session is a StudioError."""
    if not style_map:
        return StyleMap(), ()
    unknown = [key for key in style_map.keys if key not in references]
    if unknown:
        raise StudioError(f"style reference {unknown[0]!r} was never set (set_style_reference first)")
    present = np.bincount(edited.ravel(), minlength=NUM_CLASSES)[:NUM_CLASSES] > 0
    kept, lacking = {}, {}
    for class_id, key in style_map.pairs:
        if not present[class_id]:
            continue
        if references[key].holds(class_id):
            kept[class_id] = key
        else:
            lacking.setdefault(key, []).append(CLASSES[class_id].display_name)
    notices = tuple(f"{', '.join(names)}: the style face has none, so {'they keep' if len(names) > 1 else 'it keeps'} "
                    f"the photo's style" for names in lacking.values())
    return StyleMap.of(kept), notices


def class_layers(edited: np.ndarray, style_map: StyleMap) -> list[tuple[str, np.ndarray]]:
    """(reference key, float32 (H, W) weight of its drawing) per reference in use: 1 on its
    classes, 0 off them, with a smooth ramp across their borders."""
    ramp = grow_pixels(*edited.shape)
    return [(key, border_ramp(np.isin(edited, style_map.classes_of(key)), ramp)) for key in style_map.keys]


def border_ramp(inside: np.ndarray, width: float) -> np.ndarray:
    """float32 (H, W): a smoothstep from 0 to 1 over ``width`` pixels either side of the border
    of ``inside`` (0.5 on it)."""
    inward = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    outward = cv2.distanceTransform((~inside).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    signed = np.where(inside, inward - 0.5, 0.5 - outward)
    ramp = np.clip(0.5 + signed / (2 * width), 0.0, 1.0)
    return (ramp * ramp * (3.0 - 2.0 * ramp)).astype(np.float32)


def composite(base: np.ndarray, drawings: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """uint8 (H, W, 3) drawings with their weights laid over ``base``, which keeps what they leave
    -> one uint8 picture, ``base`` bit for bit where every weight is 0. Where two classes' ramps
    overlap, their drawings share the pixel by weight."""
    keep = np.ones(base.shape[:2], np.float32)
    for _, alpha in drawings:
        keep *= 1.0 - alpha
    total = base.astype(np.float32) * keep[..., None]
    norm = keep.copy()
    for image, alpha in drawings:
        total += image.astype(np.float32) * alpha[..., None]
        norm += alpha
    mixed = np.clip(np.rint(total / np.maximum(norm, 1e-6)[..., None]), 0, 255).astype(np.uint8)
    return np.where((keep == 1.0)[..., None], base, mixed)
