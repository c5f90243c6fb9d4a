"""Keeping the reader's thread whole and current: the rest behind the head, reloads.

A big file opens with only its head read (the first screen is up at once); this
controller reads the rest in a worker and extends the thread in place.  It also checks
once a second whether the file changed on disk (a scraper appending comments) and
then reads it again, keeping the reader's place, folds and search.  Workers report with
the messages of `tui.ui.messages`; the screen hands them to the methods below.
"""

from __future__ import annotations

import gc
import os
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import ThreadError
from tui.core.model import Thread
from tui.core.outline import display_text
from tui.ui import messages

if TYPE_CHECKING:
    from tui.ui.screens.reader import ReaderScreen

# Seconds between checks whether the thread's file changed on disk.
WATCH_EVERY = 1.0


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's size and modification time, which change when it is written."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


class ThreadFollower:
    """Reads the rest of a partly read thread, and the file again when it changes."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        # The file as last read, (size, mtime_ns), and the last problem told about it.
        self._file_stamp: tuple[int, int] | None = None
        self._file_problem: str | None = None
        self._reading_file = False
        # A comment to open at once the whole file is read (the head lacked it).
        self.pending_open: int | None = None

    # -- the rest behind the head -------------------------------------------------------

    def read_rest(self) -> None:
        """Read the whole file behind a first screen that showed only its head."""
        self._reading_file = True
        self.screen.call_after_refresh(self._start_reading_rest)

    def _start_reading_rest(self) -> None:
        self.screen.run_worker(
            self._read_rest, thread=True, group="reload", exclusive=True, exit_on_error=False
        )

    def _read_rest(self) -> None:
        from tui.core.formats.detect import read_thread

        screen = self.screen
        source = screen.thread.source
        assert source is not None
        try:
            thread = read_thread(source, repair=screen.thread.repair)
        except ThreadError as error:
            reason = error.reason
        except (RecursionError, MemoryError):
            reason = "too large to read"
        else:
            screen.post_message(messages.RestRead(thread))
            return
        screen.post_message(messages.RestNotRead(reason))

    def rest_not_read(self, reason: str) -> None:
        self._reading_file = False
        screen = self.screen
        self._extend(replace(screen.thread, partial=False))
        count = len(screen.thread.tree)
        screen.notify(
            f"Only the first {count:,} comments could be read: {reason}",
            title=str(screen.thread.source),
            severity="warning",
            timeout=8,
            markup=False,
        )
        self._after_complete()

    def rest_read(self, thread: Thread) -> None:
        """The whole thread: it extends the head in place, unless the file turned out
        to read differently (changed meanwhile, or not UTF-8 after all)."""
        self._reading_file = False
        screen = self.screen
        if not screen.is_attached:
            return
        head = screen.thread
        old_count = len(head.tree)
        same = (
            thread.title == head.title
            and thread.article == head.article
            and thread.encoding == head.encoding
            and len(thread.tree) >= old_count
        )
        if not same:
            self.replace_thread(thread, announce=False)
            self._after_complete(indexed=True)
            return
        # The reader pressed `G` (or End) while only the head was there.
        at_end = old_count > 1 and screen.comments.focused == old_count
        self._extend(thread)
        screen.show_notices(thread)
        if at_end and self.pending_open is None:
            self.pending_open = len(thread.tree)
        self._after_complete()

    def _extend(self, thread: Thread) -> None:
        """Show `thread` in place of the head it continues: same numbers, so focus,
        folds and marks stay as they are."""
        screen = self.screen
        screen.thread = thread
        screen.search.new_thread(rebuild=False)
        screen.comments.replace_thread(thread, same_numbers=True)
        screen.article.replace_thread(thread)

    def _after_complete(self, *, indexed: bool = False) -> None:
        screen = self.screen
        if screen.session is not None:
            screen.session.thread_completed()
        pending, self.pending_open = self.pending_open, None
        if pending is not None:
            count = len(screen.thread.tree)
            if pending > count:
                screen.notify(f"No comment #{pending} (1–{count})", severity="warning")
            else:
                screen.comments.focus()
                screen.open_at(pending)
        # What the app has built up to here (widgets, styles, the thread's arrays) lives
        # on: spare it the full collections the index build would set off (tens of ms
        # each, keys waiting); leaving the screen unfreezes it all again.
        gc.freeze()
        if not indexed:
            screen.search.start_index()

    # -- live reload ----------------------------------------------------------------------

    def watch(self) -> None:
        """Check the file for changes from now on."""
        source = self.screen.thread.source
        if source is None:
            return
        self._file_stamp = _stamp(source)
        self.screen.set_interval(WATCH_EVERY, self.check_file)

    def check_file(self) -> None:
        """Read the thread again when its file changed on disk (a scraper appending
        comments).  A stat per second on the UI thread; the reading is a worker's."""
        source = self.screen.thread.source
        if source is None or self._reading_file:
            return
        try:
            info = os.stat(source)
        except FileNotFoundError:
            self._file_stamp = None
            self._tell_file_problem(source, "the file is gone")
            return
        except OSError as error:
            self._file_stamp = None
            self._tell_file_problem(source, (error.strerror or "cannot be read").lower())
            return
        stamp = (info.st_size, info.st_mtime_ns)
        if stamp == self._file_stamp:
            return
        self._reading_file = True
        self.screen.run_worker(
            partial(self._read_again, source, stamp),
            thread=True,
            group="reload",
            exclusive=True,
            exit_on_error=False,
        )

    def _read_again(self, source: Path, stamp: tuple[int, int]) -> None:
        from tui.core.formats.detect import read_thread

        screen = self.screen
        try:
            thread = read_thread(source, repair=screen.thread.repair)
        except ThreadError as error:
            screen.post_message(messages.ThreadNotRead(source, stamp, error.reason))
            return
        except (RecursionError, MemoryError):
            reason = "too large or too deeply nested to read"
            screen.post_message(messages.ThreadNotRead(source, stamp, reason))
            return
        screen.post_message(messages.ThreadRead(thread, stamp))

    def not_read_again(self, source: Path, stamp: tuple[int, int], reason: str) -> None:
        self._reading_file = False
        # Not read again until it changes again: one notice per change, not per second.
        self._file_stamp = stamp
        self._tell_file_problem(source, reason)

    def read_again(self, thread: Thread, stamp: tuple[int, int]) -> None:
        self._reading_file = False
        self._file_stamp = stamp
        self._file_problem = None
        if self.screen.is_attached:
            self.replace_thread(thread)

    def _tell_file_problem(self, source: Path, reason: str) -> None:
        if reason == self._file_problem:
            return
        self._file_problem = reason
        self.screen.notify(
            f"{reason}; the thread stays on screen as it was",
            title=str(source),
            severity="warning",
            timeout=8,
            markup=False,
        )

    def replace_thread(self, thread: Thread, *, announce: bool = True) -> None:
        """Show a new reading of the file in place: the focus, folds, article scroll
        and search stay, and comments the file gained are marked new (and announced,
        with `announce`)."""
        screen = self.screen
        old_count = len(screen.thread.tree)
        if screen.session is not None:
            screen.session.before_replace()
        screen.thread = thread
        screen.comments.replace_thread(thread)
        screen.article.replace_thread(thread)
        if screen.session is not None:
            screen.session.after_replace()
        screen.title = display_text(thread.title or "(untitled thread)")
        screen.search.new_thread(rebuild=True)
        gained = len(thread.tree) - old_count
        if gained > 0 and announce:
            more = f"{gained:,} new comment{'s' if gained != 1 else ''}"
            screen.notify(f"The file gained {more}: press . to go to them", timeout=4)
