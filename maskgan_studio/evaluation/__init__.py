"""Evaluation against procedural ground truth: metrics and the ``eval`` runner."""
