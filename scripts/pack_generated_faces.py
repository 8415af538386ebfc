"""Pack prepared generated faces into what a call of the device tool can carry.

    python scripts/pack_generated_faces.py /work/genfaces .genpack [--budget-mib auto] [--quality 90]

A call sends the working tree (tracked and untracked, not ignored files) plus its carried paths,
64 MiB in all; the bundled model alone takes 55 of them. This copies as many faces of a
``prepare generated-faces`` folder (at 256 px for the bundled preset) as fit in what is left:
images re-encoded as WebP (quality 90: about 13 KB a face, 41 dB from the JPEG at quality 95),
masks as they are, the split lists and the manifest of the faces packed. For a call, OUT is a
folder of the checkout that git ignores (``mkdir -p .git/info && echo /.genpack/ >>
.git/info/exclude``), named in the call's ``carry``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from maskgan_studio.io import read_image, write_image  # noqa: E402
from maskgan_studio.io.atomic import atomic_write  # noqa: E402
from maskgan_studio.training.generated_faces import MANIFEST, VAL_EVERY  # noqa: E402

LIMIT_MIB = 64
MARGIN_MIB = 0.25


def travelling_bytes() -> int:
    """What a call sends without carry: tracked files and untracked ones git does not ignore."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.split(b"\0")
    return sum((ROOT / name.decode()).stat().st_size for name in listed if name and (ROOT / name.decode()).is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a prepare generated-faces folder")
    parser.add_argument("out", type=Path, help="the pack folder (ignored by git, carried by the call)")
    parser.add_argument("--budget-mib", default="auto",
                        help=f"size of the pack; auto: {LIMIT_MIB} MiB less what the tree sends, less {MARGIN_MIB}")
    parser.add_argument("--quality", type=int, default=90, help="WebP quality (default 90)")
    parser.add_argument("--skip", type=int, default=0, metavar="N",
                        help="leave out the first N written faces (a second pack: --skip the count of the first)")
    args = parser.parse_args()

    inside = args.out.resolve().is_relative_to(ROOT)
    if inside and subprocess.run(["git", "check-ignore", "-q", str(args.out.resolve())], cwd=ROOT).returncode != 0:
        raise SystemExit(f"{args.out}: git does not ignore it, so the tree would send it twice; "
                         f"mkdir -p .git/info && echo /{args.out.name}/ >> .git/info/exclude")
    if args.budget_mib == "auto":
        budget = int((LIMIT_MIB - MARGIN_MIB) * 2**20) - travelling_bytes()
    else:
        budget = int(float(args.budget_mib) * 2**20)
    manifest = json.loads((args.source / MANIFEST).read_text())
    written = [face for face in manifest["faces"] if face["status"] == "written"][args.skip:]

    shutil.rmtree(args.out, ignore_errors=True)
    (args.out / "images").mkdir(parents=True)
    (args.out / "masks").mkdir()
    packed, used = [], 0
    for face in written:
        stem = f"{face['index']:05d}"
        image_path = args.out / "images" / f"{stem}.webp"
        write_image(image_path, read_image(args.source / "images" / f"{stem}.jpg"), quality=args.quality)
        mask_path = shutil.copyfile(args.source / "masks" / f"{stem}.png", args.out / "masks" / f"{stem}.png")
        size = image_path.stat().st_size + Path(mask_path).stat().st_size
        if used + size + 200 * (len(packed) + 1) > budget:  # about 200 bytes a face in the lists and manifest
            image_path.unlink()
            Path(mask_path).unlink()
            break
        packed.append(face)
        used += size
    for name, held in (("train", False), ("val", True)):
        members = [face for face in packed if (face["index"] % VAL_EVERY == VAL_EVERY - 1) == held]
        with atomic_write(args.out / f"{name}.txt", "w") as handle:
            handle.write("".join(f"{face['index']:05d}\n" for face in members))
    with atomic_write(args.out / MANIFEST, "w") as handle:
        json.dump({**manifest, "faces": packed, "packed": {"webp_quality": args.quality, "of": len(written)}}, handle)
    print(f"packed {len(packed)} of {len(written)} faces in {used / 2**20:.2f} MiB (budget {budget / 2**20:.2f} MiB) "
          f"into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
