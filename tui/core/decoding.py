"""Bytes from disk to clean UTF-8 bytes: encoding detection, BOMs, line endings.

Everything downstream works on UTF-8 bytes with LF line endings, whatever the file was
written in, so the post index can be built with byte-level searches (fast at 20 MB)
and each post decoded only when it is shown.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import ThreadError

_CHUNK = 1 << 20
# Anything but ASCII whitespace and the bytes of NO-BREAK SPACE counts as content.
_CONTENT = re.compile(rb"[^\s\xc2\xa0]")
_BINARY_SAMPLE = 8192
# C0 controls that plain text does not use (tab, LF, CR, FF, VT and ESC are allowed:
# ESC is hostile but textual, and the view shows it as a symbol).
_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's bytes as UTF-8 with LF newlines, and the encoding it was read with."""

    data: bytes
    encoding: str


def is_utf8(data: bytes) -> bool:
    """Validate UTF-8 in chunks, so a 20 MB file never becomes one 80 MB str at once."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:_BINARY_SAMPLE]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls / len(sample) > 0.1


def decode_bytes(data: bytes, path: Path | str | None = None) -> Decoded:
    """Normalise raw file bytes, or raise ThreadError for binary or empty input.

    UTF-8 (a BOM is stripped) is tried first; a file that is not valid UTF-8 is read as
    Windows-1252, and if even that fails as Latin-1, which accepts any byte.  UTF-16
    with a BOM is accepted too.  CRLF and lone CR become LF.
    """
    encoding = "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
            encoding = "utf-16"
        except UnicodeDecodeError:
            raise ThreadError(path, "not a text file (broken UTF-16)") from None
    elif data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if _looks_binary(data):
        raise ThreadError(path, "not a text file (binary data)")
    if encoding == "utf-8" and not data.isascii() and not is_utf8(data):
        try:
            text = data.decode("windows-1252")
            encoding = "windows-1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "latin-1"
        data = text.encode("utf-8")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if _CONTENT.search(data) is None:
        raise ThreadError(path, "empty file (nothing but whitespace)")
    return Decoded(data, encoding)
