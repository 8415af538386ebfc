"""Photographic training faces from MobileStyleGAN, in the layout ``train`` reads.

Each face is drawn at 1024 px, shrunk to the crop's size on the generator's device, then aligned
and masked exactly as a photo is for the model (``photos.prepare_photo``, the code path of
``parse`` and ``edit``: face found, aligned, Auto mask). Faces where no face or no face mesh is
found, or whose mask has no skin or no eyes, are skipped and counted.

Face ``i`` has its own seed (``SeedSequence([seed, i])``), so a run is reproducible and a stopped
run resumes: ``manifest.json`` records every face done (written or skipped, with its mask
method), and only the missing indices are drawn again. Alignment and masking run in worker
processes while the generator draws the next faces.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from maskgan_studio.errors import InputFileError, StudioError
from maskgan_studio.io import write_image, write_mask
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.labels import ID
from maskgan_studio.photos import NoFaceError, prepare_photo

MANIFEST = "manifest.json"
VAL_EVERY = 20  # face i is held out for validation when i % VAL_EVERY == VAL_EVERY - 1
MIN_SKIN = 0.05  # of the crop
MIN_EYE = 2e-4  # of the crop, per eye (about 13 pixels at 256)
FLUSH_SECONDS = 5.0


@dataclass
class GeneratedReport:
    written: int = 0
    already_done: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count, this run and earlier ones
    seconds: float = 0.0
    drawn: int = 0  # faces generated in this run


def implausible(mask: np.ndarray) -> str | None:
    """Why a mask cannot be a face to learn from, or None when it can."""
    area = mask.size
    if (mask == ID["skin"]).sum() < MIN_SKIN * area:
        return "no skin"
    eyes = [(mask == ID[name]).sum() >= MIN_EYE * area for name in ("l_eye", "r_eye")]
    if not all(eyes) and (mask == ID["eye_g"]).sum() < MIN_EYE * area:
        return "no eyes"
    return None


def _files(out: Path, index: int) -> tuple[Path, Path]:
    return out / "images" / f"{index:05d}.jpg", out / "masks" / f"{index:05d}.png"


def mask_and_write(out: Path, index: int, image: np.ndarray, resolution: int, quality: int) -> dict:
    """Align and mask one generated face and write it; the manifest record of what happened."""
    try:
        prepared = prepare_photo(image, resolution=resolution)
    except NoFaceError:
        return {"index": index, "status": "skipped", "reason": "no face found"}
    method = prepared.description.split("mask by ")[-1].split(" ")[0]
    reason = "no face mesh" if method != "landmarks" else implausible(prepared.mask)
    if reason:
        return {"index": index, "status": "skipped", "reason": reason, "mask_method": method}
    image_path, mask_path = _files(out, index)
    write_mask(mask_path, prepared.mask)
    write_image(image_path, prepared.image, quality=quality)
    return {"index": index, "status": "written", "mask_method": method, "found_by": prepared.transform.method}


def _quiet_worker() -> None:
    import cv2

    cv2.setNumThreads(1)


class _Manifest:
    """``manifest.json``: the run's settings and one record per face index, rewritten atomically."""

    def __init__(self, out: Path, settings: dict):
        self.path = out / MANIFEST
        self.settings = settings
        self.faces: dict[int, dict] = {}
        if self.path.is_file():
            try:
                saved = json.loads(self.path.read_text())
            except (OSError, ValueError) as exc:
                raise InputFileError(self.path, f"unreadable manifest ({exc}); use another --out folder") from exc
            differs = {k: saved.get(k) for k in settings if k != "runtime" and saved.get(k) != settings[k]}
            if differs:
                listed = ", ".join(f"{k} {v}" for k, v in differs.items())
                raise StudioError(f"{out} was prepared with {listed}: continue with the same settings or use "
                                  "another --out folder")
            self.faces = {int(record["index"]): record for record in saved.get("faces", [])}
        self.last_flush = time.monotonic()

    def done(self, out: Path, index: int) -> bool:
        record = self.faces.get(index)
        if record is None:
            return False
        return record["status"] == "skipped" or all(path.is_file() for path in _files(out, index))

    def add(self, record: dict) -> None:
        self.faces[record["index"]] = record
        if time.monotonic() - self.last_flush > FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        faces = [self.faces[index] for index in sorted(self.faces)]
        with atomic_write(self.path, "w") as handle:
            json.dump({**self.settings, "faces": faces}, handle, indent=0)
        written = [index for index in sorted(self.faces) if self.faces[index]["status"] == "written"]
        for name, members in (("train", [i for i in written if i % VAL_EVERY != VAL_EVERY - 1]),
                              ("val", [i for i in written if i % VAL_EVERY == VAL_EVERY - 1])):
            with atomic_write(self.path.parent / f"{name}.txt", "w") as handle:
                handle.write("".join(f"{index:05d}\n" for index in members))
        self.last_flush = time.monotonic()


def prepare_generated_faces(
    out: str | os.PathLike,
    count: int,
    seed: int = 0,
    truncation: float = 0.7,
    workers: int = 1,
    device: str = "cpu",
    resolution: int = 512,
    batch_size: int | None = None,
    quality: int = 95,
    progress: Callable | None = None,
    make_generator: Callable | None = None,
) -> GeneratedReport:
    """Faces ``0..count-1`` of ``seed`` into ``out``; ``workers`` processes align and mask
    (0: in this process). ``progress(total=, initial=)`` returns a bar with ``update``/``close``
    (tqdm). ``make_generator(device=, truncation=)`` defaults to MobileStyleGAN."""
    if make_generator is None:
        from maskgan_studio.generated.face_generator import FaceGenerator, require_data_folder

        require_data_folder()  # the one-line install hint before any folder is made
        make_generator = FaceGenerator
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputFileError(out, "is a file; --out needs a folder")
    started = time.monotonic()
    generator = make_generator(device=device, truncation=truncation)
    settings = {"generator": generator.name, "seed": seed, "truncation": truncation, "resolution": resolution,
                "runtime": generator.runtime}
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "masks").mkdir(exist_ok=True)
    manifest = _Manifest(out, settings)
    todo = [index for index in range(count) if not manifest.done(out, index)]
    report = GeneratedReport(already_done=count - len(todo))
    bar = progress(total=count, initial=report.already_done) if progress else None
    batch = batch_size or (1 if generator.device.type == "cpu" else 16)
    pool = (ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), initializer=_quiet_worker)
            if workers > 0 else None)
    pending: deque = deque()

    def finish(record: dict) -> None:
        record["runtime"] = generator.runtime
        manifest.add(record)
        if record["status"] == "written":
            report.written += 1
        if bar:
            bar.update(1)

    try:
        for start in range(0, len(todo), batch):
            indices = todo[start:start + batch]
            for index, image in zip(indices, generator.faces(seed, indices, size=resolution)):
                report.drawn += 1
                if pool is None:
                    finish(mask_and_write(out, index, image, resolution, quality))
                else:
                    pending.append(pool.submit(mask_and_write, out, index, image, resolution, quality))
            while len(pending) > 2 * max(workers, 1) + batch:
                finish(pending.popleft().result())
        while pending:
            finish(pending.popleft().result())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            for future in pending:  # finished before a stop, not yet recorded
                if not future.cancelled() and future.exception() is None:
                    finish(future.result())
        manifest.flush()
        if bar:
            bar.close()
    report.skipped = Counter(r.get("reason") for r in manifest.faces.values() if r["status"] == "skipped")
    report.seconds = time.monotonic() - started
    return report
