"""MaskGAN Studio: edit faces by painting their semantic mask."""

import os

__version__ = "0.1.0"

# After each parallel operation torch's OpenMP threads (libgomp) spin GOMP_SPINCOUNT turns before
# they sleep: at libgomp's 300000, about 6 ms on the AMD EPYC here, during which they hold the
# cores that the OpenVINO backend's next network call needs (measured: the bundled generator's
# pass took 41 ms right after a torch operation, 35 ms after none). 10000 turns keep torch's own
# back-to-back operations as fast. Only read when torch loads, so set before anything imports it;
# a user's own setting stays.
os.environ.setdefault("GOMP_SPINCOUNT", "10000")
