"""Draw the application icon: a face as its semantic mask, in the class palette.

Writes ``assets/icon.png`` (512 px, the window icon and the macOS source) and ``assets/icon.ico``
(16 to 256 px, the Windows executable's icon). Shapes are drawn at 4x and scaled down, which
antialiases their edges. Run from anywhere: ``python scripts/make_icon.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from maskgan_studio.labels import ID, PALETTE

SIZE = 512
SUPERSAMPLE = 4
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
TILE = (30, 31, 36)  # the editor's dark base colour
REPO = Path(__file__).resolve().parent.parent


def _colour(name: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in PALETTE[ID[name]])


def _box(cx: float, cy: float, rx: float, ry: float, scale: float) -> list[float]:
    """An ellipse's bounding box from its centre and radii, in fractions of the icon's size."""
    return [(cx - rx) * scale, (cy - ry) * scale, (cx + rx) * scale, (cy + ry) * scale]


def draw_icon(size: int = SIZE) -> Image.Image:
    """The icon at ``size`` px, RGBA; a rounded dark tile with a front-facing head on it."""
    s = size * SUPERSAMPLE
    tile = Image.new("L", (s, s), 0)
    ImageDraw.Draw(tile).rounded_rectangle([0, 0, s - 1, s - 1], radius=0.2 * s, fill=255)
    image = Image.new("RGBA", (s, s), TILE)
    draw = ImageDraw.Draw(image)

    # Clothes and neck first: later shapes paint over earlier ones, as mask parts do.
    draw.chord(_box(0.5, 1.02, 0.36, 0.22, s), 180, 360, fill=_colour("cloth"))
    draw.rectangle([0.41 * s, 0.62 * s, 0.59 * s, 0.84 * s], fill=_colour("neck"))
    draw.ellipse(_box(0.5, 0.84, 0.09, 0.04, s), fill=_colour("neck"))
    draw.ellipse(_box(0.5, 0.37, 0.27, 0.27, s), fill=_colour("hair"))
    for cx, name in ((0.255, "r_ear"), (0.745, "l_ear")):  # the person's left sits on the right
        draw.ellipse(_box(cx, 0.5, 0.045, 0.08, s), fill=_colour(name))
    draw.ellipse(_box(0.5, 0.5, 0.225, 0.27, s), fill=_colour("skin"))
    draw.chord(_box(0.5, 0.33, 0.235, 0.14, s), 180, 360, fill=_colour("hair"))  # the fringe

    for cx, side in ((0.41, "r"), (0.59, "l")):
        draw.rounded_rectangle([(cx - 0.065) * s, 0.395 * s, (cx + 0.065) * s, 0.425 * s],
                               radius=0.015 * s, fill=_colour(f"{side}_brow"))
        draw.ellipse(_box(cx, 0.48, 0.05, 0.03, s), fill=_colour(f"{side}_eye"))
    draw.polygon([(0.5 * s, 0.49 * s), (0.46 * s, 0.6 * s), (0.54 * s, 0.6 * s)], fill=_colour("nose"))
    draw.chord(_box(0.5, 0.68, 0.1, 0.035, s), 180, 360, fill=_colour("u_lip"))
    draw.chord(_box(0.5, 0.68, 0.1, 0.05, s), 0, 180, fill=_colour("l_lip"))
    image.putalpha(tile)  # the clothes run to the tile's edge; its rounded corners cut them
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "assets", help="folder to write into (default: assets/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    icon = draw_icon()
    icon.save(args.out / "icon.png")
    draw_icon(max(ICO_SIZES)[0]).save(args.out / "icon.ico", sizes=ICO_SIZES)
    print(f"wrote {args.out / 'icon.png'} and {args.out / 'icon.ico'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
