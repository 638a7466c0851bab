"""Images made for tests: small files with huge dimensions, built without holding their pixels in memory."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

from PIL import Image


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_of_size(width: int, height: int, *, palette: bool = False) -> bytes:
    """A valid, all-black PNG of width × height: a few kilobytes, however large it decodes."""
    color_type, channels = (3, 1) if palette else (2, 3)
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * channels)  # filter byte "none", then the pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    chunks = [_chunk(b"IHDR", header)]
    if palette:
        chunks.append(_chunk(b"PLTE", b"\x00\x00\x00\xff\xff\xff"))
    chunks += [_chunk(b"IDAT", data), _chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def jpeg_of_size(width: int, height: int) -> bytes:
    """A small JPEG whose header claims width × height (its scan is cut short, as a bomb's would be)."""
    out = BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def animated(fmt: str, frames: int = 3, side: int = 64) -> bytes:
    """An animated GIF or PNG of a few coloured frames."""
    images = [Image.new("RGB", (side, side), (40 * i, 100, 200)) for i in range(frames)]
    out = BytesIO()
    images[0].save(out, fmt, save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()
