"""What the readers of site formats (Hacker News, Reddit, Lobsters...) share.

A site reader does two things with a file:

1. It walks the parsed JSON once, without recursion, and lists the comments in reading
   order with their depths (`Entry`): cheap even for 100,000 comments, since nothing
   is rendered.  Sites that store replies flat, with a link to their parent, go
   through `order_by_parent`, which also finds orphans and cycles.
2. `lazy_tree` turns that list into a `CommentTree` whose comments are rendered (HTML or
   Markdown to text and spans, mojibake repair) only when first shown or searched.

`Notices` gathers what was wrong with the file but did not stop the read, and words it
as the single notice the reader shows (`Thread.notices`).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from tui.core.formats.richtext import html_to_rich, markdown_to_rich, plain_spans
from tui.core.model import (
    DEAD_TEXT,
    DELETED_TEXT,
    Comment,
    CommentTree,
    Span,
    Status,
    more_text,
)
from tui.core.repair import Repair, repair_text
from tui.core.safety import visible

T = TypeVar("T")

# Rendered comments kept in memory; others are rendered again from the parsed JSON.
COMMENT_CACHE = 4096
# A notice names this many broken parts, then says how many more there were.
NOTICE_ITEMS = 5


@dataclass(frozen=True, slots=True)
class Entry(Generic[T]):
    """One comment row as found in the file: its depth, the raw item, and whether it
    is an orphan (its parent was not in the file)."""

    depth: int
    item: T
    orphan: bool = False


@dataclass(slots=True)
class Post:
    """A comment as a reader renders it; `lazy_tree` numbers it and adds its depth."""

    text: str = ""
    spans: tuple[Span, ...] = ()
    author: str | None = None
    posted: datetime | None = None
    score: int | None = None
    url: str | None = None
    key: str | None = None
    status: Status = Status.NORMAL
    more: int = 0
    repairs: tuple[Repair, ...] = ()


def render_markup(
    source: str,
    markup: str,
    *,
    repair: bool,
    base: str | None = None,
    gt_quotes: bool = False,
) -> tuple[str, tuple[Span, ...], tuple[Repair, ...]]:
    """Text, spans and repairs of a post's source in `markup` ("html", "markdown" or
    "text").  Mojibake is repaired in the source, before rendering, so the spans line
    up with the text shown."""
    repairs: tuple[Repair, ...] = ()
    if repair and not source.isascii():
        source, repairs = repair_text(source)
    if markup == "html":
        text, spans = html_to_rich(source, base=base, gt_quotes=gt_quotes)
    elif markup == "markdown":
        text, spans = markdown_to_rich(source, base=base)
    else:
        text = source.strip()
        spans = plain_spans(text)
    return text, spans, repairs


def plain_title(title: str, repair: bool) -> tuple[str, tuple[Repair, ...]]:
    """A title as one line of plain text (titles hold no markup), repaired."""
    title = " ".join(title.split())
    if repair and not title.isascii():
        return repair_text(title)
    return title, ()


def article_paragraphs(text: str) -> tuple[str, ...]:
    """The article's paragraphs: its rendered text split where blocks were joined, so
    that `Thread.article_text` gives back `text` and its spans' offsets."""
    return tuple(text.split("\n\n")) if text else ()


def placeholder(post: Post) -> Post:
    """Fill in the visible text of a deleted, dead-and-empty or `more` row."""
    if post.status is Status.MORE:
        post.text = more_text(post.more)
        post.spans = ()
    elif post.status is Status.DELETED and not post.text:
        post.text = DELETED_TEXT
    elif post.status is Status.DEAD and not post.text:
        post.text = DEAD_TEXT
    return post


def lazy_tree(
    entries: Sequence[Entry[T]],
    render: Callable[[T], Post],
    *,
    average_chars: float = 200.0,
) -> CommentTree:
    """A CommentTree over `entries` (reading order) that renders each on first use.

    An orphan's status becomes `Status.ORPHAN` when it would otherwise be normal.
    """
    depths = array("i", [e.depth for e in entries])

    def load(number: int) -> tuple[Comment, tuple[Repair, ...]]:
        entry = entries[number - 1]
        post = placeholder(render(entry.item))
        status = post.status
        if entry.orphan and status is Status.NORMAL:
            status = Status.ORPHAN
        comment = Comment(
            number=number,
            text=post.text,
            author=post.author,
            posted=post.posted,
            depth=entry.depth,
            score=post.score,
            url=post.url,
            key=post.key,
            status=status,
            more=post.more,
            spans=post.spans,
        )
        return comment, post.repairs

    return CommentTree.from_depths(depths, load, average_chars, COMMENT_CACHE)


