"""``maskgan-studio parse``: a label mask for a photo, found, aligned and masked automatically."""

from __future__ import annotations

import argparse
import sys

from maskgan_studio.errors import InputFileError

HELP = "write the 19-class label mask of the face in a photo (Auto mask), at the photo's size"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", metavar="IMAGE", help="the photo")
    parser.add_argument("--out", required=True, metavar="MASK", help="label PNG to write (paletted, class ids)")
    parser.add_argument("--model", metavar="PATH", help="face parser: 79999_iter.pth or a bundle with a parser")
    parser.add_argument("--face", type=int, metavar="INDEX", help="which face, 0 = the largest (default: 0)")
    parser.add_argument("--method", default="auto", choices=("auto", "landmarks", "template", "parser"),
                        help="auto: the parser when --model is given, else landmarks with mediapipe, "
                        "else the layout template (default: auto)")
    parser.add_argument("--whole-image", action="store_true",
                        help="treat the whole picture as the face (for photos where no face is found)")
    parser.add_argument("--resolution", type=int, default=512, metavar="N",
                        help="side of the aligned crop the mask is made at (default: 512)")


def run(args: argparse.Namespace) -> int:
    from maskgan_studio.io.atomic import check_not_an_input, check_writable
    from maskgan_studio.io.images import read_image
    from maskgan_studio.io.masks import write_mask
    from maskgan_studio.photos import NoFaceError, mask_at_photo_size, prepare_photo

    check_writable(args.out)
    check_not_an_input(args.out, {"IMAGE": args.image, "--model": args.model})
    photo = read_image(args.image)
    parser = None
    if args.model:
        from maskgan_studio.photos.parser_model import load_parser

        parser = load_parser(args.model)
    try:
        prepared = prepare_photo(photo, face_index=args.face, resolution=args.resolution,
                                 mask_method=args.method, parser=parser, whole_image=args.whole_image)
    except NoFaceError as exc:
        raise InputFileError(args.image, str(exc)) from None
    write_mask(args.out, mask_at_photo_size(prepared.mask, prepared.transform))
    print(f"{args.out}: {prepared.description}", file=sys.stderr)
    return 0
