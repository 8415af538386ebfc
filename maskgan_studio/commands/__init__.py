"""One module per subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args) -> int``.

Keep imports at the top of these modules to the standard library and ``maskgan_studio.errors``;
import torch, Qt and the heavy packages inside ``run``.
"""
