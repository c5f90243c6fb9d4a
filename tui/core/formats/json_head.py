"""The complete beginning of a JSON document, read from the first part of its file.

A 10 MB Reddit thread takes a tenth of a second to parse, most of it building the
objects of metadata nobody reads, and the first screen shows a dozen comments.  Site
threads keep their comments in one array (Reddit's second Listing's `children`, an
Algolia story's `children`), each element a whole reply tree in reading order, so the
first few elements are a thread of their own whose comments have the very numbers they
have in the whole file.  `prefix_document` builds that smaller document from the
file's head: every member up to the array, then as many of its elements as the head
holds whole.  The reader shows it (`Thread.partial`) and reads the whole file behind
the first screen, as it does for a large plain-text thread.

Only the standard library's decoder runs here (`raw_decode` for each value), so what
this accepts is exactly what `json.loads` would have read from those bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.decoder import scanstring
from typing import Any

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"

Path = Sequence[str | int]


class _Cut(Exception):
    """The head ends before the document reaches what was asked for."""


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _expect(text: str, pos: int, char: str) -> int:
    pos = _skip(text, pos)
    if text[pos : pos + 1] != char:
        raise _Cut
    return pos + 1


def _value(text: str, pos: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, _skip(text, pos))
    except (json.JSONDecodeError, RecursionError):
        raise _Cut from None


def _after_member(text: str, pos: int, close: str) -> tuple[int, bool]:
    """Past the `,` after a member (True) or the closing bracket (False)."""
    pos = _skip(text, pos)
    char = text[pos : pos + 1]
    if char == ",":
        return pos + 1, True
    if char == close:
        return pos + 1, False
    raise _Cut


def _items(text: str, pos: int) -> list[Any]:
    """The whole elements of the array opening at `pos`, as far as the text goes."""
    pos = _expect(text, pos, "[")
    items: list[Any] = []
    if text[_skip(text, pos) : _skip(text, pos) + 1] == "]":
        return items
    while True:
        try:
            item, pos = _value(text, pos)
            pos, more = _after_member(text, pos, "]")
        except _Cut:
            return items
        items.append(item)
        if not more:
            return items


def _walk(text: str, pos: int, path: Path) -> Any:
    if not path:
        return _items(text, pos)
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        pos = _expect(text, pos, "[")
        values: list[Any] = []
        for _ in range(step):
            value, pos = _value(text, pos)
            values.append(value)
            pos, more = _after_member(text, pos, "]")
            if not more:
                raise _Cut
        values.append(_walk(text, pos, rest))
        return values
    pos = _expect(text, pos, "{")
    members: dict[str, Any] = {}
    while True:
        pos = _expect(text, pos, '"')
        try:
            key, pos = scanstring(text, pos, True)
        except (json.JSONDecodeError, ValueError):
            raise _Cut from None
        pos = _expect(text, pos, ":")
        if key == step:
            members[key] = _walk(text, pos, rest)
            return members
        members[key], pos = _value(text, pos)
        pos, more = _after_member(text, pos, "}")
        if not more:
            raise _Cut


def prefix_document(text: str, path: Path) -> Any | None:
    """The document `text` begins, cut after the last whole element of the array at
    `path` (keys and indexes from the top); None when the text does not reach that
    array.  Members after the array are left out."""
    try:
        return _walk(text, 0, path)
    except _Cut:
        return None
