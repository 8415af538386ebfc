"""Test data for the engine tests: tiny random-weight models and a procedural face with an edit."""

import numpy as np

from maskgan_studio.checkpoints import random_model
from maskgan_studio.labels import ID
from maskgan_studio.nets import BlenderConfig, DMNConfig, MaskVAEConfig
from maskgan_studio.synth import sample

TINY_DMN = DMNConfig(ngf=8, n_downsample=3, n_blocks=1, style_nf=8)
TINY_RESOLUTION = 64


def tiny_model(strength: bool = False, seed: int = 0):
    extras = {}
    if strength:
        extras = {
            "vae": MaskVAEConfig(ngf=4, ndf=4, latent=16, resolution=TINY_RESOLUTION),
            "blender": BlenderConfig(ngf=4, n_downsample=2, n_blocks=1),
        }
    return random_model(TINY_DMN, resolution=TINY_RESOLUTION, seed=seed, name="tiny", **extras)


def face_with_edit(size: int = 96, seed: int = 1):
    """(image, mask, edited mask): a procedural face with a block near the top-left corner
    painted as a hat, so the change sits in one known place."""
    image, mask, _ = sample(seed, size)
    edited = mask.copy()
    block = slice(size // 8, size // 4)
    edited[block, block] = ID["hat"]
    assert not np.array_equal(edited, mask)
    return image, mask, edited


def edit_files(folder, size: int = 96) -> dict:
    """``face_with_edit`` written to ``folder`` (image.png, mask.png, edited.png) with a tiny model
    bundle (tiny.safetensors): the files an ``edit`` command reads."""
    from maskgan_studio.checkpoints import save_bundle
    from maskgan_studio.io import write_image, write_mask

    image, mask, edited = face_with_edit(size)
    paths = {name: folder / f"{name}.png" for name in ("image", "mask", "edited")}
    write_image(paths["image"], image)
    write_mask(paths["mask"], mask)
    write_mask(paths["edited"], edited)
    paths["model"] = save_bundle(folder / "tiny.safetensors", tiny_model())
    return paths


def refused(files: dict, capsys, argv: list[str], *words: str) -> None:
    """``maskgan-studio argv`` exits 2 with one line naming ``words`` and writes no ``files["out"]``
    (nor a temporary file beside it)."""
    from maskgan_studio.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for word in words:
        assert word in err, err
    out = files["out"]
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]
