"""Open a thread file of any supported format: the one entry point the rest uses."""

from __future__ import annotations

import errno
import re
from pathlib import Path

from tui.decoding import decode_bytes
from tui.errors import ThreadError
from tui.model import Thread

_JSON_START = re.compile(rb"\s*\{\s*[\"}]")


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
    from tui.json_format import read_json
    from tui.seed_format import read_seed

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
