"""Files: images, label masks and the CelebAMask-HQ per-part merge (numpy and Pillow only)."""
