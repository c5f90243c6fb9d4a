"""Search inside one thread: the article and every comment, literal or regex.

A thread may hold 100,000 comments (about 20 MB of text), and a search has to feel
instant while the user types.  Running a pattern over each post separately costs a
Python call per post, so instead every post is encoded to UTF-8 and joined once into
one `bytes` corpus, with an array of the byte offset where each post starts; a match
position turns back into a post with a binary search.

Bytes rather than one big `str`: a single emoji makes CPython store a whole string at
four bytes per character, while UTF-8 costs one byte for most text.  The corpus and a
lowercased copy, every post of which has the same byte length as the original so
offsets carry over, come to about twice the thread's UTF-8 size.

A literal query is found with `bytes.find`: in the original bytes when case matters
(UTF-8 matches only whole characters), in the lowercased copy when it does not.
Regexes run over the corpus a slice of whole posts at a time, decoded back to text,
as do the rare literals that the lowercased copy cannot answer exactly.

Queries are compiled by `tui.core.search.query` (literal or regex, smart case: a
query without an uppercase letter ignores case).  Case-insensitive matching with
`re.IGNORECASE` is about ten times slower than a plain scan over large text, so such
queries are run against lowercased text instead whenever that finds the same matches.

Hits come back as a `HitList`: two arrays of byte offsets rather than an object per
match, with a `Hit` made only for the hits a view looks at.

Nothing here imports Textual: the index is built in a worker thread and queried from
the UI, which only needs the `HitList` back.
"""

from __future__ import annotations

import io
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import overload

from tui.core.model import Comment, Thread
from tui.core.search.query import (
    ASCII_TWINS,
    FIND_ASCII_TWINS,
    KELVIN,
    literal_text,
    lowercase_safe,
)

__all__ = [
    "MAX_HITS",
    "SEPARATOR",
    "Hit",
    "HitList",
    "PostSpans",
    "SearchIndex",
    "hits_by_post",
    "next_hit",
    "prev_hit",
]

# Between two posts in the corpus.  No character is safe from every regex (`[^x]`
# matches anything), so crossing matches are caught by a bounds check instead; a
# newline keeps them rare, since `.` never matches it, and makes `^` and `$` (in
# multiline mode) anchor at the start and end of every post.
SEPARATOR = "\n"
_SEPARATOR_BYTES = SEPARATOR.encode()

# Post texts may hold lone surrogates (a JSON thread can spell them); they go through
# UTF-8 and back unchanged with this error handler, and never take part in a match of
# anything else, since UTF-8 keeps every character's bytes apart.
_ERRORS = "surrogatepass"

# How often `build` reports progress, and how often a long scan looks at `cancel`.
_PROGRESS_EVERY = 2000
_CANCEL_EVERY = 4096

# How much of the corpus a regex scan decodes at once (cut at post boundaries): big
# enough that each slice is one C-level pass, small enough that the decoded text is
# cheap to allocate and stays in the CPU cache while it is searched.
_SLICE_BYTES = 1 << 18

# A half-typed regex such as `.` or `\w` matches millions of times in a large thread;
# past this many hits a list costs seconds and hundreds of MB and helps nobody.
MAX_HITS = 100_000

# Maps every byte of UTF-8 to 1 if it starts a character and 0 if it continues one:
# two encodings translate to the same bytes when their characters line up.
_CHARACTER_STARTS = bytes(not 0x80 <= byte < 0xC0 for byte in range(256))


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

    finditer = finder.finditer
    span = re.Match.span

    def match_all(pos: int, endpos: int) -> Iterator[tuple[int, int]]:
        return map(span, finditer(text, pos, endpos))

    return match_all


class _Corpus:
    """The joined UTF-8 text of every post, and where each post starts in it.

    `starts[n]` is the byte offset of post n, and `starts[-1]` one past the end of the
    corpus (where a post after the last would start), so post n ends, exclusive, at
    `starts[n + 1] - 1` and its separator is the byte there.  `ascii[n]` says whether
    post n is pure ASCII, whose byte offsets are character offsets.
    """

    __slots__ = ("ascii", "data", "starts")

    def __init__(self, data: bytes, starts: array[int], ascii: bytes) -> None:
        self.data = data
        self.starts = starts
        self.ascii = ascii

    def text(self, number: int) -> bytes:
        return self.data[self.starts[number] : self.starts[number + 1] - 1]


_first = itemgetter(0)


