"""Search across many thread files: the engine behind the library search and `grep`.

A match must be found in the text the reader shows, repaired (see `tui.core.repair`), so
each file that may match is parsed and searched with the reader's own `SearchIndex`;
what is found is exactly what `n`/`N` step through once the thread is open.  Parsing
and repairing a 25 kB file costs about a hundred times more than looking at its bytes,
so each file first goes through a byte-level test that says "cannot match" for most
files of a large library, and only the rest are parsed.

The byte test holds only for files whose bytes hold their posts' text as is: the
seed's plain text and `threadread/1` JSON (`tui.core.formats.detect.text_is_file_text`).
Files saved from sites hold HTML or Markdown (`don&#x27;t`, `foo<i>bar</i>`,
`**foo**bar`), where a word the reader shows need not be in the bytes at all, so they
are always parsed and searched in their rendered text.

The byte test (`Query.may_match`) must never reject a file that matches.  It looks
for the *plain pieces* of a literal query -- its runs of printable ASCII, cut at
characters that JSON may escape (`"`, `\\`, `/`) -- in the raw bytes, and relies on:

* decoding: ASCII bytes read the same in UTF-8, Windows-1252 and Latin-1, and only
  CR (never in a piece) is rewritten; UTF-16 files are always parsed;
* the formats: a post's text inside a line is the file's text, except that JSON
  escapes `"`, `\\`, `/` and controls, and may spell any character `\\u00XX` (a file
  with such an escape of an ASCII character is always parsed);
* repair: it replaces runs of non-ASCII characters with non-empty runs of non-ASCII
  characters, so every stretch of ASCII in the repaired text was in the file as is
  (`tests/unit/test_library.py` checks this property of `repair_text`);
* case: ignoring case, only `i`, `s` and `k` can match non-ASCII characters (İ, ı, ſ
  and the Kelvin sign K).  A file holding those (JSON may spell them `\\u0130`), or
  whose repair could produce them, is tested with the query cut at those letters too.

A regex query is tested with the runs of literal characters every match of it must
hold (`zeppel` in `zeppel\\w+`), read off the parsed regex; one with no such run (an
alternation at the top, say) gets no byte test, and every file is parsed.

Files are searched in one process, one after the other.  A pool of two processes
(this is meant for two-core laptops) measured 1.2x faster with forkserver and 1.4x
with fork on a query that parses every thread, and no faster on one the byte test
settles; fork is unsafe in a threaded app, so the gain does not pay for the risk.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.decoding import is_utf8
from tui.core.errors import ThreadError
from tui.core.model import Thread
from tui.core.search.index import SearchIndex, hits_by_post
from tui.core.search.query import ASCII_TWINS, literal_text

__all__ = [
    "FileResult",
    "LineMatch",
    "Query",
    "search_files",
]

# Characters outside plain pieces: JSON may escape them.
_JSON_ESCAPED = frozenset('"\\/')
# Non-ASCII characters that re.IGNORECASE or str.lower() match with an ASCII letter.
FOLDS_TO_ASCII = "".join(ASCII_TWINS)
_FOLD_LETTERS = frozenset("iskISK")
_FOLD_BYTES = tuple(char.encode("utf-8") for char in FOLDS_TO_ASCII)
_ESCAPED_ASCII = re.compile(rb"\\u00[0-7]")
# The same characters as JSON may spell them, in a file that is ASCII all the same.
_ESCAPED_FOLDS = re.compile(rb"\\u(?:013[01]|017[fF]|212[aA])")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _required_runs(pattern: re.Pattern[str]) -> list[str]:
    """Runs of literal characters that every match of a regex contains, read off its
    parse tree: plain characters in sequence, inside groups, and inside repeats taken
    at least once.  Alternatives, classes, lookarounds and repeats that may be skipped
    give nothing; a group that changes flags (`(?i:...)`) gives up on the lot."""
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:
        # It compiled already: any surprise from the parser only means "no runs".
        return []
    runs: list[str] = []
    repeats = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}

    def walk(items: Iterable[tuple[object, object]]) -> bool:
        current: list[str] = []
        for op, value in items:
            if op is sre.LITERAL:
                current.append(chr(value))  # type: ignore[arg-type]
                continue
            if current:
                runs.append("".join(current))
                current = []
            if op is sre.SUBPATTERN:
                _group, add_flags, del_flags, inner = value  # type: ignore[misc]
                if add_flags or del_flags or not walk(inner):
                    return False
            elif op is sre.ATOMIC_GROUP:
                if not walk(value):  # type: ignore[arg-type]
                    return False
            elif op in repeats:
                low, _high, inner = value  # type: ignore[misc]
                if low >= 1 and not walk(inner):
                    return False
        if current:
            runs.append("".join(current))
        return True

    return runs if walk(parsed) else []


def _pieces(needle: str, cut: frozenset[str]) -> list[str]:
    """Runs of printable ASCII in `needle`, cut at the characters in `cut`."""
    pieces: list[str] = []
    current: list[str] = []
    for char in needle:
        if char.isascii() and char.isprintable() and char not in cut:
            current.append(char)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


@dataclass(frozen=True, slots=True)
class LineMatch:
    """A line of a post with matches in it.

    `comment` is the post number (0 = the article), `line_number` the line's place in
    the post (1-based), `spans` the (start, end) of each match in `line`, in characters;
    a match running on past the line's end is cut there.
    """

    comment: int
    line_number: int
    line: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class FileResult:
    """What searching one file found.  `title` is None when the file was never parsed
    (its bytes could not match); `error` is the reason a file could not be read."""

    path: Path
    title: str | None = None
    lines: tuple[LineMatch, ...] = ()
    error: str | None = None

    @property
    def matches(self) -> int:
        return sum(len(line.spans) for line in self.lines)


class Query:
    """A compiled query, ready to test and search any number of files.

    `repair` is whether the threads are read with mojibake repair, as the reader shows
    them (False: the text as written, `--raw`).  `limit` caps the hits taken from one
    file (None: all).
    """

    def __init__(
        self, pattern: re.Pattern[str], *, repair: bool = True, limit: int | None = None
    ) -> None:
        self.pattern = pattern
        self.repair = repair
        self.limit = limit
        needle = literal_text(pattern.pattern, pattern.flags)
        self.fold = bool(pattern.flags & re.IGNORECASE)
        self._needle = needle
        self._plain: list[bytes] | None = None
        self._plain_folded: list[bytes] | None = None
        self._others: list[str] = []
        if needle is not None:
            if any(not c.isprintable() for c in needle):
                return
            runs = [needle]
        else:
            # A run with a control character is left out, not the lot: the others
            # are still required.
            runs = [r for r in _required_runs(pattern) if r.isprintable()]
            if not runs:
                return
        pieces = [p for run in runs for p in _pieces(run, _JSON_ESCAPED)]
        if self.fold:
            pieces = [p.lower() for p in pieces]
        self._plain = [p.encode("ascii") for p in pieces]
        if self.fold and any(_FOLD_LETTERS.intersection(run) for run in runs):
            cut = [p for run in runs for p in _pieces(run.lower(), _JSON_ESCAPED | _FOLD_LETTERS)]
            self._plain_folded = [p.encode("ascii") for p in cut]
        # Non-ASCII stretches that can only match themselves.
        others = [o for run in runs for o in re.split(r"[\x00-\x7f]+", run)]
        if self.fold:
            others = [o for o in others if o and all(c.lower() == c.upper() for c in o)]
        self._others = [o for o in others if o]

    def may_match(self, data: bytes) -> bool:
        """False only when the file whose bytes these are cannot hold a match.

        Single-byte `in` tests come first: they run at memchr speed, where a search
        for a longer needle reads the whole file at a fraction of that.
        """
        plain = self._plain
        if plain is None or data.startswith(_UTF16_BOMS):
            return True
        backslash = b"\\" in data
        if backslash and _ESCAPED_ASCII.search(data) is not None:
            return True
        if not self.fold:
            if not all(piece in data for piece in plain):
                return False
        elif plain:
            haystack = data.lower()
            cut = self._plain_folded
            if cut is not None and (backslash or not data.isascii()):
                # Cut at i, s and k first: sound whatever the text holds, and it settles
                # most files before the costlier test of what the text may hold.
                if not all(piece in haystack for piece in cut):
                    return False
                if self._fold_risk(data):
                    plain = []
            if not all(piece in haystack for piece in plain):
                return False
        if not self._others or backslash or (self.repair and self._may_repair(data)):
            return True
        return all(self._present(other, data) for other in self._others)

    def _fold_risk(self, data: bytes) -> bool:
        """Whether the text may hold a non-ASCII character that matches i, s or k."""
        if b"\\u" in data and _ESCAPED_FOLDS.search(data) is not None:
            return True
        if (b"\xc4" in data or b"\xc5" in data) and any(b in data for b in _FOLD_BYTES[:3]):
            return True
        if _FOLD_BYTES[3] in data:
            return True
        return self.repair and self._may_repair(data)

    @staticmethod
    def _may_repair(data: bytes) -> bool:
        from tui.core.repair import may_need_repair

        # A file that is not UTF-8 is decoded from another code page first, and the
        # repair test runs on that text, not on these bytes.
        return not is_utf8(data) or may_need_repair(data)

    @staticmethod
    def _present(text: str, data: bytes) -> bool:
        """Whether `text` is in the bytes in any encoding the reader may decode with."""
        for encoding in ("utf-8", "windows-1252", "latin-1"):
            try:
                encoded = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            if encoded in data:
                return True
        return False

    def search_bytes(self, data: bytes, path: Path) -> FileResult:
        """Every matching line of one file, given its bytes."""
        from tui.core.decoding import decode_bytes
        from tui.core.formats.compressed import is_gzip
        from tui.core.formats.detect import (
            format_of,
            parse_decoded,
            parse_thread,
            text_is_file_text,
        )
        from tui.core.formats.plaintext import read_seed

        if text_is_file_text(data, path) and not self.may_match(data):
            return FileResult(path)
        try:
            if is_gzip(data):
                thread = parse_thread(data, path, repair=self.repair)
                return FileResult(path, thread.title, tuple(self._search_index(thread)))
            decoded = decode_bytes(data, path)
            text = decoded.data
            if format_of(text, path) != "text":
                thread = parse_decoded(
                    text, path, encoding=decoded.encoding, repair=self.repair, raw=data
                )
                lines = self._search_index(thread)
            else:
                thread = read_seed(text, path=path, encoding=decoded.encoding, repair=self.repair)
                if self._by_post(text):
                    lines = self._search_posts(thread, text)
                else:
                    lines = self._search_index(thread)
        except ThreadError as error:
            return FileResult(path, error=error.reason)
        except (RecursionError, MemoryError):
            return FileResult(path, error="too large or too deeply nested to read")
        return FileResult(path, thread.title, tuple(lines))

    def _by_post(self, data: bytes) -> bool:
        """Whether a text thread (normalised UTF-8 `data`) can be searched post by post,
        decoding only the posts whose bytes hold the query's plain pieces, with the
        very hits `SearchIndex` would give.

        `SearchIndex` ignores case on a lower-cased copy of the whole thread, unless
        some post holds İ, whose lower case is longer; then re.IGNORECASE, which
        also lets i and s match ı and ſ.  Post by post, that choice is made per post,
        so it agrees only when it cannot differ: a literal query, ASCII when case is
        ignored, and, when it has an i, s or k, no chance of İ, ı, ſ or K in the text.
        """
        needle = self._needle
        if needle is None or self._plain is None:
            return False
        if not self.fold:
            return True
        if not needle.isascii():
            return False
        return self._plain_folded is None or not self._fold_risk(data)

    def _search_posts(self, thread: Thread, data: bytes) -> list[LineMatch]:
        from tui.core.formats.plaintext import block_bounds

        bounds = block_bounds(data)
        count = len(thread.tree)
        posts = self._candidate_posts(data, bounds, count)
        lines: list[LineMatch] = []
        for number in [0, *posts]:
            text = thread.article_text if number == 0 else thread.tree.get(number).text
            spans = self._spans(text)
            if spans:
                lines.extend(_line_matches(number, text, spans))
        return lines

    def _candidate_posts(self, data: bytes, bounds: Sequence[int], count: int) -> list[int]:
        """Comment numbers whose bytes hold every plain piece (all, with no pieces)."""
        pieces = sorted(self._plain or (), key=len, reverse=True)
        if not pieces:
            return list(range(1, count + 1))
        haystack = data.lower() if self.fold else data
        starts = bounds[0::2]
        ends = bounds[1::2]
        first = pieces[0]
        found: list[int] = []
        at = haystack.find(first, starts[1] if count else len(haystack))
        while at >= 0:
            number = bisect_right(starts, at) - 1
            if number > count:
                break
            end = ends[number]
            if at + len(first) <= end and all(
                haystack.find(piece, starts[number], end) >= 0 for piece in pieces[1:]
            ):
                found.append(number)
            if number + 1 > count:
                break
            at = haystack.find(first, starts[number + 1])
        return found

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """The non-empty matches in one post's text, as `SearchIndex` finds them."""
        needle = self._needle
        assert needle is not None
        haystack = text
        if self.fold:
            lower = text.lower()
            if len(lower) != len(text):
                return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]
            haystack, needle = lower, needle.lower()
        size = len(needle)
        spans: list[tuple[int, int]] = []
        at = haystack.find(needle)
        while at >= 0:
            spans.append((at, at + size))
            if self.limit is not None and len(spans) >= self.limit:
                break
            at = haystack.find(needle, at + size)
        return spans

    def _search_index(self, thread: Thread) -> list[LineMatch]:
        hits = SearchIndex(thread).search(self.pattern, limit=self.limit)
        lines: list[LineMatch] = []
        for number, post_hits in hits_by_post(hits).items():
            text = thread.article_text if number == 0 else thread.tree.get(number).text
            lines.extend(_line_matches(number, text, [(h.start, h.end) for h in post_hits]))
        return lines

    def search_file(self, path: Path) -> FileResult:
        """Every matching line of one file; a file that cannot be read is an error."""
        from tui.core.formats.detect import read_bytes

        try:
            data = read_bytes(path)
        except ThreadError as error:
            return FileResult(path, error=error.reason)
        return self.search_bytes(data, path)


def _line_matches(number: int, text: str, spans: Sequence[tuple[int, int]]) -> Iterator[LineMatch]:
    """Group a post's match spans (in order) by the line they start on."""
    line_start = line_end = -1
    line_number = 0
    current: list[tuple[int, int]] = []
    for start, end in spans:
        if start >= line_end:
            if current:
                yield LineMatch(number, line_number, text[line_start:line_end], tuple(current))
            previous = line_start
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            if line_end < 0:
                line_end = len(text)
            if previous < 0:
                line_number = text.count("\n", 0, line_start) + 1
            else:
                line_number += text.count("\n", previous, line_start)
            current = []
        current.append((start - line_start, min(end, line_end) - line_start))
    if current:
        yield LineMatch(number, line_number, text[line_start:line_end], tuple(current))


def search_files(
    paths: Iterable[Path],
    query: Query,
    *,
    cancel: threading.Event | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[FileResult]:
    """Search each file in turn, yielding a result for every one, in order.

    Stops early, between files, once `cancel` is set.  `progress(done)` is called
    after each file.
    """
    for done, path in enumerate(paths, 1):
        if cancel is not None and cancel.is_set():
            return
        result = query.search_file(path)
        if progress is not None:
            progress(done)
        yield result
