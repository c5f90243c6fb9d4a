"""Open a thread file of any supported format: the one entry point the rest uses.

Which reader reads a file is decided by its content (see `tui.core.formats.registry`):

1. content that opens a JSON object (`{"` or `{}`), or any file named `*.json`, is
   JSON: it is parsed once (a file of several JSON values, one a line, is JSON Lines
   and reads as the list of them).  An object with a "format" key is `threadread/1`
   (its errors worded as they always were); otherwise the first registered reader
   whose `match` accepts the value reads it, and a value nobody accepts is the error
   `not a thread threadread can read (looks like: …)`;
2. content that opens a JSON array (`[{`, `[[`) is tried as JSON the same way, but
   when it does not parse it is plain text after all (a title may start with `[`);
3. anything else goes to the first text reader whose `sniff` accepts its first 4 KB,
   and is the seed's plain-text format when none does.
"""

from __future__ import annotations

import errno
import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.core.decoding import decode_bytes
from tui.core.errors import ThreadError
from tui.core.formats.compressed import gunzip, is_gzip
from tui.core.formats.registry import Source, json_readers, text_readers
from tui.core.model import Thread

_JSON_START = re.compile(rb"\s*\{\s*[\"}]")
_JSON_ARRAY_START = re.compile(rb"\s*\[\s*[\[{\]]")
SNIFF_BYTES = 4096

# Files larger than this open from their first HEAD_BYTES: enough comments for many
# screens, read in a few milliseconds, while the whole file takes a fifth of a second
# per 20 MB.
HEAD_FROM = 1 << 20
HEAD_BYTES = 256 << 10
# A site thread in JSON opens from its first whole reply trees: those in the first
# 256 KiB, or when the first tree is larger than that (Reddit's metadata is most of
# its bytes), in the first MiB; still a few milliseconds to parse.
JSON_HEAD_BYTES = (256 << 10, 1 << 20)


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


def may_be_json_array(data: bytes) -> bool:
    """Content that opens a JSON array of objects or arrays: JSON if it parses."""
    return _JSON_ARRAY_START.match(data) is not None


def load_document(data: bytes, path: Path | None) -> tuple[Any, tuple[str, ...]]:
    """Parse JSON, or JSON Lines (several values, one a line) as the list of them,
    with notices for the lines of JSON Lines that are not JSON (left out: a download
    cut short loses its last item, not the thread).

    Raises the same ThreadError as a `threadread/1` file for malformed JSON, and for
    "JSON Lines" with fewer than two good lines.
    """
    from tui.core.formats.native_json import load_json

    try:
        return load_json(data, path), ()
    except ThreadError as error:
        if "Extra data" not in error.reason:
            raise
        values, bad = _json_lines(data)
        if len(values) < 2:
            raise
    if not bad:
        return values, ()
    shown = ", ".join(str(n) for n in bad[:5]) + (", …" if len(bad) > 5 else "")
    noun = "line" if len(bad) == 1 else "lines"
    return values, (f"JSON Lines: {len(bad):,} {noun} not JSON, left out (line {shown})",)


def _json_lines(data: bytes) -> tuple[list[Any], list[int]]:
    """The values of a JSON Lines file, and the numbers of the lines that are not JSON."""
    values: list[Any] = []
    bad: list[int] = []
    for number, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except (ValueError, RecursionError):
            bad.append(number)
    return values, bad


def _with_notices(thread: Thread, notices: tuple[str, ...]) -> Thread:
    return replace(thread, notices=notices + thread.notices) if notices else thread


def read_document(source: Source) -> Thread:
    """A parsed JSON value (in `source.document`) as a thread, by whichever reader
    accepts its shape."""
    from tui.core.formats.native_json import read_json
    from tui.core.formats.site import describe_json

    document = source.document
    if isinstance(document, dict) and "format" in document:
        return read_json(
            source.data,
            path=source.path,
            encoding=source.encoding,
            repair=source.repair,
            document=document,
        )
    for reader in json_readers():
        assert reader.match is not None
        if reader.match(document):
            return reader.read(source)
    raise ThreadError(
        source.path,
        f"not a thread threadread can read (looks like: {describe_json(document)})",
    )


def parse_thread(data: bytes, path: Path | None = None, *, repair: bool = True) -> Thread:
    """Parse raw file bytes in whichever format they are (gzip-compressed or not)."""
    if is_gzip(data):
        data = gunzip(data, path)
    decoded = decode_bytes(data, path)
    return parse_decoded(decoded.data, path, encoding=decoded.encoding, repair=repair, raw=data)


