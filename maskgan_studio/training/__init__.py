"""Training: datasets, losses and one trainer per stage (torch, no Qt)."""
