"""Build the standalone folder from build.spec, then check it as a user would run it.

Runs ``pyinstaller build.spec``, then, from ``dist/maskgan-studio/`` (in a scratch folder, with the
checkout out of reach), ``maskgan-studio --version``, ``maskgan-studio edit`` on the sample face with a
lower fringe painted onto its mask, and ``maskgan-studio gui --self-test`` on the offscreen Qt platform;
then ``train`` (2 steps), ``eval`` and ``parse``, whose imports the spec's exclusions trim around.
Prints each check, the build time and what the folder weighs; exits 1 when any step fails.

    python scripts/build_standalone.py              # build and check (minutes)
    python scripts/build_standalone.py --no-build   # check the folder already in dist/
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from maskgan_studio import __version__
from maskgan_studio.labels import ID

REPO = Path(__file__).resolve().parent.parent
NAME = "maskgan-studio"
SAMPLES = REPO / "assets" / "samples"
CHECK_TIMEOUT_S = 600


def with_fringe(mask: np.ndarray) -> np.ndarray:
    """The mask with hair painted over the top fifth of the face's skin: a lower fringe."""
    rows = np.nonzero(mask == ID["skin"])[0]
    if rows.size == 0:
        raise ValueError("the mask has no skin to paint a fringe on")
    fringe_end = rows.min() + (rows.max() - rows.min()) // 5
    edited = mask.copy()
    forehead = edited[:fringe_end]
    forehead[forehead == ID["skin"]] = ID["hair"]
    return edited


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def largest_parts(folder: Path, count: int = 8) -> list[tuple[str, int]]:
    """The heaviest entries two levels down (e.g. ``_internal/torch``), heaviest first."""
    parts = []
    for top in folder.iterdir():
        children = list(top.iterdir()) if top.is_dir() and not top.is_symlink() else [top]
        for child in children:
            if child.is_symlink():  # PyInstaller links libraries into place; their files count once
                continue
            size = folder_size(child) if child.is_dir() else child.stat().st_size
            parts.append((str(child.relative_to(folder)), size))
    return sorted(parts, key=lambda part: -part[1])[:count]


def build() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "build.spec", "--noconfirm"], cwd=REPO, check=True)
    return time.perf_counter() - start


def user_environment() -> dict[str, str]:
    """The environment of someone who just unpacked the folder: no Python paths, no checkout."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MASKGAN_STUDIO_HOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_check(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> tuple[bool, str, float]:
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=CHECK_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return False, f"{name}: timed out after {CHECK_TIMEOUT_S} s", time.perf_counter() - start
    seconds = time.perf_counter() - start
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        return False, f"{name}: exit {done.returncode}\n{output}", seconds
    return True, output, seconds


def random_bundle(folder: Path) -> Path:
    """A random-weight bundle the size of the engine's fallback, for when models/ has no bundle yet."""
    from maskgan_studio.checkpoints import random_model, save_bundle
    from maskgan_studio.engine.session import RANDOM_FALLBACK, RANDOM_FALLBACK_RESOLUTION

    path = folder / "random.safetensors"
    save_bundle(path, random_model(RANDOM_FALLBACK, RANDOM_FALLBACK_RESOLUTION, name="random weights"))
    return path


def check_folder(app: Path) -> bool:
    from maskgan_studio.io.images import read_image
    from maskgan_studio.io.masks import read_mask, write_mask

    exe = app / (f"{NAME}.exe" if sys.platform == "win32" else NAME)
    env = user_environment()
    results = []
    with tempfile.TemporaryDirectory(prefix="maskgan-standalone-") as scratch:
        scratch = Path(scratch)
        ok, out, seconds = run_check("--version", [str(exe), "--version"], scratch, env)
        ok = ok and out == f"{NAME} {__version__}"
        results.append(("--version", ok, seconds, out))

        face, face_mask = SAMPLES / "face.png", SAMPLES / "face_mask.png"
        edited = scratch / "edited_mask.png"
        write_mask(edited, with_fringe(read_mask(face_mask)))
        edit = [str(exe), "edit", "--image", str(face), "--mask", str(face_mask), "--edited-mask", str(edited),
                "--out", str(scratch / "edited.png"), "--json"]
        bundled = list((app / "_internal" / "models").glob("*.safetensors"))
        if not bundled:
            print("note: the folder holds no bundled model (models/*.safetensors); edit runs with a "
                  "random-weight bundle passed as --model")
            edit += ["--model", str(random_bundle(scratch))]
        ok, out, seconds = run_check("edit", edit, scratch, env)
        if ok:
            written = read_image(scratch / "edited.png")
            ok = written.shape == read_image(face).shape
            report = next(line for line in out.splitlines() if line.startswith("{"))  # beside edit's line
            out = f"{json.loads(report)} -> {written.shape[1]}x{written.shape[0]}"
        results.append(("edit", ok, seconds, out))

        ok, out, seconds = run_check("gui --self-test", [str(exe), "gui", "--self-test"], scratch, env)
        if ok:
            report = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
            ok = report.get("ok") is True
            out = json.dumps(report)
        results.append(("gui --self-test", ok, seconds, out))

        # the subcommands whose imports the spec trims around: torch.optim -> torch._dynamo -> sympy
        # (train), scikit-image -> scipy (eval), mediapipe's bundled graphs (parse)
        for name, args, written in (
            ("train", ["train", "dmn", "--data", "synthetic", "--out", "run", "--steps", "2"], "run/model.safetensors"),
            ("eval", ["eval", "--model", "run/model.safetensors", "--count", "1", "--json", "eval.json"], "eval.json"),
            ("parse", ["parse", str(face), "--out", "parsed.png"], "parsed.png"),
        ):
            ok, out, seconds = run_check(name, [str(exe), *args], scratch, env)
            ok = ok and (scratch / written).is_file()
            results.append((name, ok, seconds, f"wrote {written}" if ok else out))

    for name, ok, seconds, out in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name:<16} {seconds:6.1f} s  {out}")
    return all(ok for _, ok, _, _ in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="check the folder already in dist/")
    args = parser.parse_args(argv)
    for sample in (SAMPLES / "face.png", SAMPLES / "face_mask.png"):
        if not sample.is_file():
            print(f"build_standalone: the sample face is missing: {sample}", file=sys.stderr)
            return 1
    if not args.no_build and importlib.util.find_spec("PyInstaller") is None:
        print('build_standalone: PyInstaller is missing; install it with: pip install -e ".[build]"', file=sys.stderr)
        return 1
    build_s = None if args.no_build else build()
    app = REPO / "dist" / NAME
    if not app.is_dir():
        print(f"build_standalone: no folder to check at {app}; build it first", file=sys.stderr)
        return 1
    ok = check_folder(app)
    size = folder_size(app)
    print(f"\nfolder: {app} ({sum(1 for p in app.rglob('*') if p.is_file())} files)")
    for part, part_size in largest_parts(app):
        print(f"  {part_size / 2**20:8.1f} MiB  {part}")
    print(f"build time: {'not built (--no-build)' if build_s is None else f'{build_s:.0f} s'}")
    print(f"folder size: {size / 2**20:.0f} MiB")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
