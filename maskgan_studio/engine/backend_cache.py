"""Converted networks on disk, so a backend converts a model once, not once per launch.

An entry is one file named by a key made of everything its content depends on (the weights'
digest, the input shapes, the precision, the runtime's version): a new model, size, precision or
runtime version is a new key, never a stale entry. The file starts with a digest of its payload;
one that does not match (a truncated or damaged file) is removed and reported missing, so the
caller converts again. Writes are atomic (``io.atomic``); a cache that cannot be written only
costs the next launch a conversion. The folder is kept under ``MAX_BYTES``: after each write the
least recently used entries go (a full-size generator's pair of entries takes 1.2 GB in bf16 and
1.9 GB in fp32, and every model, precision and runtime version adds its own).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path

import torch
from torch import nn

from maskgan_studio.errors import InputFileError
from maskgan_studio.io.atomic import atomic_write
from maskgan_studio.resources import user_cache_dir

log = logging.getLogger(__name__)

MAGIC = b"MGSCACHE1\n"
_DIGEST_SIZE = 32
MAX_BYTES = 8 * 2**30


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
    """``folder``: where entries live (default: the user's cache folder, ``openvino/`` in it);
    ``max_bytes``: how much they may take together."""

    def __init__(self, folder: str | Path | None = None, max_bytes: int = MAX_BYTES):
        self.folder = Path(folder) if folder is not None else user_cache_dir() / "openvino"
        self.max_bytes = max_bytes

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
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to go when the folder is over its size
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
            return
        self._evict(keep=self.path(key))

    def _evict(self, keep: Path) -> None:
        """Removes the least recently used entries (by modification time, which a load renews) until
        the folder is within ``max_bytes``; never ``keep``, the entry just written."""
        entries = []
        for path in self.folder.glob("*.blob"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            if path != keep:
                with contextlib.suppress(OSError):
                    path.unlink()
                    total -= size
                    log.info("conversion cache over %d bytes: removed %s, used longest ago", self.max_bytes, path)

    def discard(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self.path(key).unlink()
