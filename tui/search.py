"""Search inside one thread: the article and every comment, literal or regex.

A thread may hold 100,000 comments (about 20 MB of text), and a search has to feel
instant while the user types.  Running a pattern over each post separately costs a
Python call per post, so instead every post text is joined once into one big string
and the regex engine scans that in a single C-level pass; a parallel array of start
offsets turns a match position back into (post number, offset in that post) with a
binary search.

Smart case follows the convention of less, vim and ripgrep: a query without an
uppercase letter ignores case.  Case-insensitive matching with `re.IGNORECASE` is
about ten times slower than a plain scan over large text, so such queries are run
against a lowercased copy of the corpus instead, made once when the index is built,
whenever that finds the same matches.

Nothing here imports Textual: the index is built in a worker thread and queried from
the UI, which only needs the `Hit` list back.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tui.model import Thread

__all__ = [
    "MAX_HITS",
    "SEPARATOR",
    "Hit",
    "SearchError",
    "SearchIndex",
    "compile_query",
    "hits_by_post",
    "next_hit",
    "prev_hit",
]

# Between two posts in the corpus.  No character is safe from every regex (`[^x]`
# matches anything), so crossing matches are caught by a bounds check instead; a
# newline keeps them rare, since `.` never matches it, and makes `^` and `$` (in
# multiline mode) anchor at the start and end of every post.
SEPARATOR = "\n"

# How often `build` reports progress, and how often a long scan looks at `cancel`.
_PROGRESS_EVERY = 2000
_CANCEL_EVERY = 4096

# A half-typed regex such as `.` or `\w` matches millions of times in a large thread;
# past this many hits a list costs seconds and hundreds of MB and helps nobody.
MAX_HITS = 100_000

# The characters that make a regex more than a literal string.
_REGEX_META = frozenset(".^$*+?{}[]|()")


class SearchError(ValueError):
    """A query that cannot be searched for; `str(error)` is one line for the user."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One match: post `number` (0 = the article) and the span inside that post's text.

    Offsets index `thread.article_text` for the article and `comment.text` for a
    comment, so a view can highlight the span without searching again.  `index` is the
    hit's position in the list it came in, for "match 12 of 340" displays.
    """

    number: int
    start: int
    end: int
    index: int

    @property
    def position(self) -> tuple[int, int]:
        """Where the hit starts, in the order `next_hit`/`prev_hit` compare positions."""
        return (self.number, self.start)


_CODE_POINT_ESCAPE = re.compile(r"\\(?:[xuUN0]|[0-7]{3})")


def _regex_text(source: str) -> str:
    """The characters of a regex that stand for themselves or for syntax, without
    escapes (`\\S`, `\\W`, `\\x4A`, `\\N{...}`) and group names, whose letters say
    nothing about the case of the text being looked for."""
    kept: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\" and i + 1 < n:
            kind = source[i + 1]
            if kind == "N" and source.startswith("{", i + 2):
                close = source.find("}", i + 3)
                i = n if close < 0 else close + 1
            elif kind in "xuU":
                i += 2 + {"x": 2, "u": 4, "U": 8}[kind]
            else:
                i += 2
            continue
        if source.startswith(("(?P<", "(?P="), i):
            close = source.find(">" if source[i + 3] == "<" else ")", i + 4)
            i = n if close < 0 else close + 1
            continue
        kept.append(c)
        i += 1
    return "".join(kept)


def _has_uppercase(text: str, *, regex: bool) -> bool:
    """Whether a query asks for case-sensitive matching under smart case."""
    if regex:
        text = _regex_text(text)
    return any(c.isupper() for c in text)


def compile_query(text: str, *, regex: bool) -> re.Pattern[str] | None:
    """Turn what the user typed into a pattern; None for an empty query.

    Literal unless `regex` is true, so that typing `a.b` or `(see` just works.  Regex
    queries get `re.MULTILINE`, so `^` and `$` anchor at line starts and ends (every
    post starts and ends a line).  Raises SearchError, never re.error, so the caller
    can show the message under the input box.
    """
    if not text:
        return None
    flags = 0 if _has_uppercase(text, regex=regex) else re.IGNORECASE
    if not regex:
        return re.compile(re.escape(text), flags)
    try:
        return re.compile(text, flags | re.MULTILINE)
    except re.error as error:
        message = error.msg
        if error.pos is not None:
            message += f" at position {error.pos}"
        raise SearchError(_one_line(f"bad pattern: {message}")) from None
    except (OverflowError, RecursionError, ValueError) as error:
        raise SearchError(_one_line(f"bad pattern: {error}")) from None


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _is_literal(source: str) -> bool:
    """Whether a pattern's source only spells out a literal string (as re.escape makes),
    so that str.find can look for it, and lowercasing it is safe."""
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            if i + 1 >= n or source[i + 1].isalnum():
                return False
            i += 2
            continue
        if c in _REGEX_META:
            return False
        i += 1
    return True


def _unescape(source: str) -> str:
    """The string a literal pattern (see `_is_literal`) matches."""
    return re.sub(r"\\(.)", r"\1", source, flags=re.DOTALL)


def _lowerable(source: str) -> bool:
    """Whether a case-insensitive regex finds the same matches without re.IGNORECASE
    over lowercased text: true unless it names characters by code point (`\\x41`
    would then miss the lowercased "a") or has letters that lowercasing changes."""
    if _CODE_POINT_ESCAPE.search(source):
        return False
    return all(c == c.lower() for c in _regex_text(source))


Spans = Callable[[int, int], Iterator[tuple[int, int]]]


def _finder(text: str, finder: str | re.Pattern[str]) -> Spans:
    """A function giving the (start, end) of each match in text[pos:endpos]."""
    if isinstance(finder, str):
        needle = finder
        size = len(needle)
        find = text.find

        def find_all(pos: int, endpos: int) -> Iterator[tuple[int, int]]:
            at = find(needle, pos, endpos)
            while at >= 0:
                yield at, at + size
                at = find(needle, at + size, endpos)

        return find_all

    pattern = finder

    def match_all(pos: int, endpos: int) -> Iterator[tuple[int, int]]:
        return (match.span() for match in pattern.finditer(text, pos, endpos))

    return match_all


class SearchIndex:
    """Every post of one thread as a single searchable string.

    Construction is free; `build` does the work (decoding every comment) and may run
    in a worker thread, with `search` called later from anywhere.  If `search` is
    called first it builds on the spot, waiting for a build already under way.
    """

    def __init__(self, thread: Thread) -> None:
        self.thread = thread
        self._lock = threading.Lock()
        self._text = ""
        self._lower: str | None = None
        self._starts = array("q")
        self._ends = array("q")
        self._built = False

    @property
    def built(self) -> bool:
        return self._built

    def build(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bool:
        """Decode every comment and join the corpus; True once the index is ready.

        `progress(done, total)` counts comments, called every few thousand and once at
        the end.  When `cancel` is set the partial work is dropped and False returned;
        a later call starts over.  Calling again after success does nothing.
        """
        with self._lock:
            if self._built:
                return True
            tree = self.thread.tree
            total = len(tree)
            texts = [self.thread.article_text]
            for number in range(1, total + 1):
                if number % _PROGRESS_EVERY == 0:
                    if cancel is not None and cancel.is_set():
                        return False
                    if progress is not None:
                        progress(number, total)
                texts.append(tree.get(number).text)
            if cancel is not None and cancel.is_set():
                return False

            starts = array("q")
            ends = array("q")
            offset = 0
            step = len(SEPARATOR)
            for text in texts:
                starts.append(offset)
                offset += len(text)
                ends.append(offset)
                offset += step
            corpus = SEPARATOR.join(texts)
            lower = corpus.lower()
            # str.lower() keeps the length of everything but U+0130, which grows; if
            # that happened, offsets in the copy no longer line up with the original.
            self._lower = lower if len(lower) == len(corpus) else None
            self._text = corpus
            self._starts = starts
            self._ends = ends
            self._built = True
        if progress is not None:
            progress(total, total)
        return True

    def search(
        self,
        pattern: re.Pattern[str] | None,
        *,
        limit: int | None = MAX_HITS,
        cancel: threading.Event | None = None,
    ) -> list[Hit]:
        """All non-empty matches, in reading order, none spanning two posts.

        A pattern that can match the empty string (`a*`) yields only its non-empty
        matches.  `^` and `$` see post boundaries as line ends; `\\A` and `\\Z` are
        best avoided, as they see the ends of whichever stretch is being scanned.

        At most `limit` hits are returned (None: no limit); a list exactly `limit` long
        may have stopped early, which a status line can show as "100000+".  When
        `cancel` is set mid-scan the search stops and returns [], so a stale search for
        a half-typed query never shows partial results.
        """
        if pattern is None or (limit is not None and limit <= 0):
            return []
        self.build()
        text, finder = self._plan(pattern)
        if finder == "":
            return []
        hits = self._scan(text, finder, limit or -1, cancel)
        if hits is None or (cancel is not None and cancel.is_set()):
            return []
        return hits

    def _plan(self, pattern: re.Pattern[str]) -> tuple[str, str | re.Pattern[str]]:
        """Which copy of the corpus to scan, and a literal needle or a pattern for it.

        A literal is found with str.find, faster than the regex engine; anything
        case-insensitive runs over the lowercased copy when that gives the same
        matches, because re.IGNORECASE is about ten times slower.
        """
        source = pattern.pattern
        flags = pattern.flags
        fold = bool(flags & re.IGNORECASE) and not flags & re.ASCII
        lower = self._lower if fold else None
        if _is_literal(source) and not flags & re.VERBOSE:
            needle = _unescape(source)
            if not flags & re.IGNORECASE:
                return self._text, needle
            if lower is not None:
                return lower, needle.lower()
            return self._text, pattern
        if lower is not None and _lowerable(source):
            return lower, re.compile(source, flags & ~re.IGNORECASE)
        return self._text, pattern

    def _scan(
        self,
        text: str,
        finder: str | re.Pattern[str],
        limit: int,
        cancel: threading.Event | None,
    ) -> list[Hit] | None:
        """Scan the corpus in windows of whole posts; None when cancelled.

        The first window is the whole corpus: one C-level pass for the usual query.  A
        match that reaches into a separator is not a hit: its post is searched again on
        its own (`endpos` makes the post's end look like the end of the string) and the
        scan goes on from the next post in a window of one post, doubling while no
        match crosses.  Without that, a pattern such as `[\\s\\S]+` would run to the
        end of the corpus once per post.
        """
        spans = _finder(text, finder)
        starts, ends = self._starts, self._ends
        posts = len(starts)
        hits: list[Hit] = []
        append = hits.append
        count = seen = 0
        first, window = 0, posts
        while first < posts:
            last = min(first + window, posts) - 1
            post, base, post_end, next_start = first - 1, 0, -1, starts[first]
            crossed = -1
            for start, end in spans(starts[first], ends[last]):
                if cancel is not None:
                    seen += 1
                    if seen % _CANCEL_EVERY == 0 and cancel.is_set():
                        return None
                if start == end:
                    continue
                if start >= next_start:
                    post = bisect_right(starts, start, post + 1) - 1
                    base, post_end = starts[post], ends[post]
                    next_start = starts[post + 1] if post < last else ends[last] + 1
                if end <= post_end:
                    append(Hit(post, start - base, end - base, count))
                    count += 1
                    if count == limit:
                        return hits
                    continue
                if start < post_end:
                    for inner_start, inner_end in spans(start, post_end):
                        if inner_start != inner_end:
                            append(Hit(post, inner_start - base, inner_end - base, count))
                            count += 1
                            if count == limit:
                                return hits
                crossed = post
                break
            if crossed < 0:
                first, window = last + 1, window * 2
            else:
                first, window = crossed + 1, 1
        return hits

    @staticmethod
    def hits_by_post(hits: Sequence[Hit]) -> dict[int, list[Hit]]:
        """Group hits by post number; see `hits_by_post`."""
        return hits_by_post(hits)


def hits_by_post(hits: Sequence[Hit]) -> dict[int, list[Hit]]:
    """Hits grouped by post number, each list in order, so a view that renders one
    post can highlight its spans without scanning the whole hit list."""
    grouped: dict[int, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.number, []).append(hit)
    return grouped


def _position(hit: Hit) -> tuple[int, int]:
    return (hit.number, hit.start)


def next_hit(hits: Sequence[Hit], after: tuple[int, int]) -> tuple[Hit, bool]:
    """The first hit past position `after` = (post number, offset), and whether the
    search wrapped round to the top.  Raises ValueError when there are no hits.

    Position-based rather than index-based, so that after the user has moved focus
    elsewhere `n` continues from where they are, not from the last hit shown.  Pass
    `(hit.number, hit.start)` to step from a hit, `(number, -1)` to include post
    `number`'s own hits, `(number, sys.maxsize)` to start after that post.
    """
    if not hits:
        raise ValueError("no hits to move to")
    i = bisect_right(hits, after, key=_position)
    if i < len(hits):
        return hits[i], False
    return hits[0], True


def prev_hit(hits: Sequence[Hit], before: tuple[int, int]) -> tuple[Hit, bool]:
    """The last hit before position `before`, and whether it wrapped to the bottom.
    The mirror of `next_hit`; raises ValueError when there are no hits."""
    if not hits:
        raise ValueError("no hits to move to")
    i = bisect_left(hits, before, key=_position)
    if i > 0:
        return hits[i - 1], False
    return hits[-1], True
