"""scripts/compose_bundle.py: the shipped bundle's MaskVAE and blender beside another run's DMN, or a DMN alone."""

import subprocess
import sys
from pathlib import Path

import torch

from maskgan_studio.checkpoints import load_model, random_model, save_bundle
from maskgan_studio.nets import BlenderConfig, DMNConfig, MaskVAEConfig

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compose_bundle.py"
TINY = dict(dmn=DMNConfig(ngf=4, n_downsample=2, n_blocks=2, style_nf=4), resolution=64,
            vae=MaskVAEConfig(ngf=2, ndf=2, latent=8, resolution=64), blender=BlenderConfig(ngf=4, n_downsample=2, n_blocks=1))


def _compose(*arguments):
    subprocess.run([sys.executable, str(SCRIPT), *map(str, arguments)], check=True, capture_output=True)


def _same_fp16(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    return all(torch.equal(x.half().float(), y.float()) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_a_dmn_only_start_and_the_dmn_put_back_beside_the_shipped_networks(tmp_path):
    shipped = save_bundle(tmp_path / "shipped.safetensors", random_model(**TINY, seed=1))
    _compose(shipped, "--dmn-only", "--out", tmp_path / "dmn.safetensors")
    alone = load_model(tmp_path / "dmn.safetensors")
    assert alone.vae is None and alone.blender is None and _same_fp16(load_model(shipped).dmn, alone.dmn)

    trained = save_bundle(tmp_path / "trained.safetensors", random_model(TINY["dmn"], resolution=64, seed=2))
    _compose(shipped, "--dmn", trained, "--out", tmp_path / "new.safetensors")
    new, original = load_model(tmp_path / "new.safetensors"), load_model(shipped)
    assert _same_fp16(load_model(trained).dmn, new.dmn) and not _same_fp16(original.dmn, new.dmn)
    assert _same_fp16(original.vae, new.vae) and _same_fp16(original.blender, new.blender)