class HitList(Sequence[Hit]):
    """The hits of one search, in reading order, stored as arrays of byte offsets.

    A search may find 100,000 matches; a `Hit` for each would cost seconds of object
    creation and garbage collection, so only where each match starts and ends in the
    corpus is kept, and `Hit`s (post number, character offsets into the post's text,
    as everywhere else) are made when asked for.  Use `spans_in` to highlight one post
    and `next_hit`/`prev_hit` to step, rather than walking the whole list.

    Equal to any sequence of the same `Hit`s, so an empty result equals [].
    """

    __slots__ = ("_corpus", "_ends", "_spans", "_starts")

    def __init__(
        self,
        starts: array[int] | None = None,
        ends: array[int] | None = None,
        corpus: _Corpus | None = None,
    ) -> None:
        self._starts = starts if starts is not None else array("q")
        self._ends = ends if ends is not None else array("q")
        self._corpus = corpus if corpus is not None else _Corpus(b"", array("q", [0, 1]), b"")
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self._starts)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("hit index out of range")
        corpus = self._corpus
        start = self._starts[index]
        number = bisect_right(corpus.starts, start) - 1
        if corpus.ascii[number]:
            base = corpus.starts[number]
            return Hit(number, start - base, self._ends[index] - base, index)
        first = bisect_left(self._starts, corpus.starts[number], 0, index)
        start, end = self.spans_in(number)[index - first]
        return Hit(number, start, end, index)

    def __iter__(self) -> Iterator[Hit]:
        post_starts, ascii = self._corpus.starts, self._corpus.ascii
        starts, ends = self._starts, self._ends
        number, base, next_start, first = -1, 0, 0, 0
        spans: list[tuple[int, int]] = []
        for index in range(len(starts)):
            start = starts[index]
            if start >= next_start:
                number = bisect_right(post_starts, start, number + 1) - 1
                base, next_start = post_starts[number], post_starts[number + 1]
                if not ascii[number]:
                    first = index
                    spans = self._spans.get(number) or self._post_spans(
                        number, first, bisect_left(starts, next_start, first)
                    )
            if ascii[number]:
                yield Hit(number, start - base, ends[index] - base, index)
            else:
                yield Hit(number, *spans[index - first], index)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes | bytearray):
            return NotImplemented
        if len(self) != len(other):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None

    def __repr__(self) -> str:
        return f"<HitList of {len(self)} hits>"

    def _runs(self) -> Iterator[tuple[int, int, int]]:
        """(post number, first, last) for each post with hits, its hits being the
        indices first..last-1."""
        starts, post_starts = self._starts, self._corpus.starts
        count = len(starts)
        first = 0
        while first < count:
            number = bisect_right(post_starts, starts[first]) - 1
            last = bisect_left(starts, post_starts[number + 1], first)
            yield number, first, last
            first = last

    def _range(self, number: int) -> tuple[int, int]:
        """The indices [first, last) of post `number`'s hits; for a number past the
        last post, both are the number of hits."""
        starts, post_starts = self._starts, self._corpus.starts
        if number < 0:
            return 0, 0
        if number >= len(post_starts) - 1:
            return len(starts), len(starts)
        first = bisect_left(starts, post_starts[number])
        return first, bisect_left(starts, post_starts[number + 1], first)

    def _post_spans(self, number: int, first: int, last: int) -> list[tuple[int, int]]:
        """Character spans of hits first..last-1, which all lie in post `number`."""
        if first >= last:
            return []
        corpus = self._corpus
        base = corpus.starts[number]
        starts = self._starts[first:last]
        ends = self._ends[first:last]
        if corpus.ascii[number]:
            return [(start - base, end - base) for start, end in zip(starts, ends, strict=True)]
        # Character offsets from byte offsets: decode only the stretch since the hit
        # before, so a post with many hits is decoded once, not once per hit.
        text = corpus.text(number)
        spans: list[tuple[int, int]] = []
        at_byte = at_char = 0
        for start, end in zip(starts, ends, strict=True):
            start -= base
            end -= base
            if start < at_byte:
                at_byte = at_char = 0
            begin = at_char + len(text[at_byte:start].decode("utf-8", _ERRORS))
            at_char = begin + len(text[start:end].decode("utf-8", _ERRORS))
            at_byte = end
            spans.append((begin, at_char))
        return spans

    def spans_in(self, number: int) -> list[tuple[int, int]]:
        """The (start, end) of post `number`'s hits, in characters of its text, in
        order; [] for a post without hits.  Cached: do not change the list."""
        spans = self._spans.get(number)
        if spans is None:
            spans = self._post_spans(number, *self._range(number))
            if spans:
                self._spans[number] = spans
        return spans

    def count_in(self, number: int) -> int:
        """How many hits post `number` has."""
        first, last = self._range(number)
        return last - first

    def post_numbers(self) -> Iterator[int]:
        """The numbers of the posts with hits, in order."""
        return (number for number, _, _ in self._runs())

    def spans_by_post(self) -> PostSpans:
        """Every post's spans as a read-only mapping, computed as they are looked up."""
        return PostSpans(self)

    def _locate(self, position: tuple[int, int], right: bool) -> int:
        """How many hits come before `position` (bisect_right with `right`, else
        bisect_left, over the hits' (number, start) positions)."""
        number, offset = position
        first, last = self._range(number)
        if first == last:
            return first
        find = bisect_right if right else bisect_left
        return first + find(self.spans_in(number), offset, key=_first)

    def next_hit(self, position: tuple[int, int]) -> tuple[Hit, bool] | None:
        """The first hit past `position` and whether it wrapped; None without hits.
        See the module-level `next_hit`."""
        if not self._starts:
            return None
        i = self._locate(position, True)
        if i < len(self._starts):
            return self[i], False
        return self[0], True

    def prev_hit(self, position: tuple[int, int]) -> tuple[Hit, bool] | None:
        """The last hit before `position` and whether it wrapped; None without hits.
        See the module-level `prev_hit`."""
        if not self._starts:
            return None
        i = self._locate(position, False)
        if i > 0:
            return self[i - 1], False
        return self[-1], True


