"""The thread model: what a thread *is*, independent of how it was stored or shown.

A thread may hold 100,000 comments, and the reader wants its first screen long before
every one of them has been decoded and repaired.  So the shape of the comment tree is
kept as a few flat integer arrays (built once by the reader, cheap even at that size),
and each `Comment` object is made the first time somebody asks for it.  Everything the
UI needs to move around the tree -- numbering, parent, siblings, top-level neighbours,
subtree sizes -- is answered here from those arrays, so no view ever recomputes it.

Comments are numbered 1..N in reading order (a pre-order walk of the tree); number 0
stands for the article, the tree's root.  Nothing in this module imports Textual.

Rich text.  Sites store posts as HTML or Markdown; a reader renders them once into the
plain `text` every other part of the program works on (search, grep, export, quotes),
plus `spans`: `Span(start, end, role, href)` tuples over that text, in order of
`start`, saying which stretch is emphasis, a link, a code block... (`ROLES`).  Spans
may nest (a link inside a quote) but never cross.  A post with no markup has no spans,
so formats without markup (the seed text, `threadread/1` written before spans existed)
cost nothing.  `href` is set only on "link" spans and is always http, https or mailto
(see `tui.core.formats.richtext.safe_href`).

Not every row of a saved thread is a post someone can read: `Comment.status` says
whether it is a normal post, a placeholder for a deleted or dead (flagged) one, an
orphan (its parent is not in the file, so it is shown at the top level), or a stub
standing for `more` replies the file does not hold.  Placeholders keep their place in
the tree so their replies stay reachable, and their `text` is what a reader sees in
their place ("[deleted]", "3 more replies not in this file"), so every view shows them
without knowing about statuses.
"""

from __future__ import annotations

import re
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, overload

