"""``prepare generated-faces``: seeded, resumable, skipping what is not a face; the layout train reads."""

import json

import cv2
import numpy as np
import pytest
import skimage.data

from maskgan_studio.cli import main
from maskgan_studio.generated import face_generator
from maskgan_studio.io import read_image, read_mask
from maskgan_studio.photos import mediapipe_models
from maskgan_studio.training.data import FolderFaces
from maskgan_studio.training.generated_faces import prepare_generated_faces

pytestmark = pytest.mark.skipif(not mediapipe_models.available(), reason=mediapipe_models.MISSING)

BLANK = 2  # the stand-in draws a wall, not a face, for this index


class StandInGenerator:
    """Deterministic faces without the 37 MB wheel: the astronaut photo, shifted and tinted by
    (seed, index), and a blank wall for index BLANK. Records what it was asked to draw."""

    name = "stand-in"
    runtime = "numpy"
    asked: list = []

    def __init__(self, device="cpu", truncation=0.7, stop_after=None):
        import torch

        self.device = torch.device(device)
        self.truncation = truncation
        self.stop_after = stop_after

    def faces(self, seed, indices, size=None):
        out = []
        for index in indices:
            if self.stop_after is not None and len(StandInGenerator.asked) >= self.stop_after:
                raise KeyboardInterrupt
            StandInGenerator.asked.append(index)
            rng = np.random.default_rng([seed, index])
            image = np.roll(skimage.data.astronaut(), tuple(rng.integers(-12, 12, 2)), axis=(0, 1))
            image = np.clip(image * rng.uniform(0.8, 1.1), 0, 255).astype(np.uint8)
            if index == BLANK:
                image = np.full_like(image, 180)
            out.append(cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA) if size else image)
        return np.stack(out)


@pytest.fixture(autouse=True)
def fresh_stand_in():
    StandInGenerator.asked = []


def _prepare(out, count, seed=0, **kwargs):
    return prepare_generated_faces(out, count, seed=seed, workers=0, resolution=128,
                                   make_generator=lambda **kw: StandInGenerator(**kw, **kwargs))


def test_the_prepared_layout_trains_and_skips_are_counted(tmp_path, one_torch_thread):
    report = _prepare(tmp_path / "faces", 4)
    assert report.written == 3 and report.skipped == {"no face found": 1}
    faces = FolderFaces(tmp_path / "faces", "train")
    assert len(faces) == 3
    image, mask = faces.load(0)
    assert image.shape == (128, 128, 3) and mask.shape == (128, 128)
    manifest = json.loads((tmp_path / "faces" / "manifest.json").read_text())
    assert manifest["generator"] == "stand-in" and manifest["seed"] == 0 and manifest["truncation"] == 0.7
    assert [f["mask_method"] for f in manifest["faces"] if f["status"] == "written"] == ["landmarks"] * 3
    assert manifest["faces"][BLANK] == {"index": BLANK, "status": "skipped", "reason": "no face found",
                                        "runtime": "numpy"}
    assert (tmp_path / "faces" / "val.txt").read_text() == ""  # too few faces to hold one out
    assert main(["train", "dmn", "--data", str(tmp_path / "faces"), "--out", str(tmp_path / "run"), "--steps", "1",
                 "--device", "cpu"]) == 0


def test_the_same_seed_gives_the_same_faces(tmp_path):
    _prepare(tmp_path / "a", 2, seed=5)
    _prepare(tmp_path / "b", 2, seed=5)
    _prepare(tmp_path / "c", 2, seed=6)
    same = [(tmp_path / "a" / "images" / "00001.jpg").read_bytes() == (tmp_path / d / "images" / "00001.jpg").read_bytes()
            for d in ("b", "c")]
    assert same == [True, False]
    assert np.array_equal(read_mask(tmp_path / "a" / "masks" / "00001.png"), read_mask(tmp_path / "b" / "masks" / "00001.png"))


def test_each_face_has_its_own_seed():
    together = face_generator.face_latents(9, [0, 1, 2])
    assert np.array_equal(together[2], face_generator.face_latents(9, [2])[0])
    assert not np.array_equal(together[0], face_generator.face_latents(10, [0])[0])