class PostSpans(Mapping[int, list[tuple[int, int]]]):
    """Post number -> its hits' character spans, for the posts that have hits; a view
    of a `HitList` that does the work only for the posts looked up."""

    __slots__ = ("_hits",)

    def __init__(self, hits: HitList) -> None:
        self._hits = hits

    def __getitem__(self, number: int) -> list[tuple[int, int]]:
        spans = self._hits.spans_in(number)
        if not spans:
            raise KeyError(number)
        return spans

    def __iter__(self) -> Iterator[int]:
        return self._hits.post_numbers()

    def __len__(self) -> int:
        return sum(1 for _ in self._hits.post_numbers())


class _Collector:
    """Hits as a search finds them, in byte offsets into the corpus; `limit` is -1 for
    no limit, and `cancelled` says the search was called off."""

    __slots__ = ("cancelled", "count", "ends", "keep_last", "limit", "starts")

    def __init__(self, limit: int, keep_last: int = 0) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.count = 0
        self.limit = limit
        # With `keep_last`, no limit: only the last `keep_last` hits are kept.
        self.keep_last = keep_last
        self.cancelled = False

    def trim(self, *, final: bool = False) -> None:
        """Drop all but the last `keep_last` hits (amortised: only once twice as many
        have gathered, unless `final`)."""
        keep = self.keep_last
        if keep and len(self.starts) > (keep if final else 2 * keep):
            del self.starts[:-keep]
            del self.ends[:-keep]


