"""``maskgan-studio train {dmn,vae,ebst,parser}``: train a stage on prepared faces or procedural ones."""

from __future__ import annotations

import argparse
from pathlib import Path

from maskgan_studio.commands.options import add_device, check_device

HELP = "Train the DMN (stage 1), the MaskVAE, both with the blender (stage 2, EBST), or the face parser."

EPILOG = """\
stages:
  dmn   the Dense Mapping Network: a mask drawn in the style of a face
  vae   the MaskVAE on masks (its latent space simulates edits)
  ebst  editing-behaviour-simulated training: --dmn STAGE1.safetensors --vae VAE.safetensors
  parser  the face parser behind Auto mask (BiSeNet): photos -> masks, mIoU per class logged

A mix of sources (--data DIR:0.7 --data synthetic:0.3) teaches photographic texture from
prepared faces (prepare generated-faces) while procedural faces keep teaching exact edits and
style copy. Runs end with RUN_DIR/model.safetensors. Ctrl-C stops after the current step and
writes a checkpoint; --resume continues it. Several GPUs or machines: torchrun --nproc_per_node N -m
maskgan_studio train ...
"""

RESUME_FIXED = ("preset", "batch_size", "lr", "seed", "init", "dmn", "vae")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("stage", choices=("dmn", "vae", "ebst", "parser"), help="what to train")
    parser.add_argument("--data", required=True, action="append", metavar="SOURCE[:WEIGHT]",
                        help="a prepared folder (images/, masks/, optional train.txt/val.txt) or 'synthetic' "
                        "for procedural faces drawn on the fly; repeat it to train on a mix, each with its "
                        "weight (--data faces/:0.7 --data synthetic:0.3: 70%% of the faces from the folder)")
    parser.add_argument("--out", required=True, type=Path, metavar="RUN_DIR", help="run folder")
    parser.add_argument("--preset", metavar="NAME|FILE",
                        help="tiny (seconds on a CPU), bundled (256 px, the shipped model), paper (512 px, "
                        "published settings), or a TOML file (default: tiny)")
    parser.add_argument("--resume", action="store_true", help="continue the run in RUN_DIR from its checkpoint")
    parser.add_argument("--steps", type=int, metavar="N", help="total steps (overrides the preset)")
    parser.add_argument("--batch-size", type=int, metavar="N", help="faces per step and process")
    parser.add_argument("--lr", type=float, help="learning rate (overrides the preset)")
    parser.add_argument("--seed", type=int, help="random seed (overrides the preset)")
    add_device(parser)
    parser.add_argument("--workers", type=int, metavar="N", help="data loader processes (default: 0 on CPU, 4 on CUDA)")
    parser.add_argument("--vgg-weights", type=Path, metavar="FILE",
                        help="ImageNet VGG-19 weights in torchvision's layout (e.g. vgg19-dcbb9e9d.pth) for the "
                        "perceptual loss; nothing is ever downloaded")
    parser.add_argument("--init", type=Path, metavar="BUNDLE", help="start from the networks of this model bundle")
    parser.add_argument("--dmn", type=Path, metavar="BUNDLE", help="ebst: the stage-1 DMN bundle")
    parser.add_argument("--vae", type=Path, metavar="BUNDLE", help="ebst: the trained MaskVAE bundle")


def run(args: argparse.Namespace) -> int:
    from maskgan_studio.errors import StudioError

    check_device(args)

    if args.resume:
        fixed = [name for name in RESUME_FIXED if getattr(args, name) is not None]
        if fixed:
            listed = ", ".join("--" + name.replace("_", "-") for name in fixed)
            raise StudioError(f"--resume keeps the saved settings (only --steps may change): drop {listed}")
    for name in ("steps", "batch_size"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise StudioError(f"--{name.replace('_', '-')} must be at least 1, got {value}")

    from maskgan_studio.training.session import TrainOptions, run_training

    options = TrainOptions(
        stage=args.stage,
        data=args.data,
        out=args.out,
        preset=args.preset or "tiny",
        resume=args.resume,
        steps=args.steps,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        device=args.device,
        vgg_weights=args.vgg_weights,
        init=args.init,
        dmn=args.dmn,
        vae=args.vae,
        workers=args.workers,
    )
    outcome, trainer = run_training(options)
    if trainer.runtime.is_main and outcome.bundle is not None:
        print(f"step {outcome.step}: model written to {outcome.bundle}")
    return 130 if outcome.interrupted else 0