def parse_decoded(
    text: bytes,
    path: Path | None = None,
    *,
    encoding: str = "utf-8",
    repair: bool = True,
    raw: bytes | None = None,
) -> Thread:
    """Parse bytes already normalised by `decode_bytes` (UTF-8, LF newlines); `raw`
    are the bytes before that, for readers that decode their own (see `Source.raw`)."""
    from tui.core.formats.plaintext import read_seed

    source = Source(text, path, encoding, repair, raw=raw)
    if is_json(text, path):
        document, notices = load_document(text, path)
        return _with_notices(read_document(replace(source, document=document)), notices)
    if may_be_json_array(text):
        try:
            document, notices = load_document(text, path)
        except ThreadError:
            document = None
        if document is not None:
            return _with_notices(read_document(replace(source, document=document)), notices)
    head = text[:SNIFF_BYTES]
    for reader in text_readers():
        assert reader.sniff is not None
        if reader.sniff(head):
            return reader.read(source)
    return read_seed(text, path=path, encoding=encoding, repair=repair)


def head_title(data: bytes, path: Path | None = None) -> tuple[str, str | None]:
    """The format (as `format_of`) and title of a file from its first bytes
    (normalised UTF-8, cut where a character or line ends); the title is None when
    the head does not hold it.  The seed's format is left to the caller ("text")."""
    from tui.core.formats.registry import generic_head_title, readers

    fmt = format_of(data, path)
    if fmt == "text":
        return fmt, None
    head = data.decode("utf-8", errors="replace")
    if fmt == "json" and _NATIVE_START.match(data):
        # Its own "title" member; no site reader's guess, whatever its posts quote.
        return fmt, generic_head_title(head)
    if fmt == "json":
        for reader in readers():
            if reader.match is not None and reader.head_title is not None:
                title = reader.head_title(head)
                if title is not None:
                    return fmt, title or None
        return fmt, generic_head_title(head)
    for reader in readers():
        if reader.name == fmt and reader.head_title is not None:
            return fmt, reader.head_title(head)
    return fmt, None


_NATIVE_START = re.compile(rb'\s*\{\s*"format"\s*:\s*"threadread/1"')


def text_is_file_text(data: bytes, path: Path | None = None) -> bool:
    """Whether a file's bytes hold its posts' text as is (up to JSON escapes), so a
    byte search can rule it out: the seed's plain text, and `threadread/1` JSON that
    says so first (as `export --format json` writes it).  Site formats store HTML or
    Markdown, where entities and markup sit inside words, and are not; nor is a
    format a text reader claims (mail may be quoted-printable or base64).  Looks at
    the raw bytes' start only.  Nor is a gzip-compressed file."""
    if is_gzip(data):
        return False
    head = data[:SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")
    if is_json(head, path) or may_be_json_array(head):
        return _NATIVE_START.match(head) is not None
    return format_of(head, path) == "text"


def format_of(data: bytes, path: Path | None = None) -> str:
    """The name of the reader that would read these (normalised UTF-8) bytes, looking
    at the first bytes only: "json" for any JSON, a text reader's name, or "text"."""
    if is_json(data, path) or may_be_json_array(data):
        return "json"
    head = data[:SNIFF_BYTES]
    for reader in text_readers():
        assert reader.sniff is not None
        if reader.sniff(head):
            return reader.name
    return "text"


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

    A large site thread in JSON opens from the whole reply trees its first bytes hold
    (`JSON_HEAD_BYTES`), when its reader names where they are (`Reader.head_path`).
    """
    path = Path(path)
    thread = _json_head(path, repair)
    if thread is not None:
        return thread
    head = _head_bytes(path)
    if head is not None:
        from tui.core.formats.plaintext import read_seed

        try:
            decoded = decode_bytes(head, path)
        except ThreadError:
            decoded = None
        if decoded is not None and format_of(decoded.data, path) == "text":
            thread = read_seed(
                decoded.data, path=path, encoding=decoded.encoding, repair=repair, partial=True
            )
            if len(thread.tree) >= 2:
                return thread
    return read_thread(path, repair=repair)


def _json_head(path: Path, repair: bool) -> Thread | None:
    """The first whole reply trees of a large site thread in JSON, as a partial
    thread; None for anything else (read whole then)."""
    import codecs

    for size in JSON_HEAD_BYTES:
        try:
            with path.open("rb") as file:
                if os.fstat(file.fileno()).st_size <= max(HEAD_FROM, size):
                    return None
                head = file.read(size)
        except OSError:
            return None
        thread = _json_head_of(head.removeprefix(codecs.BOM_UTF8), path, repair)
        if thread is not None:
            return thread
    return None


def _json_head_of(head: bytes, path: Path, repair: bool) -> Thread | None:
    """The thread of the whole reply trees in `head`, by the first reader that knows
    where they are; None when there are fewer than two comments to show."""
    import codecs

    from tui.core.formats.json_head import prefix_document

    if not (is_json(head) or may_be_json_array(head)) or _NATIVE_START.match(head):
        return None
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return None
    for reader in json_readers():
        if reader.head_path is None or reader.match is None:
            continue
        document = prefix_document(text, reader.head_path)
        if document is None or not reader.match(document):
            continue
        source = Source(b"", path, "utf-8", repair, document)
        try:
            thread = reader.read(source)
        except (ThreadError, RecursionError):
            return None
        if len(thread.tree) < 2:
            return None
        return replace(thread, partial=True, notices=())
    return None


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
