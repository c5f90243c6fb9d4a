"""Open a thread file of any supported format: the one entry point the rest uses."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from tui.core.decoding import decode_bytes
from tui.core.errors import ThreadError
from tui.core.model import Thread

_JSON_START = re.compile(rb"\s*\{\s*[\"}]")

# Files larger than this open from their first HEAD_BYTES: enough comments for many
# screens, read in a few milliseconds, while the whole file takes a fifth of a second
# per 20 MB.
HEAD_FROM = 1 << 20
HEAD_BYTES = 256 << 10


def read_bytes(path: Path) -> bytes:
    """Read a file, turning every OS failure into a one-line ThreadError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ThreadError(path, "no such file") from None
    except IsADirectoryError:
        raise ThreadError(path, "is a directory, not a thread file") from None
    except PermissionError:
        raise ThreadError(path, "permission denied") from None
    except OSError as error:
        reason = error.strerror or errno.errorcode.get(error.errno or 0, "cannot be read")
        raise ThreadError(path, reason.lower()) from None


def is_json(data: bytes, path: Path | None = None) -> bool:
    """JSON by name, or by content that opens a JSON object."""
    if path is not None and path.suffix.lower() == ".json":
        return True
    return _JSON_START.match(data) is not None


def parse_thread(data: bytes, path: Path | None = None, *, repair: bool = True) -> Thread:
    """Parse raw file bytes in whichever format they are."""
    from tui.core.formats.native_json import read_json
    from tui.core.formats.plaintext import read_seed

    decoded = decode_bytes(data, path)
    if is_json(decoded.data, path):
        return read_json(decoded.data, path=path, encoding=decoded.encoding, repair=repair)
    return read_seed(decoded.data, path=path, encoding=decoded.encoding, repair=repair)


def read_thread(path: Path | str, *, repair: bool = True) -> Thread:
    """Read and parse a thread file; raises ThreadError with a user-facing reason.

    With `repair=False` the text is shown as written (no mojibake repair).
    """
    path = Path(path)
    if path.is_dir():
        raise ThreadError(path, "is a directory, not a thread file")
    return parse_thread(read_bytes(path), path, repair=repair)


def read_thread_head(path: Path | str, *, repair: bool = True) -> Thread:
    """The thread as far as its first `HEAD_BYTES` go (`partial=True`), for a large
    plain-text file; the whole thread otherwise.

    The head is cut at a line end and its last comment left out, so every comment it
    holds is whole; the caller reads the whole file afterwards (`read_thread`).  Files
    this cannot be sure of -- JSON, UTF-16, a head with fewer than two comments, any
    problem reading the head -- are read whole, so errors are reported as always.
    """
    path = Path(path)
    head = _head_bytes(path)
    if head is not None:
        from tui.core.formats.plaintext import read_seed

        try:
            decoded = decode_bytes(head, path)
        except ThreadError:
            decoded = None
        if decoded is not None and not is_json(decoded.data, path):
            thread = read_seed(
                decoded.data, path=path, encoding=decoded.encoding, repair=repair, partial=True
            )
            if len(thread.tree) >= 2:
                return thread
    return read_thread(path, repair=repair)


def _head_bytes(path: Path) -> bytes | None:
    """The file's first `HEAD_BYTES` up to the last line end, or None when the file
    is small, unreadable, UTF-16, or has no line end that early."""
    import codecs

    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size <= HEAD_FROM:
                return None
            head = file.read(HEAD_BYTES)
    except OSError:
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > 0 else None
