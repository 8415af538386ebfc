"""Between uint8 images and the networks' tensors: one convention for training and inference.

float in [-1, 1] is ``uint8 / 127.5 - 1``; back, ``(y + 1) * 127.5`` to the nearest level, as the
published code does.
"""

from __future__ import annotations

import numpy as np
import torch


def image_to_tensor(image: np.ndarray, device: torch.device | str = "cpu") -> torch.Tensor:
    """uint8 (H, W, 3) -> float (1, 3, H, W) in [-1, 1] on ``device`` (moved as bytes, then scaled).
    A read-only image (a gallery face) is copied: torch may not share memory it cannot write."""
    image = np.ascontiguousarray(image) if image.flags.writeable else np.array(image)
    tensor = torch.from_numpy(image).to(device).permute(2, 0, 1)[None]
    return tensor.float() / 127.5 - 1.0


def tensor_to_image(tensor: torch.Tensor) -> np.ndarray:
    """float (3, H, W) or a batch of one (1, 3, H, W), in [-1, 1] -> uint8 (H, W, 3)."""
    if tensor.dim() == 4:
        if tensor.shape[0] != 1:
            raise ValueError(f"expected one image, got a batch of {tensor.shape[0]}")
        tensor = tensor[0]
    levels = ((tensor.detach().float().clamp(-1, 1) + 1) * 127.5).round()
    return levels.to(torch.uint8).permute(1, 2, 0).cpu().numpy()
