"""The texture stage against the generator on real faces, and its speed.

Hold-out (../shared/real_faces, measured only): per face, the lower 30 % of the hair's rows (or
the left brow) is removed from the photo (OpenCV inpainting, relabelled background or skin) and
painted back through the engine, as `edit` does. In the band: PSNR against the real photo, and
the fine-detail ratio (standard deviation of the Laplacian, result over truth; 1 = as much fine
detail as the real hair). Then the stage's time for hair edits of growing size on a 512 crop.

    python benchmarks/bench_texture.py [--faces DIR] [--model PATH] [--figure PNG] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from maskgan_studio.engine import EditSession
from maskgan_studio.io.images import read_image, write_image
from maskgan_studio.io.masks import read_mask
from maskgan_studio.labels import ID

HAIR_BAND = 0.3
AREAS = (0.02, 0.04, 0.07, 0.10, 0.15)


def hair_holdout(photo: np.ndarray, mask: np.ndarray):
    """-> (photo without the lower 30 % of the hair's rows, its mask, the band) or None."""
    hair = mask == ID["hair"]
    rows = np.flatnonzero(hair.any(1))
    if len(rows) < 10:
        return None
    cut = rows[-1] - int(HAIR_BAND * (rows[-1] - rows[0] + 1)) + 1
    band = hair.copy()
    band[:cut] = False
    return _remove(photo, mask, band, ID["background"])


def brow_holdout(photo: np.ndarray, mask: np.ndarray):
    brow = mask == ID["l_brow"]
    return _remove(photo, mask, brow, ID["skin"]) if brow.sum() >= 20 else None


def _remove(photo, mask, band, label):
    source_mask = mask.copy()
    source_mask[band] = label
    grown = cv2.dilate(band.astype(np.uint8), np.ones((3, 3), np.uint8))
    return cv2.inpaint(photo, grown * 255, 5, cv2.INPAINT_TELEA), source_mask, band


def psnr(result: np.ndarray, truth: np.ndarray, where: np.ndarray) -> float:
    error = ((result[where].astype(np.float64) - truth[where]) ** 2).mean()
    return float(10 * np.log10(255.0**2 / max(error, 1e-10)))


def detail(image: np.ndarray, where: np.ndarray) -> float:
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(cv2.Laplacian(grey, cv2.CV_32F)[where].std())


def holdout(session: EditSession, faces: list[Path], make, figure_rows: list | None):
    rows = []
    for path in faces:
        photo, mask = read_image(path), read_mask(path.with_name(path.stem + "_mask.png"))
        made = make(photo, mask)
        if made is None:
            continue
        source, source_mask, band = made
        session.set_style_source(source, source_mask)
        generator = session.edit(mask, texture="generator")
        texture = session.edit(mask, texture="photo")
        truth_detail = max(detail(photo, band), 1e-6)
        rows.append((path.stem, psnr(generator, photo, band), psnr(texture, photo, band),
                     detail(generator, band) / truth_detail, detail(texture, band) / truth_detail))
        if figure_rows is not None:
            figure_rows.append(np.concatenate([photo, source, generator, texture], 1))
    return rows


def speed(session: EditSession, repeat: int) -> list[tuple[float, float, float]]:
    """(share of the crop, median s, p90 s) of the stage alone for hair grown down a 512 crop."""
    from maskgan_studio.synth import sample

    image, mask, _ = sample(11, 512)
    session.set_style_source(image, mask)
    results = []
    for area in AREAS:
        edited = _grow_hair(mask, area)
        final = session.edit(edited)
        drawn = session.edit(edited, paste_back=False)
        session.texture_stage(edited, final, drawn)  # compiled and guides drawn: not timed
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            session.texture_stage(edited, final, drawn)
            times.append(time.perf_counter() - start)
        changed = float((edited != mask).mean())
        results.append((changed, statistics.median(times), float(np.percentile(times, 90))))
    return results


def _grow_hair(mask: np.ndarray, area: float) -> np.ndarray:
    """Hair grown from the hair's sides downwards over background, skin and clothes, until the
    changed pixels cover ``area`` of the crop."""
    edited = mask.copy()
    hair = mask == ID["hair"]
    columns = np.flatnonzero(hair.any(0))
    left, right = columns[0], columns[-1]
    width = max(4, (right - left) // 5)
    top = int(np.flatnonzero(hair.any(1)).mean())
    for bottom in range(top, mask.shape[0]):
        edited[top:bottom, left:left + width] = ID["hair"]
        edited[top:bottom, right - width:right] = ID["hair"]
        if (edited != mask).mean() >= area:
            break
    return edited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", default=Path(__file__).resolve().parents[2] / "shared" / "real_faces", type=Path)
    parser.add_argument("--model", help="model bundle (default: the bundled model)")
    parser.add_argument("--figure", type=Path, help="write truth | without | generator | texture rows here")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    session = EditSession(args.model, device="cpu", compile=False)
    faces = sorted(p for p in args.faces.glob("*.png") if not p.stem.endswith("_mask"))
    figure: list | None = [] if args.figure else None
    if faces:
        print(f"Hold-out on {len(faces)} real faces in {args.faces} ({session.model_name}, {session.resolution} px)\n")
        print("| painted back | faces | PSNR generator | PSNR texture | gain | detail generator | detail texture |")
        print("|---|---|---|---|---|---|---|")
        for name, make in (("lower 30 % of the hair", hair_holdout), ("left brow", brow_holdout)):
            rows = holdout(session, faces, make, figure if name.startswith("lower") else None)
            g, t, dg, dt = (statistics.mean(r[i] for r in rows) for i in range(1, 5))
            print(f"| {name} | {len(rows)} | {g:.2f} dB | {t:.2f} dB | {t - g:+.2f} dB | {dg:.2f} | {dt:.2f} |")
            print("|   per face (gain) | | " + " ".join(f"{r[0][-2:]}:{r[2] - r[1]:+.1f}" for r in rows) + " | | | | |")
    else:
        print(f"no faces in {args.faces}: hold-out skipped")
    if figure:
        write_image(args.figure, np.concatenate(figure, 0))
        print(f"\nfigure: {args.figure}")
    print("\nStage time, hair grown on a 512 px crop (2 threads unless NUMBA_NUM_THREADS says otherwise)\n")
    print("| changed share of the crop | median | p90 |")
    print("|---|---|---|")
    for share, median, p90 in speed(session, args.repeat):
        print(f"| {share * 100:.1f} % | {median * 1000:.0f} ms | {p90 * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