def test_a_stopped_run_resumes_without_drawing_a_face_twice(tmp_path):
    out = tmp_path / "faces"
    with pytest.raises(KeyboardInterrupt):
        _prepare(out, 6, stop_after=3)
    first = read_image(out / "images" / "00001.jpg")
    assert StandInGenerator.asked == [0, 1, 2]
    report = _prepare(out, 6)
    assert StandInGenerator.asked == [0, 1, 2, 3, 4, 5]
    assert report.already_done == 3 and report.written == 3
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["index"] for f in manifest["faces"]] == list(range(6))
    assert sorted(p.name for p in (out / "images").iterdir()) == [f"{i:05d}.jpg" for i in (0, 1, 3, 4, 5)]
    assert np.array_equal(read_image(out / "images" / "00001.jpg"), first)
    assert _prepare(out, 6).already_done == 6 and StandInGenerator.asked[6:] == []


def test_other_settings_in_the_same_folder_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(face_generator, "data_folder", lambda: tmp_path)
    monkeypatch.setattr(face_generator, "FaceGenerator", StandInGenerator)
    out = tmp_path / "faces"
    assert main(["prepare", "generated-faces", "--out", str(out), "--count", "2", "--workers", "0",
                 "--resolution", "128"]) == 0
    assert "2 faces written" in capsys.readouterr().out
    assert main(["prepare", "generated-faces", "--out", str(out), "--count", "3", "--workers", "0",
                 "--resolution", "128", "--seed", "4"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "seed 0" in err


def test_without_the_generator_one_line_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(face_generator, "data_folder", lambda: None)
    assert main(["prepare", "generated-faces", "--out", str(tmp_path / "faces"), "--count", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert 'pip install --no-deps "random-face==2021.7.21.1"' in err
    assert not (tmp_path / "faces").exists()


def test_worker_processes_write_the_same_faces(tmp_path):
    _prepare(tmp_path / "inline", 2)
    prepare_generated_faces(tmp_path / "workers", 2, workers=1, resolution=128, make_generator=StandInGenerator)
    for name in ("images/00001.jpg", "masks/00001.png"):
        assert (tmp_path / "inline" / name).read_bytes() == (tmp_path / "workers" / name).read_bytes()


def test_masks_without_skin_or_eyes_are_implausible():
    from maskgan_studio.labels import ID
    from maskgan_studio.training.generated_faces import implausible

    mask = np.zeros((100, 100), np.uint8)
    mask[20:80, 20:80] = ID["skin"]
    assert implausible(mask) == "no eyes"
    mask[40:44, 30:36] = ID["l_eye"]
    mask[40:44, 60:66] = ID["r_eye"]
    assert implausible(mask) is None
    mask[mask == ID["r_eye"]] = ID["skin"]
    assert implausible(mask) == "no eyes"
    mask[38:46, 28:72] = ID["eye_g"]
    assert implausible(mask) is None
    assert implausible(np.where(mask == ID["skin"], ID["hair"], mask).astype(np.uint8)) == "no skin"


def test_without_mediapipe_one_line_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(mediapipe_models, "available", lambda: False)
    assert main(["prepare", "generated-faces", "--out", str(tmp_path / "faces"), "--count", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and 'mediapipe==0.10.14' in err


def test_a_pack_holds_what_fits_in_its_budget_as_training_faces(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    _prepare(tmp_path / "faces", 6)  # five written, index 2 skipped
    script = Path(__file__).resolve().parents[1] / "scripts" / "pack_generated_faces.py"

    def pack(out, *options):
        done = subprocess.run([sys.executable, str(script), str(tmp_path / "faces"), str(tmp_path / out), *options],
                              capture_output=True, text=True, check=True)
        return done.stdout

    assert "packed 5 of 5 faces" in pack("all", "--budget-mib", "1")
    assert sorted(p.name for p in (tmp_path / "all" / "images").iterdir()) == [
        f"{i:05d}.webp" for i in (0, 1, 3, 4, 5)]
    image, mask = FolderFaces(tmp_path / "all", "train").load(0)
    assert image.shape == (128, 128, 3) and np.array_equal(mask, read_mask(tmp_path / "faces" / "masks" / "00000.png"))
    def size(index):  # what a face costs the budget: its two files and 200 bytes of lists
        stem = f"{index:05d}"
        return sum((tmp_path / "all" / kind / f"{stem}.{suffix}").stat().st_size
                   for kind, suffix in (("images", "webp"), ("masks", "png"))) + 200

    budget = size(0) + size(1) + size(3) // 2
    assert "packed 2 of 5" in pack("small", "--budget-mib", str(budget / 2**20))
    assert "packed 3 of 3" in pack("rest", "--skip", "2", "--budget-mib", "1")
    assert (tmp_path / "rest" / "train.txt").read_text().split() == ["00003", "00004", "00005"]
