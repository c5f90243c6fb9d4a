"""The file formats threadread reads, each described by a `Reader`, and how one is picked.

Saved threads are named after whatever the browser or script chose (`index.json`,
`item`, `comments.json?raw_json=1`...), so formats are told apart by their content,
never by their file name.  Two kinds of reader register here:

* JSON readers (`Reader.match` set): the file is parsed once (a JSON document, or JSON
  Lines, which become a list of the lines' values), and each reader's `match` looks at
  the parsed value -- a few key lookups, no walk -- and says whether it is its shape.
  The first that says yes reads it from `Source.document`.
* text readers (`Reader.sniff` set): asked, in order, with the first 4 KB of a file
  that is not JSON (UTF-8, LF newlines).  A file no text reader claims is the seed's
  plain-text format.

`Reader.head_title` gives the library a title from a file's first 4 KB (which may end
mid-document); it returns None when the head is not its format, and an empty string
when it is but the title is not in the head (a Discourse topic lists its posts before
its title, a Mastodon status holds a link card's "title"): no other guess is made
then, and the title is filled in by the full read.

The built-in readers live in the modules named in `BUILTIN`; each defines `READER`.
A reader in another module is added with `register` (or by naming its module in
`BUILTIN`).  Readers are tried in registration order.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.model import Thread

#: Modules (in tui.core.formats) holding a `READER`, in the order they are tried.
BUILTIN = (
    "hn_algolia",
    "hn_firebase",
    "hn_hnpwa",
    "reddit",
    "lobsters",
    "discourse",
    "mastodon",
    "bluesky",
    "mbox",
)


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read: its bytes (UTF-8 with LF newlines, see `tui.core.decoding`),
    where it came from, and for JSON readers the parsed `document`.

    `raw` is the file's bytes before that normalisation (decompressed if it was
    gzip), for formats that name their own charsets part by part, as mail does.
    """

    data: bytes
    path: Path | None = None
    encoding: str = "utf-8"
    repair: bool = True
    document: Any = None
    raw: bytes | None = None


@dataclass(frozen=True, slots=True)
class Reader:
    """One file format.

    `name` becomes `Thread.format`; `label` names it in messages ("a Reddit thread").
    `read(source)` builds the Thread, raising `ThreadError` only when nothing can be
    shown; broken parts it can skip go to `Thread.notices`.  `suffixes` are file name
    endings (with the dot) that the library should look into besides .txt, .json and
    none.  `head_path` (JSON readers) names the array of whole reply trees, in
    reading order, that a large file's first screen may be read from alone (see
    `tui.core.formats.json_head`); None when the file's order does not allow it.
    """

    name: str
    label: str
    read: Callable[[Source], Thread]
    match: Callable[[Any], bool] | None = None
    sniff: Callable[[bytes], bool] | None = None
    head_title: Callable[[str], str | None] | None = None
    suffixes: frozenset[str] = field(default_factory=frozenset)
    head_path: tuple[str | int, ...] | None = None


_JSON_TITLE = re.compile(r'"title"\s*:\s*("(?:[^"\\]|\\.)*")')


def generic_head_title(head: str) -> str | None:
    """The first "title" member's string in a JSON file's first bytes, else None."""
    match = _JSON_TITLE.search(head)
    if match is None:
        return None
    try:
        title = json.loads(match.group(1))
    except ValueError:
        return None
    return title if isinstance(title, str) else None


_readers: list[Reader] = []
_loaded = False


def register(reader: Reader) -> None:
    """Add a reader (tried after those already there); a reader of the same name is
    replaced in place."""
    for index, known in enumerate(_readers):
        if known.name == reader.name:
            _readers[index] = reader
            return
    _readers.append(reader)


def readers() -> tuple[Reader, ...]:
    """Every registered reader, the built-in ones loaded first."""
    global _loaded
    if not _loaded:
        _loaded = True
        builtin = []
        for name in BUILTIN:
            module = importlib.import_module(f"{__package__}.{name}")
            builtin.append(module.READER)
        others = list(_readers)
        _readers.clear()
        for reader in [*builtin, *others]:
            register(reader)
    return tuple(_readers)


def json_readers() -> tuple[Reader, ...]:
    return tuple(r for r in readers() if r.match is not None)


def text_readers() -> tuple[Reader, ...]:
    return tuple(r for r in readers() if r.sniff is not None)


def extra_suffixes() -> frozenset[str]:
    """File name endings the registered readers ask the library to look into."""
    found: set[str] = set()
    for reader in readers():
        found.update(s.lower() for s in reader.suffixes)
    return frozenset(found)
