"""Draw assets/texture_astronaut.png: hair painted longer on a real photo, generator against photo texture.

    python scripts/make_texture_figure.py [--model PATH] [--out PNG]

The photo is scikit-image's astronaut (Eileen Collins, NASA: public domain), which ships inside
scikit-image, so nothing is downloaded. The face is found, aligned and masked as `edit` does;
the hair is continued 60 px straight down beside the face; the crop is edited with
`--texture generator` and with `--texture photo`. Columns: photo | generator | photo texture.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from skimage import data

from maskgan_studio.engine import EditSession
from maskgan_studio.io.images import write_image
from maskgan_studio.labels import ID
from maskgan_studio.photos import prepare_photo

ASSETS = Path(__file__).resolve().parents[1] / "assets"
GROWN_BY = 60


def longer_hair(mask: np.ndarray, rows: int = GROWN_BY) -> np.ndarray:
    """Hair continued straight down from the lowest hair pixel of each column beside the face."""
    edited = mask.copy()
    hair = mask == ID["hair"]
    face = np.isin(mask, [ID["skin"], ID["l_ear"], ID["r_ear"]])
    columns = np.flatnonzero(face.any(0))
    margin = mask.shape[1] // 60
    for x in np.flatnonzero(hair.any(0)):
        if columns[0] + margin <= x <= columns[-1] - margin:
            continue
        y = np.flatnonzero(hair[:, x])[-1]
        column = edited[y:y + rows, x]
        column[np.isin(column, [ID["background"], ID["cloth"], ID["neck"]])] = ID["hair"]
    return edited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model bundle (default: the bundled model)")
    parser.add_argument("--out", type=Path, default=ASSETS / "texture_astronaut.png")
    args = parser.parse_args()
    prepared = prepare_photo(data.astronaut(), resolution=512)
    edited = longer_hair(prepared.mask)
    session = EditSession(args.model, device="cpu", compile=False)
    session.set_style_source(prepared.image, prepared.mask)
    generator = session.edit(edited, texture="generator")
    texture = session.edit(edited, texture="photo")
    write_image(args.out, np.concatenate([prepared.image, generator, texture], 1))
    print(f"wrote {args.out}: {prepared.description}; {int((edited != prepared.mask).sum())} pixels repainted")


if __name__ == "__main__":
    main()
