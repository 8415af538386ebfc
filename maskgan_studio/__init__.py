"""MaskGAN Studio: edit faces by painting their semantic mask."""

__version__ = "0.1.0"
