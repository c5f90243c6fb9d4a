"""The records the reading state hands out (positions, bookmarks, basket quotes) and
the compact stored form of a set of comment numbers.

Plain frozen dataclasses: they cross from the store's worker thread to the UI, so
nothing in them may change after they are made.
"""

from __future__ import annotations

import operator
import sys
import zlib
from array import array
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.quoting import Attribution, plain
from tui.core.safety import for_clipboard

if TYPE_CHECKING:
    from tui.core.model import Thread

__all__ = [
    "EXCERPT_LIMIT",
    "Bookmark",
    "Position",
    "QuoteItem",
    "pack_numbers",
    "quote_item",
    "unpack_numbers",
]

EXCERPT_LIMIT = 200


def pack_numbers(numbers: Iterable[int]) -> bytes:
    """A set of non-negative integers, compact: the sorted numbers' differences as
    64-bit integers, zlib-compressed.

    Folds cluster (fold-all folds every top-level comment, a flat thread's 1..N) and
    differences repeat, so the fold state of a 100,000-comment thread takes about a
    kilobyte, and both directions run in C (`unpack_numbers` about 1 ms for 10,000).
    """
    ordered = sorted(set(numbers))
    if ordered and ordered[0] < 0:
        raise ValueError("numbers must not be negative")
    deltas = array("Q", map(operator.sub, ordered, [0, *ordered[:-1]]))
    if sys.byteorder == "big":
        deltas.byteswap()
    return zlib.compress(deltas.tobytes())


def unpack_numbers(data: bytes) -> frozenset[int]:
    """The set `pack_numbers` made; raises ValueError on damaged data."""
    if not data:
        return frozenset()
    try:
        raw = zlib.decompress(data)
    except zlib.error as error:
        raise ValueError(f"damaged number set: {error}") from None
    deltas = array("Q")
    deltas.frombytes(raw)
    if sys.byteorder == "big":
        deltas.byteswap()
    return frozenset(accumulate(deltas))


@dataclass(frozen=True, slots=True)
class Position:
    """Where the reader was in a thread, to put it back there on reopening.

    `focus` is the focused comment's number (0 the article) and `focus_key` its
    `comment_key`, which finds it again when inserted replies shift the numbers.
    `scroll` is the view's scroll offset in rows, a hint.  `folded` holds the folded
    comment numbers, `count` how many comments the thread had when saved: when it
    differs in a nested thread the numbers may have moved.
    """

    focus: int = 0
    focus_key: bytes | None = None
    scroll: int = 0
    folded: frozenset[int] = frozenset()
    article_folded: bool = False
    count: int = 0


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A marked comment, with enough to list it without opening its thread.

    `path` and `title` are the thread's as last seen (`path` is None when the file's
    whereabouts are unknown); `key` finds the comment again if numbers shifted.
    """

    id: int
    thread_id: int
    path: Path | None
    title: str
    number: int
    note: str = ""
    author: str | None = None
    excerpt: str = ""
    created: datetime | None = None
    key: bytes | None = None


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """One quote in the basket: a copy of the text, not a reference, so it outlives
    edits and moves of its thread.  `number` 0 is the article; `paragraph` (0-based)
    is set when a single paragraph was quoted.  `id` is 0 until stored."""

    title: str
    path: Path | None
    number: int
    text: str
    author: str | None = None
    posted: datetime | None = None
    paragraph: int | None = None
    id: int = 0
    added: datetime | None = field(default=None, compare=False)

    @property
    def source(self) -> Attribution:
        """Where the quote comes from, as `tui.core.quoting` renders it."""
        return Attribution(self.title, self.number, self.paragraph, self.author, self.posted)

    @property
    def attribution(self) -> str:
        """The attribution line (also stored, for older readers of the database)."""
        return self.source.line()


def quote_item(
    thread: Thread, number: int, paragraph: int | None = None, text: str | None = None
) -> QuoteItem:
    """A basket entry for post `number` of `thread` (0 the article), one `paragraph` of
    it, or a mouse selection `text` from it, attributed as `tui.core.quoting.quote` does.

    Raises IndexError for a post or paragraph that does not exist.
    """
    source = Attribution.of(thread, number, paragraph)
    body = plain(thread, number, paragraph) if text is None else for_clipboard(text).strip("\n")
    return QuoteItem(
        title=source.title,
        path=thread.source,
        number=number,
        text=body,
        author=source.author,
        posted=source.posted,
        paragraph=paragraph,
    )


def from_timestamp(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp).astimezone() if timestamp is not None else None


def excerpt_of(text: str) -> str:
    text = " ".join(for_clipboard(text).split())
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"


def quote_from_row(row: tuple) -> QuoteItem:
    # The stored attribution line is not read back: it is made from these fields.
    quote_id, title, path, number, paragraph, author, posted, text, _line, added = row
    when = None
    if posted:
        with suppress(ValueError):
            when = datetime.fromisoformat(posted)
    return QuoteItem(
        title=title,
        path=Path(path) if path else None,
        number=number,
        text=text,
        author=author,
        posted=when,
        paragraph=paragraph,
        id=quote_id,
        added=from_timestamp(added),
    )


# -- rows: what the store reads and writes ------------------------------------------------


def position_values(position: Position) -> tuple[object, ...]:
    """A position as the threads table's focus, focus_key, scroll, folded,
    article_folded and position_count columns."""
    return (
        position.focus,
        position.focus_key,
        position.scroll,
        pack_numbers(position.folded),
        int(position.article_folded),
        position.count,
    )


def position_from_row(row: tuple) -> Position:
    """The inverse of `position_values`; damaged folds read as none folded."""
    focus, key, scroll, folded, article_folded, count = row
    try:
        numbers = unpack_numbers(folded or b"")
    except ValueError:
        numbers = frozenset()
    return Position(
        focus=focus or 0,
        focus_key=key,
        scroll=scroll or 0,
        folded=numbers,
        article_folded=bool(article_folded),
        count=count or 0,
    )


def bookmark_from_row(row: tuple) -> Bookmark:
    """A bookmark from (id, thread_id, path, title, number, note, author, excerpt,
    created, key)."""
    mark_id, thread_id, path, title, number, note, author, excerpt, created, key = row
    return Bookmark(
        id=mark_id,
        thread_id=thread_id,
        path=Path(path) if path else None,
        title=title,
        number=number,
        note=note,
        author=author,
        excerpt=excerpt,
        created=from_timestamp(created),
        key=key,
    )


def quote_values(item: QuoteItem) -> tuple[object, ...]:
    """A quote as the quotes table's title, path, number, paragraph, author, posted,
    text and attribution columns (the line is stored for older readers only)."""
    return (
        item.title,
        str(item.path) if item.path is not None else None,
        item.number,
        item.paragraph,
        item.author,
        item.posted.isoformat() if item.posted is not None else None,
        item.text,
        item.attribution,
    )