if TYPE_CHECKING:
    from tui.core.repair import Repair

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_WORD = re.compile(r"\S+")


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Split text on blank lines (a line holding only whitespace is blank)."""
    text = text.strip("\n")
    if not text.strip():
        return ()
    return tuple(p for p in _PARAGRAPH_BREAK.split(text) if p.strip())


def count_words(text: str) -> int:
    """Whitespace-separated words, as a reader would count them for a summary line."""
    return sum(1 for _ in _WORD.finditer(text))


#: The roles a `Span` may have.  "code_block" and "quote" cover whole lines (a `<pre>`
#: block, a `<blockquote>` or a `>` paragraph); the others may start and end anywhere.
ROLES = frozenset(
    {"emphasis", "strong", "code", "code_block", "quote", "link", "heading", "strike"}
)


class Span(NamedTuple):
    """A styled stretch of a post's plain text: `text[start:end]` has `role`.

    `href` is the target of a "link" span (http, https or mailto only), else None.
    """

    start: int
    end: int
    role: str
    href: str | None = None


class Status(StrEnum):
    """What a comment row stands for (see the module docstring)."""

    NORMAL = "normal"
    DELETED = "deleted"  # removed by its author or a moderator; replies kept
    DEAD = "dead"  # flagged or killed by the site; text may still be there
    ORPHAN = "orphan"  # its parent is not in the file: shown at the top level
    MORE = "more"  # a stub for `Comment.more` replies the file does not hold


def more_text(count: int) -> str:
    """The text of a `Status.MORE` stub."""
    if count <= 0:
        return "more replies not in this file"
    if count == 1:
        return "1 more reply not in this file"
    return f"{count:,} more replies not in this file"


DELETED_TEXT = "[deleted]"
DEAD_TEXT = "[dead]"


@dataclass(frozen=True, slots=True, eq=False)
class Comment:
    """One post of the comment section.

    `number` is the 1-based position in reading order across the whole tree, `depth` is
    0 for a top-level comment.  `replies` holds the direct replies, in order (only
    trees built with `build_tree` fill it; use the `CommentTree` methods to navigate).

    `text` is the rendered plain text and `spans` its styling (module docstring).
    `score` is the site's points or votes when the file has them; `url` the comment's
    own permalink on its site, when known or derivable; `key` the site's id for it.
    `status` is a `Status`; `more` the number of replies a `Status.MORE` stub stands
    for (0 otherwise).
    """

    number: int
    text: str
    author: str | None = None
    posted: datetime | None = None
    depth: int = 0
    replies: tuple[Comment, ...] = ()
    score: int | None = None
    url: str | None = None
    key: str | None = None
    status: Status = Status.NORMAL
    more: int = 0
    spans: tuple[Span, ...] = ()

    @property
    def is_placeholder(self) -> bool:
        """Whether this row stands for a post that cannot be read (deleted, a stub)."""
        return self.status in (Status.DELETED, Status.MORE)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return split_paragraphs(self.text)

    @property
    def words(self) -> int:
        return count_words(self.text)

    def __repr__(self) -> str:
        # Shallow on purpose: a 10,000-deep reply chain must not recurse here.
        preview = self.text[:30] + ("…" if len(self.text) > 30 else "")
        return (
            f"Comment(number={self.number}, author={self.author!r}, depth={self.depth}, "
            f"replies={len(self.replies)}, text={preview!r})"
        )


Loader = Callable[[int], "tuple[Comment, tuple[Repair, ...]]"]


class _FlatShape:
    """One shape array of a flat tree (see `CommentTree`), answered arithmetically."""

    __slots__ = ("_count", "_kind")

    def __init__(self, count: int, kind: str) -> None:
        self._count = count
        self._kind = kind

    def __len__(self) -> int:
        return self._count + 1

    def __getitem__(self, number: int) -> int:
        kind = self._kind
        if kind == "end":
            return self._count + 1 if number == 0 else number + 1
        if kind == "prev":
            return number - 1 if number > 1 else 0
        return -1 if number == 0 else 0  # parent and depth


class CommentTree(Sequence[Comment]):
    """All comments of a thread in reading order, plus the tree's shape.

    Indexing is 0-based like any sequence (`tree[0]` is comment #1); the navigation
    methods take and return comment *numbers* (1-based; 0 is the article, the root) and
    answer None where there is nowhere to go.

    Shape arrays are indexed by number, slot 0 being the root:
    `parent[n]` its parent's number (-1 for the root), `depth[n]` (root -1), `end[n]`
    the first number after n's subtree, `prev[n]` the previous sibling (0 when none).
    """

    __slots__ = (
        "_cache",
        "_cache_limit",
        "_count",
        "_decoded",
        "_depth",
        "_end",
        "_load",
        "_parent",
        "_prev",
        "_repair_counts",
        "_repairs",
        "average_chars",
    )

    def __init__(
        self,
        parent: Sequence[int],
        depth: Sequence[int],
        end: Sequence[int],
        prev: Sequence[int],
        load: Loader,
        average_chars: float = 200.0,
        cache_limit: int | None = None,
    ) -> None:
        #: Typical comment length, so views can estimate heights before decoding.
        self.average_chars = average_chars
        self._parent = parent
        self._depth = depth
        self._end = end
        self._prev = prev
        self._load = load
        self._count = len(parent) - 1
        # Decoded comments are kept up to `cache_limit` (least recently used go first):
        # a search or a repair count walks all 100,000 comments of a big thread, and
        # keeping every one of them would cost several times the file's size.
        self._cache: OrderedDict[int, Comment] = OrderedDict()
        self._cache_limit = cache_limit
        self._decoded = bytearray(self._count + 1)
        # The repairs of the comments in `_cache` only, and how many each decoded
        # comment had: tens of thousands of tuples of repairs kept for good would make
        # every full garbage collection walk them (a pause of tens of ms on a key).
        self._repairs: dict[int, tuple[Repair, ...]] = {}
        self._repair_counts = array("I", bytes(4 * (self._count + 1)))

    # -- construction helpers -------------------------------------------------------

    @classmethod
    def flat(
        cls,
        count: int,
        load: Loader,
        average_chars: float = 200.0,
        cache_limit: int | None = None,
    ) -> CommentTree:
        """A tree of `count` top-level comments with no replies (the seed format).

        Its shape is computed, not stored: nothing to build, however many comments.
        """
        return cls(
            _FlatShape(count, "parent"),
            _FlatShape(count, "depth"),
            _FlatShape(count, "end"),
            _FlatShape(count, "prev"),
            load,
            average_chars,
            cache_limit,
        )

    @classmethod
    def from_depths(
        cls,
        depths: Sequence[int],
        load: Loader,
        average_chars: float = 200.0,
        cache_limit: int | None = None,
    ) -> CommentTree:
        """A tree whose shape is given by each comment's depth, in reading order.

        `depths[i]` is the depth of comment number i + 1 (0 for top level; a comment
        may be at most one level deeper than the one before it).  This is how readers
        of site formats build their trees: one pass over the file's nodes collects the
        depths, and `load(number)` renders a comment's text only when it is first
        shown, so a 100,000-comment thread opens without rendering them all.
        """
        count = len(depths)
        parent = array("i", [-1]) * (count + 1)
        depth = array("i", [-1])
        depth.extend(depths)
        prev = array("i", bytes(4 * (count + 1)))
        end = array("i", range(1, count + 2))
        end[0] = count + 1
        # stack[d] is the number of the latest comment at depth d - 1 (stack[0]: root).
        stack = [0]
        last_child = array("i", bytes(4 * (count + 1)))
        for number in range(1, count + 1):
            d = depth[number]
            if d < 0 or d > len(stack) - 1:
                raise ValueError(f"comment #{number} at depth {d} follows depth {len(stack) - 2}")
            del stack[d + 1 :]
            p = stack[d]
            parent[number] = p
            prev[number] = last_child[p]
            last_child[p] = number
            stack.append(number)
        for number in range(count, 0, -1):
            p = parent[number]
            if end[number] > end[p]:
                end[p] = end[number]
        return cls(parent, depth, end, prev, load, average_chars, cache_limit)

    @classmethod
    def from_comments(
        cls,
        roots: Sequence[Comment],
        repairs: Mapping[int, tuple[Repair, ...]] | None = None,
    ) -> CommentTree:
        """Index an already built tree (numbers must be pre-order 1..N).

        `repairs` maps comment numbers to the repairs made in their text, for readers
        that decode everything up front and so have no loader to report them.
        """
        ordered: list[Comment] = []
        parent = array("i", [-1])
        depth = array("i", [-1])
        prev = array("i", [0])
        # Iterative pre-order walk: a 10,000-deep chain must not hit the recursion limit.
        pending: list[tuple[int, Comment]] = [(0, c) for c in reversed(roots)]
        last_child: dict[int, int] = {}
        while pending:
            par, comment = pending.pop()
            number = len(ordered) + 1
            if comment.number != number:
                raise ValueError(f"comment numbered {comment.number} found at position {number}")
            ordered.append(comment)
            parent.append(par)
            depth.append(comment.depth)
            prev.append(last_child.get(par, 0))
            last_child[par] = number
            pending.extend((number, c) for c in reversed(comment.replies))
        end = array("i", range(1, len(ordered) + 2))
        end[0] = len(ordered) + 1
        # A node's subtree ends where its last descendant's does; walk backwards so
        # children are final before their parent reads them.
        for number in range(len(ordered), 0, -1):
            p = parent[number]
            if end[number] > end[p]:
                end[p] = end[number]
        average = sum(len(c.text) for c in ordered) / len(ordered) if ordered else 200.0
        tree = cls(parent, depth, end, prev, lambda n: (ordered[n - 1], ()), average)
        tree._cache = OrderedDict(enumerate(ordered, 1))
        tree._decoded = bytearray(b"\x01" * (len(ordered) + 1))
        if repairs:
            tree._repairs = {n: found for n, found in repairs.items() if found}
            for number, found in tree._repairs.items():
                tree._repair_counts[number] = len(found)
        return tree

    # -- sequence protocol ----------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Comment: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Comment]: ...
    def __getitem__(self, index: int | slice) -> Comment | Sequence[Comment]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("comment index out of range")
        number = index + 1
        comment = self._cache.get(number)
        if comment is None:
            comment, repairs = self._load(number)
            self._cache[number] = comment
            self._decoded[number] = 1
            if repairs:
                self._repairs[number] = repairs
                self._repair_counts[number] = len(repairs)
            if self._cache_limit is not None and len(self._cache) > self._cache_limit:
                gone, _ = self._cache.popitem(last=False)
                self._repairs.pop(gone, None)
        elif self._cache_limit is not None:
            self._cache.move_to_end(number)
        return comment

    def __iter__(self) -> Iterator[Comment]:
        for i in range(len(self)):
            yield self[i]

    def get(self, number: int) -> Comment:
        """The comment with this 1-based number."""
        if not 1 <= number <= len(self):
            raise IndexError(f"no comment #{number}")
        return self[number - 1]

    def loaded(self, number: int) -> bool:
        """Whether comment `number` has been decoded yet (for progress reporting)."""
        return number in self._cache

    def repairs_of(self, number: int) -> tuple[Repair, ...]:
        """Repairs made while decoding comment `number` (decodes it if not in memory)."""
        if number not in self._cache:
            self.get(number)
        return self._repairs.get(number, ())

    def repair_count(self, number: int) -> int:
        """How many repairs decoding comment `number` made, without decoding it again
        when it has been decoded before."""
        if not 1 <= number <= self._count or not self._decoded[number]:
            self.get(number)
        return self._repair_counts[number]

    # -- shape ------------------------------------------------------------------------

    def _check(self, number: int) -> None:
        if not 0 <= number <= len(self):
            raise IndexError(f"no comment #{number}")

    def depth(self, number: int) -> int:
        self._check(number)
        return self._depth[number]

    def parent(self, number: int) -> int | None:
        """The parent's number; None for a top-level comment (and the article)."""
        self._check(number)
        p = self._parent[number]
        return p if p > 0 else None

    def subtree_end(self, number: int) -> int:
        """The first number after `number` and all its descendants."""
        self._check(number)
        return self._end[number]

    def descendants(self, number: int) -> int:
        """How many comments reply to `number`, directly or further down."""
        return self.subtree_end(number) - number - 1

    def children(self, number: int) -> Iterator[int]:
        """Numbers of the direct replies to `number` (0 gives the top-level comments)."""
        self._check(number)
        child = number + 1
        stop = self._end[number]
        while child < stop:
            yield child
            child = self._end[child]

    def top_level(self) -> Sequence[Comment]:
        return [self.get(n) for n in self.children(0)]

    def next_sibling(self, number: int) -> int | None:
        self._check(number)
        if number == 0:
            return None
        after = self._end[number]
        return after if after < self._end[self._parent[number]] else None

    def prev_sibling(self, number: int) -> int | None:
        self._check(number)
        p = self._prev[number] if number else 0
        return p or None

    def top_ancestor(self, number: int) -> int:
        """The top-level comment whose subtree holds `number` (0 for the article)."""
        self._check(number)
        while number > 0 and self._parent[number] > 0:
            number = self._parent[number]
        return number

    def next_top_level(self, number: int) -> int | None:
        """The next top-level comment after `number` in reading order."""
        self._check(number)
        if number == 0:
            return 1 if len(self) else None
        after = self._end[self.top_ancestor(number)]
        return after if after <= len(self) else None

    def prev_top_level(self, number: int) -> int | None:
        """The top-level comment before `number`: its own top ancestor if nested."""
        self._check(number)
        if number == 0:
            return None
        top = self.top_ancestor(number)
        if top != number:
            return top
        return self.prev_sibling(number)

    def is_ancestor(self, ancestor: int, number: int) -> bool:
        """Whether `number` lies in the subtree below `ancestor`."""
        return ancestor < number < self.subtree_end(ancestor)


@dataclass(frozen=True, slots=True)
class Thread:
    """A whole thread: title, article paragraphs and the comment tree.

    `encoding` is what the file was decoded with; `format` which reader made it (a
    reader's name, see `tui.core.formats.detect`); `repair` whether mojibake repair was
    applied; `article_repairs` the repairs made in the title and article.  `notices`
    are problems that did not stop the read, worded for a user.  `partial` marks the
    first part of a large file, read alone so the first screen does not wait for the
    whole file; the reader reads the rest behind it.

    What the site says about the story itself, when the file holds it: `site` names
    the source ("Hacker News", "r/python"...), `permalink` is the thread's own page,
    `url` the page a link story points to (the article's link), `author`, `posted`,
    `score` the story's.  `article_spans` style `article_text` as `Comment.spans` style
    a comment's text; the article's paragraphs are `article_text` split where the
    reader joined them with a blank line, so offsets into `article_text` are stable.
    """

    title: str
    article: tuple[str, ...]
    tree: CommentTree
    source: Path | None = None
    encoding: str = "utf-8"
    format: str = "text"
    repair: bool = True
    article_repairs: tuple[Repair, ...] = ()
    notices: tuple[str, ...] = field(default=())
    partial: bool = False
    url: str | None = None
    site: str | None = None
    permalink: str | None = None
    author: str | None = None
    posted: datetime | None = None
    score: int | None = None
    article_spans: tuple[Span, ...] = ()

    @property
    def comments(self) -> Sequence[Comment]:
        """The top-level comments, in order."""
        return self.tree.top_level()

    def __len__(self) -> int:
        """How many comments the thread holds, at every depth."""
        return len(self.tree)

    def repairs(self) -> tuple[Repair, ...]:
        """Every repair in reading order. Decodes every comment, so large threads
        should ask from a worker."""
        found = list(self.article_repairs)
        for number in range(1, len(self.tree) + 1):
            found.extend(self.tree.repairs_of(number))
        return tuple(found)

    @property
    def article_text(self) -> str:
        return "\n\n".join(self.article)


def build_tree(roots: Sequence[CommentSpec]) -> CommentTree:
    """Number and freeze a tree described by `CommentSpec`s, without recursion."""
    # Pre-order numbering first, then build Comment objects bottom-up (children first)
    # so each parent can hold its finished replies.
    order: list[tuple[CommentSpec, int]] = []
    stack: list[tuple[CommentSpec, int]] = [(s, 0) for s in reversed(roots)]
    while stack:
        spec, depth = stack.pop()
        order.append((spec, depth))
        stack.extend((r, depth + 1) for r in reversed(spec.replies))
    built: dict[int, Comment] = {}
    repairs: dict[int, tuple[Repair, ...]] = {}
    ids = {id(spec): i + 1 for i, (spec, _) in enumerate(order)}
    for index in range(len(order) - 1, -1, -1):
        spec, depth = order[index]
        if spec.repairs:
            repairs[index + 1] = spec.repairs
        replies = tuple(built.pop(ids[id(r)]) for r in spec.replies)
        built[index + 1] = Comment(
            number=index + 1,
            text=spec.text,
            author=spec.author,
            posted=spec.posted,
            depth=depth,
            replies=replies,
            score=spec.score,
            url=spec.url,
            key=spec.key,
            status=spec.status,
            more=spec.more,
            spans=spec.spans,
        )
    return CommentTree.from_comments([built[ids[id(s)]] for s in roots], repairs)


@dataclass(slots=True)
class CommentSpec:
    """A comment as a reader finds it, before numbering (mutable while parsing).

    `repairs` are those already made in `text`; `build_tree` files them under the
    comment's number so `CommentTree.repairs_of` can report them.
    """

    text: str
    author: str | None = None
    posted: datetime | None = None
    replies: list[CommentSpec] = field(default_factory=list)
    repairs: tuple[Repair, ...] = ()
    score: int | None = None
    url: str | None = None
    key: str | None = None
    status: Status = Status.NORMAL
    more: int = 0
    spans: tuple[Span, ...] = ()
