"""Store a bundle for shipping: fp16, optionally with the DMN taken from another bundle.

    python scripts/compose_bundle.py RUN_BUNDLE --out models/maskgan-studio-bundled.safetensors
        [--dmn STAGE1_BUNDLE] [--name bundled] [--dmn-only]

EBST fine-tunes the DMN on reconstruction only (no restyled targets), which can cost style-copy
quality; ``--dmn`` ships the stage-1 generator beside the EBST run's MaskVAE and blender. The
``training`` metadata records both runs. ``--dmn-only`` leaves the MaskVAE and blender out (a
21 MB start for stage 1 where a device call cannot carry the whole bundle).
"""

from __future__ import annotations

import argparse
import sys

import torch

from maskgan_studio.checkpoints import load_model, save_bundle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", help="the run's bundle: MaskVAE, blender (and DMN unless --dmn)")
    parser.add_argument("--dmn", help="take the DMN generator from this bundle instead")
    parser.add_argument("--name", default="bundled")
    parser.add_argument("--dmn-only", action="store_true", help="store the DMN generator alone")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    model = load_model(args.bundle)
    training = dict(model.training)
    if args.dmn:
        stage1 = load_model(args.dmn).require("dmn", "--dmn")
        if stage1.dmn.config != model.dmn.config:
            raise SystemExit(f"{args.dmn}: its DMN config differs from {args.bundle}'s")
        model.dmn = stage1.dmn
        training = {**training, "dmn_from": dict(stage1.training)}
    if args.dmn_only:
        model.vae = model.blender = None
    model.name, model.training = args.name, training
    save_bundle(args.out, model, dtype=torch.float16)
    print(f"wrote {args.out} ({model.name}, fp16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
