"""Inference sessions on top of the networks (torch, no Qt)."""
