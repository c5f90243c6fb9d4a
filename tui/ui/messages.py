"""What workers report to the screens that started them.

A worker thread posts one of these small messages to its screen (posting is safe from
any thread) instead of calling into the screen's private methods: the screen handles
it on the UI thread like any other event, and a message for a screen that has closed
is simply dropped.  Frequent progress reports say `can_replace`, so a queue that
falls behind keeps only the latest.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from tui.core.library import Candidate, Skipped, ThreadEntry
from tui.core.model import Thread
from tui.core.search.files import FileResult
from tui.core.search.index import Hit
from tui.core.search.navigator import Place, Window
from tui.state.identity import PackedKeys

# -- the reader's search ----------------------------------------------------------------


@dataclass
class IndexProgress(Message):
    """The search index is being built: `percent` done."""

    percent: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


@dataclass
class IndexBuilt(Message):
    """The search index is built; `keys` are every comment's reading-state key."""

    keys: PackedKeys


@dataclass
class RepairsCounted(Message):
    """How many repairs the thread's text needed, for the article's header."""

    count: int


@dataclass
class SearchFound(Message):
    """A whole-thread search finished in a worker."""

    hits: Sequence[Hit]
    pattern: re.Pattern[str]
    origin: Place
    move: bool
    cancel: threading.Event


@dataclass
class WindowFound(Message):
    """A search from the reader's place onwards (or up to it) finished in a worker."""

    found: Window
    forward: bool
    cancel: threading.Event


@dataclass
class Visited(Message):
    """The reading state recorded a visit to `thread` (see `ReadingSession.visit`):
    which comments are new, and where a focus and folds that may have moved are now."""

    thread: Thread
    thread_id: int
    keys: PackedKeys
    new: list[int]
    wanted: tuple[int, bytes] | None
    focus: int | None
    fold_keys: list[tuple[int, bytes]] | None
    folds: set[int] | None


# -- the reader's file ------------------------------------------------------------------


@dataclass
class ThreadRead(Message):
    """The thread's file was read again after it changed on disk."""

    thread: Thread
    stamp: tuple[int, int]


@dataclass
class ThreadNotRead(Message):
    """The thread's file changed on disk but could not be read again."""

    source: Path
    stamp: tuple[int, int]
    reason: str


@dataclass
class RestRead(Message):
    """The whole file behind a first screen that showed only its head."""

    thread: Thread


@dataclass
class RestNotRead(Message):
    """The rest of the file could not be read: the head is all there is."""

    reason: str


# -- the library ------------------------------------------------------------------------


@dataclass
class LibraryWalked(Message):
    """The library's folders are walked: the files to read, and those skipped."""

    files: list[Candidate]
    skipped: list[Skipped]


@dataclass
class EntriesRead(Message):
    """A batch of titles read (and files found not to be threads); `done` with the last."""

    entries: list[ThreadEntry]
    skipped: list[Skipped]
    done: bool = False


@dataclass
class CommentsCounted(Message):
    """The first `done` threads of the library have their comments counted; `final`
    once every one has."""

    done: int
    final: bool = False

    def can_replace(self, message: Message) -> bool:
        # An earlier report gives way to a later one, but the final report stays.
        return not self.final and isinstance(message, CommentsCounted)


@dataclass
class LibraryFiltered(Message):
    """The title filter `query` ran in a worker: the entries it shows."""

    view: list[tuple[int, tuple[int, ...]]]
    keep: ThreadEntry | None
    query: str


@dataclass
class FilesSearched(Message):
    """A batch of the library search's results: the files with matches (or errors)
    among the first `searched`; `finished` with the last batch."""

    batch: list[FileResult]
    searched: int
    cancel: threading.Event
    finished: bool = False
