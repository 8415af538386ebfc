"""Training: datasets, losses and one trainer per stage (torch, no Qt).

``session.run_training`` is what ``maskgan-studio train`` calls; presets live in
``maskgan_studio/presets/*.toml``.
"""
