"""``maskgan-studio edit``: redraw a face to follow an edited mask, in the face's own style."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from maskgan_studio.commands import options, style_refs
from maskgan_studio.errors import InputFileError, StudioError

HELP = (
    "Redraw the face in --image (with its --mask) to follow --edited-mask and write the result. "
    "Without --mask, --image is a photo: the face is found, aligned and masked automatically, and the "
    "edit is pasted back into the full photo. Style copy is the same call with another face's mask; "
    "--style-ref draws chosen classes in other faces' styles."
)

DISAGREEMENT_WARNING = 0.5
"""An edited mask that relabels more than this share of the face's own mask was most likely made
for another face: an edit changes a part of a face, not most of it."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--image", required=True, metavar="I", help="the face to edit (gives the style)")
    parser.add_argument("--mask", metavar="M", help="its label mask (PNG of class ids); without it, --image is "
                        "a photo whose face is found and masked as `maskgan-studio parse` does")
    parser.add_argument("--edited-mask", required=True, metavar="E",
                        help="the mask to draw (for a photo: at the photo's size, e.g. an edit of parse's mask)")
    parser.add_argument("--out", required=True, metavar="O", help="image to write (.png, .jpg or .webp)")
    options.add_model(parser)
    options.add_device(parser)
    options.add_backend(parser)
    parser.add_argument("--resolution", type=int, metavar="N", help="working resolution (default: the model's)")
    parser.add_argument("--no-paste-back", action="store_true",
                        help="return the raw generated picture instead of pasting the edit into the source")
    parser.add_argument("--feather", type=float, default=8, metavar="R",
                        help="paste-back soft edge in pixels (default: 8)")
    parser.add_argument("--strength", type=float, default=1.0, metavar="S",
                        help="0 = source, 1 = the edit, up to 1.5 exaggerated (models with a MaskVAE and "
                        "a blender only; default: 1)")
    parser.add_argument("--texture", default="photo", choices=("photo", "generator"),
                        help="photo: the changed region takes its texture from the image's own patches, guided by "
                        "the generator (default); generator: the generator's picture as it is")
    style_refs.add_argument(parser)
    parser.add_argument("--resize-mask", action="store_true",
                        help="resize masks of another size to the image's (nearest pixel)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with timings and settings")
    photo = parser.add_argument_group("photos (without --mask)")
    photo.add_argument("--face", type=int, metavar="INDEX", help="which face, 0 = the largest (default: 0)")
    photo.add_argument("--whole-image", action="store_true",
                       help="treat the whole picture as the face (for photos where no face is found)")
    photo.add_argument("--parser", metavar="PATH", help="face parser for the automatic mask (79999_iter.pth or a "
                       "bundle with a parser); give the same one parse was given")


def _check_options(args: argparse.Namespace) -> None:
    from maskgan_studio.io.atomic import check_not_an_input, check_writable
    from maskgan_studio.io.images import WRITE_FORMATS

    if args.resolution is not None and args.resolution <= 0:
        raise StudioError(f"--resolution must be a positive number of pixels, got {args.resolution}")
    if args.feather < 0:
        raise StudioError(f"--feather must be 0 or more pixels, got {args.feather:g}")
    if args.mask is not None:
        given = [flag for flag, value in (("--face", args.face), ("--whole-image", args.whole_image or None),
                                          ("--parser", args.parser)) if value is not None]
        if given:
            raise StudioError(f"{', '.join(given)}: only for photos, which are edited without --mask")
    out = check_writable(args.out)
    args.style_refs = style_refs.parse(args.style_ref)
    check_not_an_input(out, {"--image": args.image, "--mask": args.mask, "--edited-mask": args.edited_mask,
                             "--model": args.model, "--parser": args.parser,
                             **{f"--style-ref {path}": path for _, path in args.style_refs}})
    if out.suffix.lower() not in WRITE_FORMATS:
        raise InputFileError(out, f"cannot write '{out.suffix}' images: use one of {', '.join(WRITE_FORMATS)}")


def _mask_for(path: str, image_shape: tuple[int, int], resize: bool):
    from maskgan_studio.core.arrays import resize_mask
    from maskgan_studio.io.masks import read_mask

    mask = read_mask(path)
    if mask.shape == image_shape:
        return mask
    if not resize:
        raise InputFileError(path, f"mask is {mask.shape[1]}x{mask.shape[0]} but the image is "
                                   f"{image_shape[1]}x{image_shape[0]} (--resize-mask resizes it)")
    return resize_mask(mask, *image_shape)


