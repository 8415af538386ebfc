"""Procedural faces: random face masks, styles, a renderer and scripted edits (numpy/OpenCV)."""
