"""Hand-made project files for the tests that feed the editor what no save ever writes."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

from app_support import face
from PIL import Image


def png(array) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def png_header(width: int, height: int, colour_type: int = 2) -> bytes:
    """A PNG that declares ``width`` x ``height`` (8-bit RGB) and holds one tiny, truncated IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def hand_made_project(path: Path, settings=None, size: int = 32, replace: dict | None = None,
                      manifest: dict | None = None) -> Path:
    """A project written by hand: ``settings`` as given (any JSON), entries replaced by ``replace``."""
    image, mask = face(size)
    body = {"format": "maskgan-studio-project", "version": 1, "extra": {},
            "settings": {} if settings is None else settings, **(manifest or {})}
    entries = {"project.json": json.dumps(body).encode(), "source.png": png(image),
               "source_mask.png": png(mask), "edited_mask.png": png(mask), **(replace or {})}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def declare_entry_size(path: Path, name: str, size: int) -> None:
    """Make entry ``name`` of a stored zip declare ``size`` uncompressed bytes, in both headers,
    as a deflated bomb would (its data stays small: nothing large is ever made)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    struct.pack_into("<I", data, local + 22, size)
    offset = data.find(b"PK\x01\x02")
    while offset >= 0:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46:offset + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, offset + 24, size)
        offset = data.find(b"PK\x01\x02", offset + 4)
    path.write_bytes(bytes(data))