def _model(args: argparse.Namespace):
    from maskgan_studio.checkpoints import bundled_model_path, load_model

    path = options.model_path(args) or bundled_model_path()
    if path is None:
        raise StudioError("no bundled model in models/; pass --model PATH")
    return load_model(path, resolution=args.resolution)


def _edit_photo(args: argparse.Namespace, session, photo, edited_photo_mask, style_map) -> tuple:
    """Find, align and mask the face, edit the crop, paste it back -> (result, PreparedPhoto)."""
    from maskgan_studio.photos import NoFaceError, edited_mask_in_crop, paste_edit, prepare_photo
    from maskgan_studio.photos.pipeline import EDIT_CROP, at_photo_scale, disagreement

    parser = None
    if args.parser:
        from maskgan_studio.photos.parser_model import load_parser

        parser = load_parser(args.parser)
    try:
        prepared = prepare_photo(photo, face_index=args.face, resolution=EDIT_CROP, parser=parser,
                                 whole_image=args.whole_image)
    except NoFaceError as exc:
        raise InputFileError(args.image, str(exc)) from None
    differs = disagreement(prepared, edited_photo_mask)
    if differs > DISAGREEMENT_WARNING:
        found = prepared.description.split(";")[0]
        print(f"maskgan-studio: warning: {args.edited_mask} differs from the automatic mask of {found} on "
              f"{differs:.0%} of its pixels: was it made for another face? (--face; parse --face N writes "
              "that face's mask)", file=sys.stderr)
    edited = edited_mask_in_crop(prepared, edited_photo_mask)
    working = prepared
    if args.texture == "photo" and not args.no_paste_back:  # the texture at the photo's own scale
        working, edited = at_photo_scale(photo, prepared, edited)
    session.set_style_source(working.image, working.mask)
    crop = _edit(args, session, edited, style_map)
    return paste_edit(photo, working.image, crop, working.transform, args.feather), working


def _edit(args: argparse.Namespace, session, edited, style_map):
    """The session's edit with the command's options; its notices (a style face lacking a class)
    go to stderr."""
    *_, last = session.edit_progressive(edited, paste_back=not args.no_paste_back, feather=args.feather,
                                        strength=args.strength, preview=False, texture=args.texture,
                                        style_map=style_map)
    for notice in last.notices:
        print(f"maskgan-studio: note: {notice}", file=sys.stderr)
    return last.image


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    _check_options(args)

    from maskgan_studio.engine import EditSession
    from maskgan_studio.io.images import read_image, write_image

    options.check(args)  # before reading anything large
    image = read_image(args.image)
    mask = None if args.mask is None else _mask_for(args.mask, image.shape[:2], args.resize_mask)
    edited = _mask_for(args.edited_mask, image.shape[:2], args.resize_mask)
    style_map, style_faces = style_refs.load(args.style_refs)
    # one edit does not pay for compiling (seconds); the eager path answers first. An OpenVINO
    # conversion is waited for: it is cached, so only the first edit with a model pays for it
    session = EditSession(_model(args), device=args.device, precision=args.precision, compile=False,
                          backend=args.backend)
    for face in style_faces:
        session.set_style_reference(face.key, face.image, face.mask)
    prepared = None
    if mask is None:
        result, prepared = _edit_photo(args, session, image, edited, style_map)
    else:
        session.set_style_source(image, mask)
        result = _edit(args, session, edited, style_map)
    write_image(args.out, result)
    face = f"; {prepared.description}" if prepared is not None else ""
    print(f"{args.out}: {result.shape[1]}x{result.shape[0]}, drawn by {session.model_name} on {session.device} "
          f"in {time.perf_counter() - start:.1f} s{face}", file=sys.stderr)
    if args.json:
        report = {
            "out": str(Path(args.out)),
            "total_ms": round((time.perf_counter() - start) * 1000, 1),
            "model": session.model_name,
            "device": str(session.device),
            "precision": session.precision,
            "resolution": session.resolution,
            "backend": session.backend,
            "paste_back": not args.no_paste_back,
            "feather": args.feather,
            "strength": args.strength,
            "texture": args.texture if not args.no_paste_back else "generator",
            "style_refs": args.style_ref,
        }
        if prepared is not None:
            report.update(face_method=prepared.transform.method, face=prepared.description,
                          crop=prepared.transform.resolution)
        print(json.dumps(report))
    return 0
