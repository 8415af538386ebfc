"""The networks of MaskGAN as pure torch modules built from config dataclasses."""
