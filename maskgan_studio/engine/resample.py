"""Between the source's size and the model's square working resolution, and between arrays and tensors.

Images shrink with area averaging (no aliasing) and grow with bicubic interpolation; masks always
take the nearest pixel, so they keep exact class ids.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch

from maskgan_studio.labels import MAX_ID


def resize_image(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 (H, W, 3) -> uint8 (height, width, 3)."""
    if image.shape[:2] == (height, width):
        return image
    shrinking = height * width < image.shape[0] * image.shape[1]
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
    return cv2.resize(image, (width, height), interpolation=interpolation)


def resize_mask(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 (H, W) ids -> (height, width), nearest pixel (the exact variant, no half-pixel shift)."""
    if mask.shape == (height, width):
        return mask
    return cv2.resize(mask, (width, height), interpolation=cv2.INTER_NEAREST_EXACT)


def check_image(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected a uint8 (H, W, 3) RGB image, got {image.dtype} {image.shape}")
    return image


def check_mask(mask: np.ndarray, shape: tuple[int, int] | None = None) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype != np.uint8 or mask.ndim != 2:
        raise ValueError(f"expected a uint8 (H, W) mask of class ids, got {mask.dtype} {mask.shape}")
    if shape is not None and mask.shape != shape:
        raise ValueError(f"mask is {mask.shape[1]}x{mask.shape[0]}, the source is {shape[1]}x{shape[0]}")
    if mask.size and int(mask.max()) > MAX_ID:
        raise ValueError(f"mask holds id {int(mask.max())}; ids go from 0 to {MAX_ID}")
    return mask


def image_to_tensor(image: np.ndarray, device: torch.device) -> torch.Tensor:
    """uint8 (H, W, 3) -> float (1, 3, H, W) in [-1, 1], the networks' convention."""
    tensor = torch.from_numpy(np.ascontiguousarray(image)).to(device).permute(2, 0, 1)[None]
    return tensor.float() / 127.5 - 1.0


def tensor_to_image(tensor: torch.Tensor) -> np.ndarray:
    """float (1, 3, H, W) in [-1, 1] -> uint8 (H, W, 3): (y + 1) * 127.5 to the nearest level."""
    levels = ((tensor[0].float().clamp(-1, 1) + 1) * 127.5).round()
    return levels.to(torch.uint8).permute(1, 2, 0).cpu().numpy()
