"""Gzip-compressed thread files, recognised by their content.

Mailing-list archives hand out threads as `t.mbox.gz`, and a browser saving one may
drop the name; the two magic bytes every gzip stream starts with say what it is.  The
file is decompressed whole before it is read like any other, with a ceiling, so a
small file that inflates to gigabytes (a "zip bomb") is refused instead of filling
memory.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from tui.core.errors import ThreadError

MAGIC = b"\x1f\x8b"
# Refuse to inflate past this: far above any real thread, far below a machine's memory.
MAX_INFLATED = 512 << 20
_CHUNK = 1 << 20
# zlib's window bits for "a gzip header and trailer around the deflate stream".
_GZIP = 16 + zlib.MAX_WBITS


def is_gzip(data: bytes) -> bool:
    return data.startswith(MAGIC)


def gunzip(data: bytes, path: Path | str | None = None, limit: int = MAX_INFLATED) -> bytes:
    """The decompressed bytes of a gzip file (several members are joined, as `gzip -d`
    does); a damaged or oversized one is a ThreadError."""
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(_GZIP)
            chunk = inflater.decompress(rest, _CHUNK)
            while True:
                size += len(chunk)
                if size > limit:
                    raise ThreadError(path, f"gzip data inflates to more than {limit >> 20} MB")
                out.append(chunk)
                if inflater.eof or not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            if not inflater.eof:
                raise ThreadError(path, "damaged gzip data (the file ends too early)")
            rest = inflater.unused_data
            if rest and not rest.startswith(MAGIC):
                break  # trailing garbage after the last member, as gzip -d ignores
    except zlib.error:
        raise ThreadError(path, "damaged gzip data") from None
    return b"".join(out)


def gunzip_head(data: bytes, size: int) -> bytes:
    """Up to `size` decompressed bytes from the start of a gzip file's first bytes
    (for a title); what cannot be decompressed yet is left out."""
    try:
        return zlib.decompressobj(_GZIP).decompress(data, size)
    except zlib.error:
        return b""
