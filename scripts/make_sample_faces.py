"""Write the editor's two bundled faces into assets/samples/ (512 px, with their masks).

    python scripts/make_sample_faces.py

face.png: the face the editor opens with: long hair, both ears visible, open eyes, no hat or
eyeglasses. reference.png: the style-reference face: the same, smiling with an open mouth.
Each is the first seed (from 0) that meets its criteria, so the output never changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from maskgan_studio.io.images import write_image
from maskgan_studio.io.masks import write_mask
from maskgan_studio.labels import ID
from maskgan_studio.synth import sample

SAMPLES = Path(__file__).resolve().parents[1] / "assets" / "samples"


def _area(mask: np.ndarray, name: str) -> float:
    return float(np.count_nonzero(mask == ID[name])) / mask.size


def _looks_good(mask: np.ndarray) -> bool:
    long_hair = _area(mask, "hair") > 0.2 and (mask[int(0.8 * mask.shape[0]) :] == ID["hair"]).mean() > 0.05
    ears = _area(mask, "l_ear") > 0.003 and _area(mask, "r_ear") > 0.003
    eyes = _area(mask, "l_eye") > 0.0025 and _area(mask, "r_eye") > 0.0025
    bare = _area(mask, "hat") == 0 and _area(mask, "eye_g") == 0
    return long_hair and ears and eyes and bare


def _first_seed(wanted, start: int = 0) -> int:
    seed = start
    while not wanted(sample(seed, 512)[1]):
        seed += 1
    return seed


def main() -> None:
    face = _first_seed(lambda m: _looks_good(m) and _area(m, "mouth") == 0)
    reference = _first_seed(lambda m: _looks_good(m) and _area(m, "mouth") > 0.002, face + 1)
    for name, seed in (("face", face), ("reference", reference)):
        image, mask, _ = sample(seed, 512)
        write_image(SAMPLES / f"{name}.png", image)
        write_mask(SAMPLES / f"{name}_mask.png", mask)
        print(f"{name}: seed {seed}")


if __name__ == "__main__":
    main()
