"""One training run from the command line's options: settings, networks, data, loop."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from maskgan_studio.checkpoints import Model, load_model
from maskgan_studio.checkpoints.model import DESCRIPTIONS
from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.nets import AlphaBlender, DMNGenerator, FaceParser, MaskVAE
from maskgan_studio.training import runtime as runtimes
from maskgan_studio.training.callbacks import MetricsLog, ProgressBar, SampleGrids, tensorboard_or_none
from maskgan_studio.training.config import TrainConfig, finalize, load_preset
from maskgan_studio.training.data_mix import describe, held_out_mix, open_mix
from maskgan_studio.training.dmn_trainer import DMNTrainer
from maskgan_studio.training.ebst_trainer import EBSTTrainer
from maskgan_studio.training.loop import Outcome, TrainingLoop
from maskgan_studio.training.parser_trainer import ParserTrainer
from maskgan_studio.training.run_state import CHECKPOINT_NAME, load_checkpoint, seed_everything
from maskgan_studio.training.trainer import Trainer
from maskgan_studio.training.vae_trainer import VAETrainer
from maskgan_studio.training.vgg import VGGPerceptualLoss, load_vgg19_features


@dataclass(frozen=True)
class TrainOptions:
    stage: str
    data: str | list[str]  # one source, or several SOURCE:WEIGHT specs (training.data_mix)
    out: Path
    preset: str = "tiny"
    resume: bool = False
    steps: int | None = None
    batch_size: int | None = None
    lr: float | None = None
    seed: int | None = None
    device: str = "auto"
    vgg_weights: Path | None = None
    init: Path | None = None
    dmn: Path | None = None
    vae: Path | None = None
    workers: int | None = None


@dataclass
class Starting:
    """Networks that come from bundles rather than fresh initialisation."""

    dmn: DMNGenerator | None = None
    vae: MaskVAE | None = None
    blender: AlphaBlender | None = None
    parser: FaceParser | None = None


STARTS_FROM = {"dmn": ("dmn",), "vae": ("vae", "dmn"), "ebst": ("blender", "dmn", "vae"), "parser": ("parser",)}
"""The networks of an --init bundle each stage uses."""
NEEDED_BY = {"dmn": "train ebst --dmn", "vae": "train ebst --vae", "parser": "train parser --init"}


def _load(path: Path | None, needs: str | None = None) -> Model | None:
    """The bundle at ``path`` (None when not given); ``needs`` names a component it must hold."""
    if path is None:
        return None
    model = load_model(path, read_as="parser" if needs == "parser" else None)
    if needs is not None:
        model.require(needs, NEEDED_BY[needs])
    return model


def _settings(options: TrainOptions) -> tuple[TrainConfig, Starting, dict | None]:
    """-> (settings, starting networks, checkpoint state when resuming)."""
    if options.resume:
        state = load_checkpoint(options.out / CHECKPOINT_NAME)
        if state["stage"] != options.stage:
            raise StudioError(f"{options.out} holds a '{state['stage']}' run, not '{options.stage}'")
        config = TrainConfig.from_dict(state["config"], f"{options.out / CHECKPOINT_NAME}")
        if options.steps is not None:
            config = config.replace(steps=options.steps)
        return config, _fresh_shapes(config, state), state
    config = load_preset(options.preset, options.stage)
    changes = {"steps": options.steps, "batch_size": options.batch_size, "seed": options.seed, "optim__lr": options.lr}
    config = config.replace(**{key: value for key, value in changes.items() if value is not None})
    init = _load(options.init, "parser" if options.stage == "parser" else None)
    if init is not None and not any(getattr(init, name) is not None for name in STARTS_FROM[options.stage]):
        wanted = " or ".join(DESCRIPTIONS[name] for name in STARTS_FROM[options.stage])
        raise InputFileError(options.init, f"holds no {wanted}, so train {options.stage} cannot start from it")
    dmn_model = _load(options.dmn, "dmn") or init
    vae_model = _load(options.vae, "vae") or (init if init is not None and init.vae is not None else None)
    start = Starting(dmn=dmn_model.dmn if dmn_model else None, vae=vae_model.vae if vae_model else None)
    if options.stage == "parser":
        start = Starting(parser=init.parser if init is not None else None)
    if options.stage == "ebst":
        if start.dmn is None or vae_model is None:
            raise StudioError("train ebst needs a stage-1 DMN and a trained MaskVAE: --dmn BUNDLE --vae BUNDLE")
        start.blender = init.blender if init is not None else None
        config = config.replace(resolution=vae_model.vae.config.resolution, vae=vae_model.vae.config)
    if start.dmn is not None:
        config = config.replace(dmn=start.dmn.config)
    if start.vae is not None and options.stage == "vae":
        config = config.replace(resolution=start.vae.config.resolution, vae=start.vae.config)
    if start.blender is not None:
        config = config.replace(blender=start.blender.config)
    if start.parser is not None:
        config = config.replace(parser=start.parser.config)
    return finalize(config), start, None


def _fresh_shapes(config: TrainConfig, state: dict) -> Starting:
    """On resume every network is rebuilt from the saved settings; the checkpoint fills the weights.

    A MaskVAE run holds a DMN only when one came with --init (runs saved before VAE-only bundles
    existed say so in ``dmn_trained``; their untrained DMN is dropped)."""
    if config.stage == "parser":
        return Starting(parser=FaceParser(config.parser))
    saved = state["trainer"]
    with_dmn = config.stage != "vae" or saved.get("dmn_trained", "dmn" in saved["nets"])
    return Starting(
        dmn=DMNGenerator(config.dmn) if with_dmn else None,
        vae=MaskVAE(config.vae) if config.stage in ("vae", "ebst") else None,
        blender=AlphaBlender(config.blender) if config.stage == "ebst" else None,
    )


def _vgg(options: TrainOptions, say) -> VGGPerceptualLoss | None:
    if options.stage in ("vae", "parser"):
        return None
    if options.vgg_weights is None:
        say("no --vgg-weights given: training without the VGG-19 perceptual loss")
        return None
    return VGGPerceptualLoss(load_vgg19_features(options.vgg_weights))


def build_trainer(config: TrainConfig, start: Starting, runtime: runtimes.Runtime, vgg) -> Trainer:
    if config.stage == "dmn":
        return DMNTrainer(config, runtime, vgg, dmn=start.dmn)
    if config.stage == "vae":
        return VAETrainer(config, runtime, vae=start.vae, dmn=start.dmn)
    if config.stage == "parser":
        return ParserTrainer(config, runtime, parser=start.parser)
    return EBSTTrainer(config, runtime, vgg, dmn=start.dmn, vae=start.vae, blender=start.blender)


def _check_folder(options: TrainOptions) -> None:
    out = options.out
    if out.exists() and not out.is_dir():
        raise InputFileError(out, "is a file; --out needs a run folder")
    if not options.resume and (out / CHECKPOINT_NAME).exists():
        raise InputFileError(out, "already holds a run: add --resume to continue it, or choose another --out")


def _make_folder(options: TrainOptions, runtime: runtimes.Runtime) -> None:
    """Only once the settings and the data have been read: a refused run leaves no folder behind."""
    out = options.out
    if runtime.is_main:
        out.mkdir(parents=True, exist_ok=True)
        if not os.access(out, os.W_OK):
            raise InputFileError(out, "cannot write: permission denied")
    runtime.barrier()


def _workers(options: TrainOptions, runtime: runtimes.Runtime) -> int:
    if options.workers is not None:
        return max(options.workers, 0)
    if runtime.device.type != "cuda":
        return 0
    return max(1, min(4, (os.cpu_count() or 1) // runtime.world - 1))


def run_training(options: TrainOptions, callbacks: list | None = None) -> tuple[Outcome, Trainer]:
    """Train one stage as ``options`` say; returns where it stopped and the trainer (every rank).

    ``callbacks`` replaces the default ones (progress bar, log.jsonl, sample grids, TensorBoard)."""
    runtime = runtimes.start(options.device)
    try:
        _check_folder(options)
        config, start, state = _settings(options)
        source = open_mix(options.data)
        _make_folder(options, runtime)
        say = print if runtime.is_main else (lambda text: None)
        seed_everything(config.seed)  # identical initial weights on every rank
        trainer = build_trainer(config, start, runtime, _vgg(options, say))
        seed_everything(config.seed + 7919 * runtime.rank)
        held = None
        if runtime.is_main:
            held = held_out_mix(options.data, config.eval_count, config.resolution, config.seed, trainer.needs_images)
            if callbacks is None:
                callbacks = [ProgressBar(config.stage), MetricsLog(options.out), SampleGrids(options.out)]
                board = tensorboard_or_none(options.out)
                callbacks += [board] if board is not None else []
            _write_settings(options, config)
        loop = TrainingLoop(trainer, options.out, source, held, callbacks or [], _workers(options, runtime))
        return loop.run(state), trainer
    finally:
        runtimes.stop(runtime)


def _write_settings(options: TrainOptions, config: TrainConfig) -> None:
    record = {"data": describe(options.data), "config": config.to_dict()}
    with atomic_write(options.out / "settings.json", "w") as handle:
        json.dump(record, handle, indent=2)
