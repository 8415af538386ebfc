"""Photographic training faces from a generator: MobileStyleGAN's OpenVINO graphs run with torch.

torch and numpy only (no Qt); ``openvino`` is used on the CPU where it is installed.
"""
