"""What the reader remembers of one thread: where the reader was, what is new, bookmarks.

The reader screen owns one `ReadingSession`.  Opening it reads three small things
(the thread's id, its saved position, its bookmarks) so the screen is put back where
the reader left it before the first frame.  Everything else goes through the app's
`StateQueue` so the UI thread never waits for SQLite: the visit (which needs the key of
every comment, and so every comment decoded) runs in a worker once the search index
has decoded them, seen comments are recorded in batches, and the position is saved on
a timer and when the screen closes.

Comment numbers shift when replies are inserted mid-tree, so a position and the folds
carried over a reload are checked against comment keys, and moved to where those
comments are now.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui.state.identity import PackedKeys, comment_key
from tui.state.records import Bookmark, Position
from tui.state.store import StateStore
from tui.ui import messages

if TYPE_CHECKING:
    from tui.core.model import Thread
    from tui.state.queue import StateQueue
    from tui.ui.screens.reader import ReaderScreen

# Seconds between batches of comments recorded as seen.
SEEN_EVERY = 2.0
# Seconds between checks whether the position changed and needs saving.
POSITION_EVERY = 5.0
# Keying comments pauses this long every so many comments (about every 10 ms).
YIELD_EVERY = 256
YIELD_FOR = 0.001

Placement = tuple[int, bytes]


class ReadingSession:
    """The reading state of the thread a reader screen shows."""

    def __init__(self, screen: ReaderScreen, queue: StateQueue) -> None:
        self.screen = screen
        self.queue = queue
        # Held, not looked up: when the screen closes its widgets have left the DOM,
        # and the last position is read from them then.
        self.comments = screen.comments
        self.thread_id = 0
        self.bookmarks: dict[int, Bookmark] = {}
        # The key of every comment of `keys_thread`, once a visit has computed them.
        self.keys: PackedKeys | None = None
        self.keys_thread: Thread | None = None
        self._saved: Position | None = None
        # A focus put at a number that may have moved: (number, key of the comment
        # meant), settled once the visit knows every key.
        self._wanted: Placement | None = None
        # Folds carried over a reload by number, with the keys of the comments folded
        # before it and the fold set right after it (to tell whether the reader has
        # folded anything since).
        self._fold_keys: list[Placement] | None = None
        self._folds_after: frozenset[int] | None = None
        self._identify = False
        self._announced = False
        self._closed = False
        # A position to restore once the whole file is read (see `thread_completed`).
        self._deferred: Position | None = None

    # -- opening ----------------------------------------------------------------------

    def open(self) -> None:
        """Identify the thread and put the reader back where they left it.

        Three small indexed reads, done before the first frame so the screen does
        not open at the top and then jump.
        """
        thread = self.screen.thread

        def load(store: StateStore) -> tuple[int, Position | None, list[Bookmark]]:
            found = store.thread_id_for(thread)
            return found, store.load_position(found), store.bookmarks(found)

        self.thread_id, position, marks = self.queue.run(load)
        self._bookmarks_loaded(marks)
        if position is not None:
            self._restore(position)
        screen = self.screen
        screen.set_interval(SEEN_EVERY, self.flush_seen)
        screen.set_interval(POSITION_EVERY, self.save_if_changed)

    def _restore(self, position: Position) -> None:
        screen, comments = self.screen, self.comments
        self._saved = position
        count = comments.count
        beyond = position.focus > count or any(n > count for n in position.folded)
        if screen.thread.partial and beyond:
            # The screen shows the file's head, which ends before the place the
            # reader left: restore it once the whole thread is there.
            self._deferred = position
            return
        screen.article_folded = position.article_folded
        target = max(1, min(position.focus, count)) if count else 0
        moved = bool(
            target
            and position.focus_key is not None
            and comment_key(comments.posts.get(target)) != position.focus_key
        )
        everything = bool(position.count) and len(position.folded) >= position.count
        if everything:
            comments.restore_folds(set(range(1, count + 1)))
        elif not moved:
            comments.restore_folds(set(position.folded))
        # When numbers have moved, folds by number would fold the wrong comments:
        # the thread opens as the settings say and the focus is found by its key.
        explicit = screen.initial_comment is not None or bool(screen.initial_search)
        if not target or explicit:
            return
        if moved and position.focus_key is not None:
            self._wanted = (target, position.focus_key)
        # Focused now (the visit may settle a moved focus before the first frame),
        # centred once the list knows its size.
        comments.set_focus_to(target)
        screen.call_after_refresh(comments.scroll_to_focus, True)

    def thread_completed(self) -> None:
        """The whole file is read after its head: restore a position the head did not
        reach."""
        position, self._deferred = self._deferred, None
        if position is not None and not self._closed:
            self._restore(position)

    # -- visits -----------------------------------------------------------------------

    def visit(self, keys: PackedKeys | None = None) -> None:
        """Record a visit and mark what is new; starts a worker, since keying every
        comment decodes them all.  Call once the thread's comments are decoded (after
        the search index is built); `keys`, every comment's key made while building
        the index, spares decoding them all again."""
        if self._closed:
            return
        thread = self.screen.thread
        work = partial(
            self._visit_in_worker,
            thread,
            self.thread_id if not self._identify else None,
            self._wanted,
            self._fold_keys,
            keys if keys is not None and len(keys) == len(thread.tree) else None,
        )
        self.screen.run_worker(
            work,
            thread=True,
            group="visit",
            exclusive=True,
            exit_on_error=False,
        )

    def _visit_in_worker(
        self,
        thread: Thread,
        known: int | None,
        wanted: Placement | None,
        fold_keys: list[Placement] | None,
        packed: PackedKeys | None = None,
    ) -> None:
        """Key every comment (unless `packed` has their keys), record the visit, and
        settle what may have moved.  `known` is the thread's id, None when the file
        was read again and the thread must be identified anew (its fingerprint may
        have changed)."""
        worker = get_current_worker()
        if packed is None:
            keys = bytearray()
            for number, comment in enumerate(thread.tree, 1):
                if number % YIELD_EVERY == 0:
                    if worker.is_cancelled:
                        return
                    # Decoding is pure Python: step aside so key presses are not kept
                    # waiting for the interpreter lock.
                    time.sleep(YIELD_FOR)
                keys += comment_key(comment)
            packed = PackedKeys.from_blob(bytes(keys))
            del keys

        def work(store: StateStore) -> tuple[int, list[int]]:
            found = store.thread_id_for(thread) if known is None else known
            return found, store.visit(found, packed)

        thread_id, new = self.queue.run(work)
        if worker.is_cancelled:
            return
        focus = folds = None
        if wanted is not None or fold_keys is not None:
            place = _placer(packed)
            if wanted is not None:
                focus = place(*wanted)
            if fold_keys is not None:
                folds = {found for n, key in fold_keys if (found := place(n, key)) is not None}
        self.screen.post_message(
            messages.Visited(thread, thread_id, packed, new, wanted, focus, fold_keys, folds)
        )

    def visited(self, report: messages.Visited) -> None:
        """The visit is recorded (the screen hands its worker's report here)."""
        thread, thread_id, keys, new = report.thread, report.thread_id, report.keys, report.new
        wanted, focus, fold_keys, folds = (
            report.wanted,
            report.focus,
            report.fold_keys,
            report.folds,
        )
        if self._closed or thread is not self.screen.thread:
            return
        comments = self.comments
        self.thread_id = thread_id
        self.keys, self.keys_thread = keys, thread
        self._identify = False
        comments.set_new(set(new))
        if wanted is not None and self._wanted == wanted:
            self._wanted = None
            # Only if the reader has not moved since the provisional focus was set.
            if focus is not None and focus != wanted[0] and comments.focused == wanted[0]:
                comments.set_focus_to(focus, center=True)
        if fold_keys is not None and self._fold_keys is fold_keys:
            self._fold_keys = None
            if folds is not None and comments.folded == self._folds_after:
                comments.restore_folds(folds)
        if new and not self._announced:
            count = len(new)
            self.screen.notify(
                f"{count:,} new comment{'s' if count != 1 else ''} since your last visit: "
                "press . to go from one to the next",
                title="New comments",
                timeout=6,
                markup=False,
            )
        self._announced = True

    # -- reloads ----------------------------------------------------------------------

    def before_replace(self) -> None:
        """The file was read again: record what was seen in the old reading and
        remember, by key, which comments had the focus and the folds."""
        self.flush_seen()
        comments = self.comments
        if comments.focused:
            self._wanted = (comments.focused, self.key_of(comments.focused))
        keys = self.keys if self.keys_thread is self.screen.thread else None
        everything = bool(comments.count) and len(comments.folded) >= comments.count
        if keys is not None and comments.folded and not everything:
            self._fold_keys = [(n, keys[n - 1]) for n in comments.folded if n <= len(keys)]
        else:
            self._fold_keys = None
        self._identify = True

    def after_replace(self) -> None:
        self._folds_after = frozenset(self.comments.folded)

    # -- seen and position --------------------------------------------------------------

    def key_of(self, number: int) -> bytes:
        """The key of comment `number` of the thread on screen."""
        keys = self.keys if self.keys_thread is self.screen.thread else None
        if keys is not None and 1 <= number <= len(keys):
            return keys[number - 1]
        return comment_key(self.comments.posts.get(number))

    def _seen_keys(self) -> list[bytes]:
        shown = self.comments.take_shown()
        tree = self.comments.posts
        # Drawn just now, so decoded already: keying them costs microseconds each.
        return [comment_key(tree.get(n)) for n in shown if 1 <= n <= len(tree)]

    def flush_seen(self) -> None:
        """Record the new comments drawn since the last batch as seen."""
        keys = self._seen_keys()
        if keys and self.thread_id:
            thread_id = self.thread_id
            self.queue.submit(lambda store: store.mark_seen(thread_id, keys))

    def position(self) -> Position:
        comments = self.comments
        focus = comments.focused
        return Position(
            focus=focus,
            focus_key=self.key_of(focus) if focus else None,
            scroll=int(comments.scroll_y),
            folded=frozenset(comments.folded),
            article_folded=bool(self.screen.article_folded),
            count=comments.count,
        )

    def save_if_changed(self) -> None:
        """Save the position if it changed since it was last saved (on a timer)."""
        if self._closed or not self.thread_id:
            return
        position = self.position()
        if position == self._saved:
            return
        self._saved = position
        thread_id = self.thread_id
        self.queue.submit(lambda store: store.save_position(thread_id, position))

    def close(self) -> None:
        """The screen is closing: write the last seen comments and the position now,
        on this thread, so they are stored before the app (and the store) closes."""
        if self._closed:
            return
        self._closed = True
        if not self.thread_id:
            return
        thread_id, keys = self.thread_id, self._seen_keys()
        position = self.position()
        changed = position != self._saved
        self._saved = position

        def work(store: StateStore) -> None:
            if keys:
                store.mark_seen(thread_id, keys)
            if changed:
                store.save_position(thread_id, position)

        self.queue.run(work)

    # -- bookmarks --------------------------------------------------------------------

    def bookmark(
        self,
        number: int,
        note: str,
        then: Callable[[bool, str | None], None] | None = None,
    ) -> None:
        """Bookmark comment `number` (0 the article) with a note; `then(saved,
        unsaved)` is told whether the store took it and, if only for this session,
        why (`StateStore.unsaved`)."""
        thread = self.screen.thread
        if number:
            comment = thread.tree.get(number)
            author, excerpt, key = comment.author, comment.text, self.key_of(number)
        else:
            author, excerpt, key = None, thread.article_text, None
        thread_id = self.thread_id
        self.comments.set_bookmarks(self.comments.bookmarks | {number})

        def work(store: StateStore) -> tuple[list[Bookmark], bool, str | None]:
            mark = store.add_bookmark(
                thread_id, number, note, author=author, excerpt=excerpt, key=key
            )
            return store.bookmarks(thread_id), mark > 0, store.unsaved()

        def done(result: tuple[list[Bookmark], bool, str | None]) -> None:
            marks, saved, unsaved = result
            self._bookmarks_loaded(marks)
            if then is not None:
                then(saved, unsaved)

        self.queue.submit(work, done)

    def reload_bookmarks(self) -> None:
        """Read this thread's bookmarks again (after some were deleted elsewhere)."""
        thread_id = self.thread_id
        self.queue.submit(lambda store: store.bookmarks(thread_id), self._bookmarks_loaded)

    def _bookmarks_loaded(self, marks: list[Bookmark]) -> None:
        self.bookmarks = {mark.number: mark for mark in marks}
        self.comments.set_bookmarks({n for n in self.bookmarks if n})

    def find(self, number: int, key: bytes | None) -> int:
        """Where comment `number` with `key` is now: the same number unless the keys
        are known and say it moved."""
        if key is None or self.keys is None or self.keys_thread is not self.screen.thread:
            return number
        found = _placer(self.keys)(number, key)
        return number if found is None else found


def _placer(keys: Sequence[bytes]) -> Callable[[int, bytes], int | None]:
    """A function finding a comment by its old number and key in `keys`: the same
    number when the key is still there, else the first comment with that key."""
    first: dict[bytes, int] = {}
    for number, key in enumerate(keys, 1):
        first.setdefault(key, number)

    def place(number: int, key: bytes) -> int | None:
        if 1 <= number <= len(keys) and keys[number - 1] == key:
            return number
        return first.get(key)

    return place
