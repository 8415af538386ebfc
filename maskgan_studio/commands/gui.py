"""``maskgan-studio [gui] [IMAGE] [--mask M]``: the desktop editor (IMAGE may be a photo without a mask)."""

from __future__ import annotations

from maskgan_studio.commands import options

HELP = "open the editor (the default command): paint a face's mask and watch the face follow"


def add_arguments(parser) -> None:
    parser.add_argument("image", nargs="?", metavar="IMAGE",
                        help="the face to edit (default: the bundled sample face); a photo with no mask "
                        "has its face found, aligned and masked automatically")
    parser.add_argument("--mask", metavar="M", help="its 19-class mask (default: IMAGE_mask.png beside it; "
                        "none: IMAGE is treated as a photo)")
    options.add_model(parser)
    options.add_device(parser, default=None, default_help="the last choice, else auto")
    parser.add_argument("--backend", choices=("auto", "torch", "openvino"),
                        help="what runs the networks: auto (OpenVINO on the CPU when installed, else torch), "
                        "torch or openvino (default: the last choice, else auto)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, paint a scripted stroke, wait for the result, print one "
                        "JSON line of timings and exit (0: ok, 1: failure)")


def run(args) -> int:
    """--model and the display are checked here (Qt would abort without a display); --device on the
    worker thread, which reports it in the window (checking it here would import torch first)."""
    from maskgan_studio.app.display import display_problem
    from maskgan_studio.errors import StudioError

    model = options.model_path(args)
    args.model = str(model) if model else None
    problem = display_problem()
    if problem is not None:
        raise StudioError(problem)
    from maskgan_studio.app.launch import run as launch

    return launch(args)
