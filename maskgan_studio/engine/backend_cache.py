"""Converted networks on disk, so a backend converts a model once, not once per launch.

An entry is one file named by a key made of everything its content depends on (the weights'
digest, the input shapes, the precision, the runtime's version): a new model, size, precision or
runtime version is a new key, never a stale entry. The file starts with a digest of its payload;
one that does not match (a truncated or damaged file) is removed and reported missing, so the
caller converts again. Writes are atomic (``io.atomic``); a cache that cannot be written only
costs the next launch a conversion.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from pathlib import Path

import torch
from torch import nn

from maskgan_studio.errors import InputFileError
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.resources import user_cache_dir

log = logging.getLogger(__name__)

MAGIC = b"MGSCACHE1\n"
_DIGEST_SIZE = 32


def _digest(data) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


def weights_digest(module: nn.Module) -> str:
    """A digest of a network's tensors (names, dtypes, shapes and bytes): its identity in the cache,
    the same for the same weights whether they came from a file or were made in memory."""
    hasher = hashlib.blake2b(digest_size=_DIGEST_SIZE)
    for name, tensor in module.state_dict().items():
        tensor = tensor.detach().cpu().contiguous()
        hasher.update(f"{name}:{tensor.dtype}:{tuple(tensor.shape)};".encode())
        hasher.update(tensor.view(-1).view(torch.uint8).numpy())
    return hasher.hexdigest()


class ConversionCache:
    """``folder``: where entries live (default: the user's cache folder, ``openvino/`` in it)."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else user_cache_dir() / "openvino"

    @staticmethod
    def key(**parts) -> str:
        """A file-name-safe key for JSON-able ``parts`` (order does not matter)."""
        text = json.dumps(parts, sort_keys=True, default=str)
        return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.blob"

    def load(self, key: str) -> bytes | None:
        """The entry's payload, or None when there is none or it is damaged (then it is removed)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + _DIGEST_SIZE
        payload = data[head:]
        if data[: len(MAGIC)] != MAGIC or data[len(MAGIC) : head] != _digest(payload):
            log.warning("cache entry %s is damaged; converting again", path)
            self.discard(key)
            return None
        return payload

    def store(self, key: str, payload: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_write(self.path(key)) as handle:
                handle.write(MAGIC)
                handle.write(_digest(payload))
                handle.write(payload)
        except (OSError, InputFileError) as error:
            log.warning("could not write the conversion cache (%s); the next launch converts again", error)

    def discard(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self.path(key).unlink()