class SearchIndex:
    """Every post of one thread as a single searchable UTF-8 corpus.

    Construction is free; `build` does the work (decoding every comment) and may run
    in a worker thread, with `search` called later from anywhere.  If `search` is
    called first it builds on the spot, waiting for a build already under way.
    """

    def __init__(self, thread: Thread) -> None:
        self.thread = thread
        self._lock = threading.Lock()
        self._corpus = _Corpus(b"", array("q", [0, 1]), b"\x01")
        # The corpus lowercased, each character taking as many bytes as in the
        # original; posts where lowercasing changes that (listed in _unaligned, such as
        # those with Ⱥ, whose lowercase takes three bytes to its two) have only their
        # ASCII letters lowercased.
        self._lower = b""
        self._unaligned = array("q")
        # Where each post starts in characters, as `_Corpus.starts` in bytes.
        self._chars = array("q", [0, 1])
        # Which characters of ASCII_TWINS occur in the thread.
        self._twins: frozenset[str] = frozenset()
        # Whether lowercasing lengthens some post (İ becomes two characters), so that
        # ignoring case takes re.IGNORECASE.
        self._lengthened = False
        self._built = False

    @property
    def built(self) -> bool:
        return self._built

    def build(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
        each: Callable[[Comment], None] | None = None,
    ) -> bool:
        """Decode every comment and join the corpus; True once the index is ready.

        `progress(done, total)` counts comments, called every few thousand and once at
        the end.  When `cancel` is set the partial work is dropped and False returned;
        a later call starts over.  Calling again after success does nothing.  `each` is
        given every comment as it is decoded, so work that needs them all decoded can
        be done in the same pass rather than decoding them all again.
        """
        with self._lock:
            if self._built:
                return True
            tree = self.thread.tree
            total = len(tree)
            # BytesIO hands its buffer over in getvalue(): no second copy of the corpus.
            corpus, lower = io.BytesIO(), io.BytesIO()
            starts, chars, unaligned = array("q"), array("q"), array("q")
            ascii = bytearray()
            twins: set[str] = set()
            lengthened = False
            offset = char_offset = 0
            for number in range(total + 1):
                if number:
                    if number % _PROGRESS_EVERY == 0:
                        if cancel is not None and cancel.is_set():
                            return False
                        if progress is not None:
                            progress(number, total)
                    corpus.write(_SEPARATOR_BYTES)
                    lower.write(_SEPARATOR_BYTES)
                if number:
                    comment = tree.get(number)
                    text = comment.text
                    if each is not None:
                        each(comment)
                else:
                    text = self.thread.article_text
                encoded = text.encode("utf-8", _ERRORS)
                corpus.write(encoded)
                starts.append(offset)
                chars.append(char_offset)
                offset += len(encoded) + 1
                char_offset += len(text) + 1
                if text.isascii():
                    ascii.append(1)
                    lower.write(encoded.lower())
                    continue
                ascii.append(0)
                twins.update(FIND_ASCII_TWINS.findall(text))
                lowered = text.lower()
                lengthened = lengthened or len(lowered) != len(text)
                lowered_bytes = lowered.encode("utf-8", _ERRORS)
                if len(lowered_bytes) == len(encoded) and lowered_bytes.translate(
                    _CHARACTER_STARTS
                ) == encoded.translate(_CHARACTER_STARTS):
                    lower.write(lowered_bytes)
                else:
                    unaligned.append(number)
                    lower.write(encoded.lower())
            if cancel is not None and cancel.is_set():
                return False
            starts.append(offset)
            chars.append(char_offset)
            self._corpus = _Corpus(corpus.getvalue(), starts, bytes(ascii))
            self._lower = lower.getvalue()
            self._unaligned = unaligned
            self._chars = chars
            self._twins = frozenset(twins)
            self._lengthened = lengthened
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
        first_post: int = 0,
        last_post: int | None = None,
        keep_last: bool = False,
    ) -> HitList:
        """All non-empty matches, in reading order, none spanning two posts.

        A pattern that can match the empty string (`a*`) yields only its non-empty
        matches.  `^` and `$` see post boundaries as line ends; `\\A` and `\\Z` are
        best avoided, as they see the ends of whichever stretch is being scanned.

        At most `limit` hits are returned (None: no limit); a list exactly `limit` long
        may have stopped early, which a status line can show as "100000+".  When
        `cancel` is set mid-scan the search stops and returns no hits, so a stale
        search for a half-typed query never shows partial results.

        Only posts `first_post` to `last_post` (None: the last) are searched, so a
        reader past the first `limit` hits can have the ones where they are; with
        `keep_last` the hits kept are the last `limit` rather than the first.
        """
        if pattern is None or (limit is not None and limit <= 0):
            return HitList()
        self.build()
        posts = len(self._corpus.starts) - 1
        last = posts - 1 if last_post is None else min(last_post, posts - 1)
        if not 0 <= first_post <= last:
            return HitList()
        if keep_last and limit is not None:
            found = _Collector(-1, keep_last=limit)
        else:
            found = _Collector(limit or -1)
        where, finder = self._plan(pattern)
        if not finder:
            return HitList()
        if isinstance(where, bytes):
            assert isinstance(finder, bytes)
            self._find_bytes(where, finder, found, cancel, first_post, last)
        else:
            assert not isinstance(finder, bytes)
            self._scan_text(where, finder, found, cancel, first_post, last)
        if found.cancelled or (cancel is not None and cancel.is_set()):
            return HitList()
        found.trim(final=True)
        return HitList(found.starts, found.ends, self._corpus)

    def _plan(
        self, pattern: re.Pattern[str]
    ) -> tuple[bytes, bytes] | tuple[bool, str | re.Pattern[str]]:
        """How to search: the corpus bytes (or their lowercased copy) and a needle to
        find in them, or whether to lowercase the decoded text and a literal needle or
        a pattern for it.

        A literal is found with a plain find, faster than the regex engine; anything
        case-insensitive runs over lowercased text when that gives the same matches,
        because re.IGNORECASE is about ten times slower.  Ignoring case is the same as
        lowercasing when no character in the thread lowercases to more than one (only
        İ does).  The lowercased bytes serve any needle when every post lines up, and
        an ASCII needle always, since their ASCII letters are all lowercased, unless
        the thread has a non-ASCII twin of one of its letters.
        """
        source = pattern.pattern
        flags = pattern.flags
        ignore_case = bool(flags & re.IGNORECASE)
        unicode_case = ignore_case and not flags & re.ASCII
        lowerable = unicode_case and not self._lengthened
        needle = literal_text(source, flags)
        if needle is not None:
            if not ignore_case:
                return self._corpus.data, needle.encode("utf-8", _ERRORS)
            lowered = needle.lower()
            if needle.isascii():
                twins = self._twins if not lowerable else self._twins & {KELVIN}
                if not unicode_case or not any(ASCII_TWINS[c] in lowered for c in twins):
                    return self._lower, lowered.encode()
            elif lowerable and not self._unaligned:
                return self._lower, lowered.encode("utf-8", _ERRORS)
            if lowerable:
                return True, lowered
            return False, pattern
        if lowerable and lowercase_safe(source):
            return True, re.compile(source, flags & ~re.IGNORECASE)
        return False, pattern

    def _find_bytes(
        self,
        data: bytes,
        needle: bytes,
        found: _Collector,
        cancel: threading.Event | None,
        first_post: int,
        last_post: int,
    ) -> None:
        """Find a literal in the corpus (or its lowercased copy) with bytes.find.

        Only a needle with a newline can run into a separator; then each match is
        checked, and one that crosses is dropped: every later match in that post would
        cross too, so the search goes on at the next post.
        """
        post_starts = self._corpus.starts
        starts, ends = found.starts, found.ends
        add_start, add_end = starts.append, ends.append
        find = data.find
        size = len(needle)
        limit = found.limit
        crossing = _SEPARATOR_BYTES in needle
        at, taken = post_starts[first_post], 0
        # Where the post after `last_post` starts: a match must end before it.
        stop = post_starts[last_post + 1]
        while at >= 0 and taken != limit:
            if cancel is not None and cancel.is_set():
                found.cancelled = True
                return
            block = _CANCEL_EVERY if limit < 0 else min(_CANCEL_EVERY, limit - taken)
            if crossing:
                for _ in range(block):
                    at = find(needle, at, stop)
                    if at < 0:
                        break
                    next_start = post_starts[bisect_right(post_starts, at)]
                    if at + size >= next_start:
                        at = next_start
                        continue
                    add_start(at)
                    at += size
                    add_end(at)
            else:
                for _ in range(block):
                    at = find(needle, at, stop)
                    if at < 0:
                        break
                    add_start(at)
                    at += size
                    add_end(at)
            found.trim()
            taken = len(starts)
        found.count = len(starts)

    def _scan_text(
        self,
        lowered: bool,
        finder: str | re.Pattern[str],
        found: _Collector,
        cancel: threading.Event | None,
        first_post: int,
        last_post: int,
    ) -> None:
        """Search the decoded text, a slice of whole posts at a time.

        Matches come in characters and are stored in bytes: each hit in a non-ASCII
        post encodes only the text since the hit before.
        """
        with memoryview(self._corpus.data) as data, memoryview(self._lower) as lower:
            self._scan_views(data, lower, lowered, finder, found, cancel, first_post, last_post)

    def _scan_views(
        self,
        data: memoryview,
        lower: memoryview,
        lowered: bool,
        finder: str | re.Pattern[str],
        found: _Collector,
        cancel: threading.Event | None,
        first_post: int,
        last_post: int,
    ) -> None:
        """`_scan_text` over views of the corpus and its lowercased copy, which
        decode slices without copying them first."""
        corpus = self._corpus
        starts, ascii = corpus.starts, corpus.ascii
        chars, unaligned = self._chars, self._unaligned
        posts = last_post + 1
        add_start, add_end = found.starts.append, found.ends.append
        first = first_post
        while first < posts:
            if cancel is not None and cancel.is_set():
                found.cancelled = True
                return
            last = bisect_right(starts, starts[first] + _SLICE_BYTES, first, posts) - 1
            byte_base, char_base = starts[first], chars[first]
            byte_end = starts[last + 1] - 1
            # `original` has the characters of the posts as they are, or at least in
            # the same UTF-8 length, to turn character offsets into byte offsets.
            if lowered and bisect_right(unaligned, last) == bisect_left(unaligned, first):
                original = searched = str(lower[byte_base:byte_end], "utf-8", _ERRORS)
            else:
                original = str(data[byte_base:byte_end], "utf-8", _ERRORS)
                searched = original.lower() if lowered else original
            room = found.limit - found.count if found.limit >= 0 else -1
            hits = self._scan_slice(searched, finder, first, last, room, cancel)
            del searched
            if hits is None:
                found.cancelled = True
                return
            post, post_chars, at_char, at_byte = -1, 0, 0, 0
            for number, start, end in hits:
                base = starts[number]
                if ascii[number]:
                    add_start(base + start)
                    add_end(base + end)
                    continue
                if number != post or start < at_char:
                    post, post_chars, at_char, at_byte = number, chars[number] - char_base, 0, base
                begin = at_byte + len(
                    original[post_chars + at_char : post_chars + start].encode("utf-8", _ERRORS)
                )
                at_byte = begin + len(
                    original[post_chars + start : post_chars + end].encode("utf-8", _ERRORS)
                )
                at_char = end
                add_start(begin)
                add_end(at_byte)
            found.count += len(hits)
            if found.count == found.limit:
                return
            found.trim()
            first = last + 1

    def _scan_slice(
        self,
        text: str,
        finder: str | re.Pattern[str],
        first_post: int,
        last_post: int,
        room: int,
        cancel: threading.Event | None,
    ) -> list[tuple[int, int, int]] | None:
        """(post number, start, end) of the hits in posts first_post..last_post, whose
        text (joined) is `text`, in characters of the post; at most `room` of them
        (-1: no limit), or None when cancelled.

        The first window is the whole slice: one C-level pass for the usual query.  A
        match that reaches into a separator is not a hit: its post is searched again on
        its own (`endpos` makes the post's end look like the end of the string) and the
        scan goes on from the next post in a window of one post, doubling while no
        match crosses.  Without that, a pattern such as `[\\s\\S]+` would run to the
        end of the slice once per post.
        """
        spans = _finder(text, finder)
        chars = self._chars
        char_base = chars[first_post]
        hits: list[tuple[int, int, int]] = []
        add = hits.append
        seen = 0
        first, window = first_post, last_post - first_post + 1
        while first <= last_post:
            last = min(first + window - 1, last_post)
            post, base, post_end = first - 1, 0, -1
            next_start = chars[first] - char_base
            crossed = -1
            for start, end in spans(next_start, chars[last + 1] - 1 - char_base):
                if cancel is not None:
                    seen += 1
                    if seen % _CANCEL_EVERY == 0 and cancel.is_set():
                        return None
                if start == end:
                    continue
                if start >= next_start:
                    post = bisect_right(chars, start + char_base, post + 1, last + 1) - 1
                    base = chars[post] - char_base
                    next_start = chars[post + 1] - char_base
                    post_end = next_start - 1
                if end <= post_end:
                    add((post, start - base, end - base))
                    if len(hits) == room:
                        return hits
                    continue
                if start < post_end:
                    for inner_start, inner_end in spans(start, post_end):
                        if inner_start != inner_end:
                            add((post, inner_start - base, inner_end - base))
                            if len(hits) == room:
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
    if isinstance(hits, HitList):
        found = hits.next_hit(after)
        assert found is not None
        return found
    i = bisect_right(hits, after, key=_position)
    if i < len(hits):
        return hits[i], False
    return hits[0], True


def prev_hit(hits: Sequence[Hit], before: tuple[int, int]) -> tuple[Hit, bool]:
    """The last hit before position `before`, and whether it wrapped to the bottom.
    The mirror of `next_hit`; raises ValueError when there are no hits."""
    if not hits:
        raise ValueError("no hits to move to")
    if isinstance(hits, HitList):
        found = hits.prev_hit(before)
        assert found is not None
        return found
    i = bisect_left(hits, before, key=_position)
    if i > 0:
        return hits[i - 1], False
    return hits[-1], True