def order_by_parent(
    items: Iterable[T],
    key: Callable[[T], Hashable | None],
    parent: Callable[[T], Hashable | None],
    *,
    root: Hashable | None = None,
) -> tuple[list[Entry[T]], list[T]]:
    """Reading order of comments stored flat with a link to their parent.

    Replies keep the order the file lists them in.  A comment whose parent is `root`
    or None is top level; one whose parent is not in the file is an orphan and is shown
    at the top level, where it was first listed.  Returns the entries and the orphans.
    Iterative: a 10,000-deep chain costs no stack.
    """
    listed = list(items)
    keys: dict[Hashable, int] = {}
    for index, item in enumerate(listed):
        k = key(item)
        if k is not None and k not in keys:
            keys[k] = index
    children: dict[int, list[int]] = {}
    tops: list[int] = []
    orphans: set[int] = set()
    for index, item in enumerate(listed):
        p = parent(item)
        if p is None or p == root:
            tops.append(index)
            continue
        at = keys.get(p)
        if at is None or at == index:
            orphans.add(index)
            tops.append(index)
        else:
            children.setdefault(at, []).append(index)
    entries: list[Entry[T]] = []
    seen = bytearray(len(listed))
    stack = [(i, 0) for i in reversed(tops)]
    while True:
        while stack:
            index, depth = stack.pop()
            if seen[index]:
                continue
            seen[index] = 1
            entries.append(Entry(depth, listed[index], index in orphans))
            stack.extend((c, depth + 1) for c in reversed(children.get(index, ())))
        # Whatever is left sits on a cycle of parent links: show it from its first item.
        left = next((i for i in range(len(listed)) if not seen[i]), None)
        if left is None:
            break
        orphans.add(left)
        stack.append((left, 0))
    return entries, [listed[i] for i in sorted(orphans)]


def mark_orphans(entries: list[Entry[T]]) -> list[Entry[T]]:
    return [replace(e, orphan=True) if e.depth == 0 else e for e in entries]


# -- values -------------------------------------------------------------------------------


def epoch(value: Any) -> datetime | None:
    """A Unix time (seconds) as an aware UTC datetime; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def iso_time(value: Any) -> datetime | None:
    """An ISO-8601 time (a trailing Z included); None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def integer(value: Any) -> int | None:
    """An int from JSON (not a bool), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# -- notices ------------------------------------------------------------------------------


class Notices:
    """Broken parts of a file, for one notice: "3 comments could not be read fully:
    …".  Each `add` names one part; the first few are listed."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.count = 0

    def add(self, what: str) -> None:
        """Name one broken part (ids quoted from the file are made visible)."""
        self.count += 1
        if len(self.items) < NOTICE_ITEMS:
            self.items.append(visible(what))

    def notices(self) -> tuple[str, ...]:
        if not self.count:
            return ()
        noun = "part" if self.count == 1 else "parts"
        lines = [f"{self.count:,} broken {noun} of this file (shown as best it can be):"]
        lines.extend(f"  {item}" for item in self.items)
        if self.count > len(self.items):
            lines.append(f"  … and {self.count - len(self.items):,} more")
        return ("\n".join(lines),)


# -- describing JSON nobody reads -------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _keys(value: dict[str, Any], limit: int = 4) -> str:
    names = [json.dumps(k, ensure_ascii=True) for k in list(value)[:limit]]
    more = ", …" if len(value) > limit else ""
    return ", ".join(names) + more


def describe_json(document: Any) -> str:
    """A short description of a JSON value's shape, for "not a thread" messages."""
    if isinstance(document, dict):
        if not document:
            return "an empty JSON object"
        return f"a JSON object with keys {_keys(document)}"
    if isinstance(document, list):
        if not document:
            return "an empty JSON array"
        kinds = {_kind(v) for v in document[:50]}
        if len(kinds) == 1:
            (kind,) = kinds
            first = document[0]
            if isinstance(first, dict) and first:
                return f"a JSON array of {len(document):,} objects with keys {_keys(first)}"
            plural = {"a number": "numbers", "a string": "strings", "an array": "arrays"}
            return f"a JSON array of {len(document):,} {plural.get(kind, kind)}"
        return f"a JSON array of {len(document):,} mixed values"
    return f"a JSON value that is {_kind(document)}"
