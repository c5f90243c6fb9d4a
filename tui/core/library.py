"""A library of thread files: finding them in folders, their titles, filtering by title.

People keep scraped threads by the thousand, so nothing here reads more than it must.
Walking a folder costs one `os.scandir` per directory; a title costs the first 4 KB of
its file; counting comments (a full parse) is left to whoever can afford it, such as a
background worker.  Nothing in this module imports Textual.

Which files are threads (the rule the notices refer to):

* in a walked folder, names starting with "." (files and folders) are hidden and
  skipped without a word, as `ls` and `rg` do;
* in a walked folder, only files ending in `.txt` or `.json` (any case), with no
  extension at all, or with an ending a reader asks for (`.jsonl`...: see
  `tui.core.formats.registry`) are candidates; anything else is listed as skipped,
  never silently lost.  A file named on the command line is a candidate whatever its
  name.  Which format a candidate is in is told by its content, not its name;
* a candidate is a thread when its first 4 KB are text: an empty file, one holding
  only whitespace, or binary data is listed as skipped with the reason;
* a candidate that passes but then fails to parse in full (a broken JSON document, a
  NUL byte after the first 4 KB) stays in the list, marked with the reason.

Symbolic links are followed, folders only once each, so a link loop ends.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.decoding import decode_bytes
from tui.core.errors import ThreadError
from tui.core.formats.compressed import gunzip_head, is_gzip
from tui.core.formats.detect import head_title as format_and_title
from tui.core.formats.detect import parse_thread, read_bytes
from tui.core.formats.registry import extra_suffixes
from tui.core.model import Thread

HEAD_BYTES = 4096
THREAD_SUFFIXES = frozenset({".txt", ".json", ""}) | extra_suffixes()
# Notices name this many files, then say how many more there were.
NOTICE_NAMES = 6

_DIGITS = re.compile(r"(\d+)")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BLANK_BYTES = b" \t\r\n\f\v\xc2\xa0"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file that may be a thread; size and time when already known (-1: not yet)."""

    path: Path
    size: int = -1
    mtime: float = 0.0


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or folder) left out of the library, and why, worded for a user."""

    path: Path
    reason: str


@dataclass(slots=True, eq=False)
class ThreadEntry:
    """One thread of the library as the list shows it.

    `title` is None until known (a JSON file whose title is not in its first 4 KB);
    `comments` is None until counted; `error` is set when a full read failed.
    """

    path: Path
    title: str | None
    size: int
    mtime: float
    comments: int | None = None
    error: str | None = None
    _folded: str | None = field(default=None, repr=False)
    _starts: frozenset[int] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        """What to call the thread: its title, or its file name when it has none."""
        return self.title or self.path.name

    @property
    def folded(self) -> str:
        """The label in lower case, kept for filtering 10,000 titles per keystroke."""
        if self._folded is None:
            self._folded = self.label.lower()
        return self._folded

    @property
    def starts(self) -> frozenset[int]:
        """Where the words of the folded label start, for scoring matches."""
        if self._starts is None:
            self._starts = word_starts(self.folded)
        return self._starts

    def set_title(self, title: str | None) -> None:
        self.title = title
        self._folded = None
        self._starts = None


@dataclass(slots=True)
class Walk:
    """What walking the given paths found: candidates in library order, and the rest."""

    files: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def natural_key(text: str) -> tuple[str | int, ...]:
    """Sort key under which `thread-2` comes before `thread-10`, ignoring case.

    Digits and text alternate at fixed positions of the tuple, so two keys never
    compare an int with a str.
    """
    parts = _DIGITS.split(text.casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def is_thread_name(name: str) -> bool:
    """Whether a file met in a walked folder is worth looking into (see module doc)."""
    return os.path.splitext(name)[1].lower() in THREAD_SUFFIXES


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or "cannot be read").lower()


def walk(paths: Iterable[Path]) -> Walk:
    """Every candidate under `paths`, each folder's files in natural order.

    Files keep the order the paths were given in; a folder's files follow in natural
    order of their path below it.  A path that does not exist is reported as skipped,
    so a caller that must fail on it checks before (see `tui.ui.launch`).  Files found in
    folders are not stat'ed here (`read_entry` does it on the open file): at 10,000
    files that is a third of the walk, and the first screen waits for the walk.
    """
    found = Walk()
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for root in paths:
        root = Path(root)
        try:
            info = root.stat()
        except OSError as error:
            found.skipped.append(Skipped(root, _os_reason(error)))
            continue
        if stat.S_ISDIR(info.st_mode):
            files = _walk_dir(str(root), found.skipped, seen_dirs)
            files.sort()
            for _key, path in files:
                if path not in seen_files:
                    seen_files.add(path)
                    found.files.append(Candidate(Path(path)))
        elif str(root) not in seen_files:
            seen_files.add(str(root))
            found.files.append(Candidate(root, info.st_size, info.st_mtime))
    return found


def _walk_dir(
    root: str, skipped: list[Skipped], seen: set[tuple[int, int]]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Candidate paths below `root` with their sort keys; iterative, so depth is no
    limit."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    pending: list[tuple[str, str]] = [(root, "")]
    while pending:
        directory, relative = pending.pop()
        try:
            info = os.stat(directory)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            with os.scandir(directory) as entries:
                listing = list(entries)
        except OSError as error:
            skipped.append(Skipped(Path(directory), _os_reason(error)))
            continue
        for entry in listing:
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{relative}/{name}" if relative else name
            try:
                if entry.is_dir():
                    pending.append((entry.path, rel))
                    continue
                suffix = os.path.splitext(name)[1]
                if suffix.lower() not in THREAD_SUFFIXES:
                    skipped.append(Skipped(Path(entry.path), f"not a thread file ({suffix})"))
                    continue
                if not entry.is_file():
                    skipped.append(Skipped(Path(entry.path), "not a regular file"))
                    continue
            except OSError as error:
                skipped.append(Skipped(Path(entry.path), _os_reason(error)))
                continue
            out.append((natural_key(rel), entry.path))
    return out


def _cut_head(head: bytes) -> bytes:
    """The part of a file's first bytes that decodes as it would in the whole file:
    up to the last line break, or without a UTF-8 sequence cut in half."""
    if head.startswith(_UTF16_BOMS):
        return head[: len(head) & ~1]
    newline = head.rfind(b"\n")
    if newline > 0:
        return head[: newline + 1]
    end = len(head)
    # Step back over continuation bytes to the lead byte, and drop the lead too.
    back = end - 1
    while back > 0 and end - back < 4 and 0x80 <= head[back] < 0xC0:
        back -= 1
    if head[back] >= 0xC0:
        return head[:back]
    return head


def head_title(head: bytes, path: Path, *, complete: bool, repair: bool = True) -> str | None:
    """A thread's title from the first bytes of its file; ThreadError for non-threads.

    `complete` says whether `head` is the whole file.  The title is what the full
    reader would give: the first non-empty line of a text thread, the "title" member
    of a JSON one (as its format's reader reads it: see `tui.core.formats.detect`),
    with the same repair.  None when it is not in the first bytes.
    """
    from tui.core.formats.plaintext import block_bounds, parse_article
    from tui.core.repair import repair_text

    if is_gzip(head):
        inflated = gunzip_head(head, HEAD_BYTES)
        complete = complete and len(inflated) < HEAD_BYTES
        head = inflated
        if not head:
            return None
    data = head if complete else _cut_head(head)
    if not complete and not data.strip(_BLANK_BYTES):
        if b"\x00" in head:
            raise ThreadError(path, "not a text file (binary data)")
        return None
    decoded = decode_bytes(data, path)
    text = decoded.data
    fmt, title = format_and_title(text, path)
    if fmt != "text":
        if title is None:
            return None
    else:
        bounds = block_bounds(text)
        title, _ = parse_article(text[bounds[0] : bounds[1]].decode("utf-8"))
    if repair:
        title, _ = repair_text(title)
    return title


def read_entry(candidate: Candidate, *, repair: bool = True) -> ThreadEntry | Skipped:
    """Read the head of a candidate: the list entry of a thread, or why it is none."""
    path = candidate.path
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                return Skipped(path, "not a regular file")
            head = file.read(HEAD_BYTES)
    except OSError as error:
        return Skipped(path, _os_reason(error))
    if not head:
        return Skipped(path, "empty file")
    try:
        title = head_title(head, path, complete=len(head) < HEAD_BYTES, repair=repair)
    except ThreadError as error:
        return Skipped(path, error.reason)
    return ThreadEntry(path, title, info.st_size, info.st_mtime)


def count_entry(entry: ThreadEntry, *, repair: bool = True) -> Thread | None:
    """Parse the whole file: fill in the comment count and the title, or the error.
    Returns the thread read (None on error), for whoever wants more than the count."""
    try:
        thread = parse_thread(read_bytes(entry.path), entry.path, repair=repair)
    except ThreadError as error:
        entry.error = error.reason
        return None
    except (RecursionError, MemoryError):
        entry.error = "too large or too deeply nested to read"
        return None
    entry.comments = len(thread.tree)
    entry.error = None
    if thread.title != entry.title:
        entry.set_title(thread.title)
    return thread


def describe(items: Sequence[Skipped], heading: str, limit: int = NOTICE_NAMES) -> str:
    """One notice for several files: a heading, then the first few with their reasons."""
    lines = [heading]
    lines.extend(f"{item.path}: {item.reason}" for item in items[:limit])
    if len(items) > limit:
        lines.append(f"… and {len(items) - limit:,} more")
    return "\n".join(lines)


def plural(count: int, one: str, many: str) -> str:
    """`1 file`, `2 files`: the count with the word that fits it."""
    return f"{count:,} {one if count == 1 else many}"


# -- filtering by title -------------------------------------------------------------------

_WORD_START = re.compile(r"\w+")


def word_starts(text: str) -> frozenset[int]:
    """Offsets where a word starts: the palette scores matches there higher."""
    return frozenset(match.start() for match in _WORD_START.finditer(text))


def _score(starts: frozenset[int], offsets: tuple[int, ...]) -> float:
    """The command palette's score: matched letters, more for letters that start a
    word, boosted when the letters come in fewer groups."""
    count = len(offsets)
    score = float(count + len(starts.intersection(offsets)))
    groups = 1 + sum(1 for a, b in itertools.pairwise(offsets) if b != a + 1)
    normalized = (count - (groups - 1)) / count
    return score * (1 + normalized * normalized)


def fuzzy_match(
    query: str, folded: str, starts: frozenset[int] | None = None
) -> tuple[float, tuple[int, ...]] | None:
    """Score `folded` (a lower-cased title) against a lower-cased query; None: no match.

    The rule is the command palette's: the query's characters must appear in order;
    a query found as a whole scores 1.5 times more (twice for the whole title), and
    letters that start words and fewer separate groups score higher.  The palette
    tries every alignment, which explodes on long titles; here two are tried, the
    earliest and the tightest, which costs a few `str.find` calls per title.
    `starts` are the title's `word_starts`, when the caller keeps them.
    """
    if not query:
        return 0.0, ()
    if starts is None:
        starts = word_starts(folded)
    at = folded.find(query)
    if at >= 0:
        offsets = tuple(range(at, at + len(query)))
        return _score(starts, offsets) * (2.0 if folded == query else 1.5), offsets
    forward: list[int] = []
    position = 0
    find = folded.find
    for char in query:
        position = find(char, position)
        if position < 0:
            return None
        forward.append(position)
        position += 1
    backward: list[int] = []
    position = forward[-1]
    rfind = folded.rfind
    for char in reversed(query):
        position = rfind(char, 0, position + 1)
        backward.append(position)
        position -= 1
    backward.reverse()
    first = tuple(forward)
    second = tuple(backward)
    if first == second:
        return _score(starts, first), first
    return max((_score(starts, first), first), (_score(starts, second), second))


def _subsequence(query: str) -> re.Pattern[str]:
    """A regex finding titles that hold the query's characters in order, in one linear
    pass: each step skips possessively to the next wanted character, so a title that
    does not match is never backtracked over."""
    parts = []
    for char in query:
        wanted = re.escape(char)
        skip = "\n" if char == "\n" else "\n" + ("\\" + char if char in "\\]^-" else char)
        parts.append(f"[^{skip}]*+{wanted}")
    return re.compile("^" + "".join(parts), re.MULTILINE)


class TitleFilter:
    """Filters a growing list of entries by title, as fast as 10,000 titles need.

    The folded titles are joined into one string once (again after they change), and
    a regex finds the titles that can match in a single pass over it; only those are
    scored in Python.  The joined index is replaced in one assignment, so a filter
    running in a worker never sees half of an update.
    """

    def __init__(self, entries: Sequence[ThreadEntry]) -> None:
        self.entries = entries
        self._index: tuple[int, str, list[int]] = (-1, "", [])

    def invalidate(self) -> None:
        """Titles changed (a count pass corrects some): rebuild on the next filter."""
        self._index = (-1, "", [])

    def _current(self) -> tuple[int, str, list[int]]:
        index = self._index
        if index[0] == len(self.entries):
            return index
        folded = [entry.folded.replace("\n", " ") for entry in list(self.entries)]
        starts: list[int] = []
        offset = 0
        for text in folded:
            starts.append(offset)
            offset += len(text) + 1
        index = (len(folded), "\n".join(folded), starts)
        self._index = index
        return index

    def filter(self, query: str) -> list[tuple[int, tuple[int, ...]]]:
        """Indexes of the entries whose label matches, best first (library order for
        ties and for an empty query), each with the offsets of the matched characters.
        """
        query = query.strip().lower()
        if not query:
            return [(index, ()) for index in range(len(self.entries))]
        size, joined, starts = self._current()
        entries = self.entries
        scored: list[tuple[float, int, tuple[int, ...]]] = []
        last = -1
        for match in _subsequence(query).finditer(joined):
            index = bisect_right(starts, match.start()) - 1
            if index == last or index >= size:
                continue
            last = index
            entry = entries[index]
            found = fuzzy_match(query, entry.folded, entry.starts)
            if found is not None:
                scored.append((-found[0], index, found[1]))
        scored.sort()
        return [(index, offsets) for _score_, index, offsets in scored]


def filter_entries(query: str, entries: Sequence[ThreadEntry]) -> list[tuple[int, tuple[int, ...]]]:
    """`TitleFilter.filter` for a one-off list."""
    return TitleFilter(entries).filter(query)


def resolved(path: Path) -> Path:
    """A path as the reading state stores it (absolute, links resolved)."""
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.absolute()


View = list[tuple[int, tuple[int, ...]]]


class Library:
    """What a library holds, apart from any screen showing it: the threads found so
    far, the title filter and the entries it shows, comment counts and how many
    comments of each thread are new.

    Every list of the library (its own screen, the list beside a reader) draws from
    this one model, so they never disagree; each subscribes to be told of changes.
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self.entries: list[ThreadEntry] = []
        self.candidates: list[Candidate] = []
        self.skipped: list[Skipped] = []
        self.scanning = True
        self.counted = 0
        # The filter typed and the entries it shows: (index in `entries`, offsets of
        # the title's matched characters).
        self.query = ""
        self.view: View = []
        # Comments new since the last visit, by the entry's path (only those with any).
        self.new_counts: dict[Path, int] = {}
        # The entry under the library screen's cursor, where a list beside a reader
        # starts when the reader's own thread is not shown.
        self.selected: ThreadEntry | None = None
        # The thread last chosen in a list beside a reader: the library's own list
        # selects it when it is shown again.
        self.chosen: ThreadEntry | None = None
        self.title_filter = TitleFilter(self.entries)
        self._observers: list[Callable[[Library], None]] = []

    def subscribe(self, observer: Callable[[Library], None]) -> None:
        """Call `observer` with the library whenever its entries, view or counts change."""
        self._observers.append(observer)

    def unsubscribe(self, observer: Callable[[Library], None]) -> None:
        if observer in self._observers:
            self._observers.remove(observer)

    def _changed(self) -> None:
        for observer in list(self._observers):
            observer(self)

    def walked(self, files: list[Candidate], skipped: list[Skipped]) -> None:
        """The folders are walked: these files will be read."""
        self.candidates = files
        self.skipped.extend(skipped)

    def add(self, entries: list[ThreadEntry], skipped: list[Skipped], *, done: bool) -> None:
        """A batch of titles read; `done` with the last one."""
        self.entries.extend(entries)
        self.skipped.extend(skipped)
        if done:
            self.scanning = False

    def count_progress(self, done: int) -> None:
        """The first `done` entries have their comments counted."""
        self.counted = done
        self.title_filter.invalidate()
        self._changed()

    def filter(self, query: str) -> View:
        """The entries whose titles match `query`, best first (see `TitleFilter`)."""
        return self.title_filter.filter(query)

    def show(self, view: View, query: str) -> bool:
        """Show `view`, the filter `query` ran; False (and nothing changes) when the
        filter has been changed since."""
        if query != self.query:
            return False
        self.view = view
        self._changed()
        return True

    def set_new_counts(self, counts: dict[Path, int]) -> bool:
        """Take new-comment counts; whether they differ from those held."""
        if counts == self.new_counts:
            return False
        self.new_counts = counts
        self._changed()
        return True

    def shown(self, row: int) -> ThreadEntry | None:
        """The entry on row `row` of the view."""
        if not 0 <= row < len(self.view):
            return None
        return self.entries[self.view[row][0]]

    def row_of(self, entry: ThreadEntry | None) -> int | None:
        """The row of the view showing `entry`, None if it does not show."""
        if entry is None:
            return None
        for row, (index, _offsets) in enumerate(self.view):
            if self.entries[index] is entry:
                return row
        return None

    def find(self, path: Path) -> ThreadEntry | None:
        """The entry the view shows for the file at `path` (a bookmark's resolved path
        will do)."""
        shown = [self.entries[index] for index, _offsets in self.view]
        for entry in shown:
            if entry.path == path:
                return entry
        wanted = resolved(path)
        for entry in shown:
            if resolved(entry.path) == wanted:
                return entry
        return None

    def search_paths(self) -> list[Path]:
        """The files a library search looks in: every thread, including those whose
        titles are still being read."""
        if not self.scanning:
            return [entry.path for entry in self.entries]
        skipped = {item.path for item in self.skipped}
        return [c.path for c in self.candidates if c.path not in skipped]
