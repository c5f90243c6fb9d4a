"""The reader's search: the thread's index, the hits on screen, `n`/`N` between them.

Which hit comes next is the `SearchNavigator`'s decision (no Textual); this controller
runs the searches -- in a worker for big threads, where a regex over 20 MB can take a
second -- and shows what they found: highlights in both panes, the count in the
search bar, the focus on the current hit.  Workers report back with the messages of
`tui.ui.messages`, which the screen hands to `found`, `window_found` and `index_built`.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui.core.model import Comment
from tui.core.search.index import (
    MAX_HITS,
    Hit,
    HitList,
    SearchIndex,
    next_hit,
)
from tui.core.search.navigator import Place, SearchNavigator, Window, window
from tui.core.search.query import SearchError, compile_query
from tui.state.identity import PackedKeys, comment_key
from tui.ui import messages

if TYPE_CHECKING:
    from tui.ui.screens.reader import ReaderScreen

# Threads this big are indexed and searched in a worker instead of on a keypress.
BACKGROUND_INDEX_FROM = 2_000
# The most hits one search keeps; past them `n`/`N` search on from the reader's place.
HIT_LIMIT = MAX_HITS


class ThreadSearch:
    """The search of the thread a reader screen shows."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.navigator = SearchNavigator(HIT_LIMIT)
        self.index = SearchIndex(screen.thread)
        self.index_ready = threading.Event()
        self._pending_query: tuple[str, bool] | None = None
        self._cancel = threading.Event()
        # Whether a search waiting for the index moves to its first hit when it runs
        # (not when it is the search re-run after the file was read again).
        self._pending_move = True

    @property
    def _big(self) -> bool:
        return len(self.screen.thread.tree) >= BACKGROUND_INDEX_FROM

    # -- the index --------------------------------------------------------------------

    def start_index(self, *, delay: float = 0.0) -> None:
        """Index the thread for search: a big one in a worker (after `delay`, so the
        first screen is up before it competes for the interpreter), a small one now."""
        screen = self.screen
        if self._big:
            if delay:
                screen.set_timer(delay, self._build_in_worker)
            else:
                self._build_in_worker()
            return
        self.index.build()
        self.index_ready.set()
        self.count_repairs()
        if screen.session is not None:
            screen.session.visit()

    def _build_in_worker(self) -> None:
        self.screen.run_worker(
            partial(self._build, self.index, with_keys=self.screen.session is not None),
            thread=True,
            group="index",
            exclusive=True,
            exit_on_error=False,
        )

    def _build(self, index: SearchIndex, *, with_keys: bool) -> None:
        worker = get_current_worker()
        cancel = threading.Event()
        screen = self.screen

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                cancel.set()
            elif screen.search_bar.is_open:
                screen.post_message(messages.IndexProgress(done * 100 // max(1, total)))

        # The reading state keys every comment: done in this pass, it spares the
        # visit decoding all 100,000 again (seconds of work behind the screen).
        keys = bytearray()

        def each(comment: Comment) -> None:
            keys.extend(comment_key(comment))

        built = index.build(progress=progress, cancel=cancel, each=each if with_keys else None)
        if not built or worker.is_cancelled or index is not self.index:
            # Cancelled, or the file was read again meanwhile (with its own build).
            return
        self.index_ready.set()
        screen.post_message(messages.IndexBuilt(PackedKeys.from_blob(bytes(keys))))

    def index_progress(self, percent: int) -> None:
        bar = self.screen.search_bar
        if bar.is_open:
            bar.set_status(f"indexing {percent}%")

    def index_built(self, keys: PackedKeys | None) -> None:
        # Everything decoded so far lives as long as the thread: keep the collector
        # from walking it again on every full collection (pauses of 250 ms otherwise).
        gc.freeze()
        self.count_repairs()
        session = self.screen.session
        if session is not None:
            # Keying every comment for the visit needs them decoded, as they now are.
            session.visit(keys)
        if self._pending_query is not None:
            text, regex = self._pending_query
            self._pending_query = None
            move, self._pending_move = self._pending_move, True
            self.run(text, regex, move=move)

    def count_repairs(self) -> None:
        """Count the repairs of every comment (decoded already by the index build)."""
        if self.screen.thread.repair:
            self.screen.run_worker(
                self._count_repairs,
                thread=True,
                group="repairs",
                exclusive=True,
                exit_on_error=False,
            )

    def _count_repairs(self) -> None:
        worker = get_current_worker()
        thread = self.screen.thread
        tree = thread.tree
        count = len(thread.article_repairs)
        for number in range(1, len(tree) + 1):
            if number % 2048 == 0 and worker.is_cancelled:
                return
            count += tree.repair_count(number)
        if not worker.is_cancelled:
            self.screen.post_message(messages.RepairsCounted(count))

    def new_thread(self, *, rebuild: bool) -> None:
        """The screen shows another reading of the file.  A thread that only grew
        (`rebuild` False) gets a fresh index once it is complete; a thread read again
        is indexed now and its search run again over it, staying where it was."""
        screen = self.screen
        if not rebuild:
            self.index = SearchIndex(screen.thread)
            return
        self._cancel.set()
        screen.workers.cancel_group(screen, "index")
        screen.workers.cancel_group(screen, "repairs")
        self.index = SearchIndex(screen.thread)
        self.index_ready.clear()
        self.start_index()
        bar = screen.search_bar
        self._pending_move = False
        self.run(bar.query_text, bar.regex, move=False)
        if self._pending_query is None:
            self._pending_move = True

    # -- searching ----------------------------------------------------------------------

    def _reader_place(self) -> Place:
        """Where the reader is: (post number, offset)."""
        screen = self.screen
        if screen.pane == "article" or not len(screen.thread.tree):
            return (0, -1)
        return (screen.comments.focused, -1)

    def _fresh_cancel(self) -> threading.Event:
        self._cancel.set()
        self._cancel = threading.Event()
        return self._cancel

    def run(self, text: str, regex: bool, *, move: bool) -> None:
        """Search the whole thread and show every hit; move to the first one ahead."""
        bar = self.screen.search_bar
        try:
            pattern = compile_query(text, regex=regex)
        except SearchError as error:
            self._cancel.set()
            self._show_hits([], None)
            bar.set_status(str(error), error=True)
            return
        if pattern is None:
            self._cancel.set()
            self._show_hits([], None)
            bar.set_status("")
            return
        if not self.index_ready.is_set():
            self._pending_query = (text, regex)
            bar.set_status("indexing…")
            return
        origin = self.navigator.origin(self._reader_place())
        cancel = self._fresh_cancel()
        if self._big:
            bar.set_status("searching…")
            self.screen.run_worker(
                partial(self._search, self.index, pattern, origin, move, cancel),
                thread=True,
                group="search",
                exclusive=True,
                exit_on_error=False,
            )
        else:
            hits = self.index.search(pattern, limit=self.navigator.limit)
            self._take_hits(hits, pattern, origin, move)

    def _search(
        self,
        index: SearchIndex,
        pattern: re.Pattern[str],
        origin: Place,
        move: bool,
        cancel: threading.Event,
    ) -> None:
        """In a worker.  Each keystroke cancels the search before it, so typing stays
        responsive."""
        hits = index.search(pattern, limit=self.navigator.limit, cancel=cancel)
        if not cancel.is_set():
            self.screen.post_message(messages.SearchFound(hits, pattern, origin, move, cancel))

    def found(self, result: messages.SearchFound) -> None:
        if not result.cancel.is_set():
            self._take_hits(result.hits, result.pattern, result.origin, result.move)

    def _take_hits(
        self, hits: Sequence[Hit], pattern: re.Pattern[str], origin: Place, move: bool
    ) -> None:
        navigator = self.navigator
        navigator.take_results(hits, pattern)
        if not hits:
            self._show_hits([], None)
            self.screen.search_bar.set_status("no matches", error=True)
            return
        if move and navigator.answer(origin, forward=True, including=True) is None:
            # The reader is past the first MAX_HITS matches: search on from there.
            self._fetch_window(origin, forward=True)
            return
        self._go_to(next_hit(hits, origin)[0], move=move)

    def step(self, forward: bool) -> None:
        """`n` (or `N`): the next (previous) hit from the reader's place."""
        navigator = self.navigator
        if not navigator.hits:
            if self.screen.search_bar.query_text:
                self.screen.notify("No matches", severity="warning")
            return
        position = navigator.position(self._reader_place())
        answer = navigator.answer(position, forward=forward)
        if answer is None:
            self._fetch_window(position, forward=forward)
            return
        hit, wrapped = answer
        if wrapped:
            self._tell_wrapped(forward)
        self._go_to(hit, move=True)

    def _tell_wrapped(self, forward: bool) -> None:
        where = "top" if forward else "bottom"
        self.screen.notify(f"Search wrapped to the {where}", timeout=2)

    def _fetch_window(self, position: Place, *, forward: bool) -> None:
        """Search again from the reader's post onwards (or up to it, keeping the last
        MAX_HITS), then step from `position` in those hits."""
        pattern = self.navigator.pattern
        if pattern is None:
            return
        cancel = self._fresh_cancel()
        if self._big:
            self.screen.search_bar.set_status("searching…")
            self.screen.run_worker(
                partial(self._window, self.index, pattern, position, forward, cancel),
                thread=True,
                group="search",
                exclusive=True,
                exit_on_error=False,
            )
        else:
            found = window(self.index, pattern, position, forward, limit=self.navigator.limit)
            if found is not None:
                self._take_window(found, forward)

    def _window(
        self,
        index: SearchIndex,
        pattern: re.Pattern[str],
        position: Place,
        forward: bool,
        cancel: threading.Event,
    ) -> None:
        found = window(index, pattern, position, forward, cancel, self.navigator.limit)
        if found is not None and not cancel.is_set():
            self.screen.post_message(messages.WindowFound(found, forward, cancel))

    def window_found(self, result: messages.WindowFound) -> None:
        if not result.cancel.is_set():
            self._take_window(result.found, result.forward)

    def _take_window(self, found: Window, forward: bool) -> None:
        self.navigator.take_window(found)
        if found.wrapped:
            self._tell_wrapped(forward)
        self._go_to(found.hit, move=True)

    # -- showing ------------------------------------------------------------------------

    def _show_hits(self, hits: Sequence[Hit], current: Hit | None) -> None:
        """Hand the hits to both panes; spans are worked out per post as it is drawn,
        so stepping through 10,000 hits never walks them all."""
        screen = self.screen
        self.navigator.hits = hits
        self.navigator.current = current
        article_hits: list[tuple[int, int]] = []
        by_post: Mapping[int, list[tuple[int, int]]] = {}
        if isinstance(hits, HitList):
            by_post = hits.spans_by_post()
            article_hits = hits.spans_in(0)
        current_key = None if current is None else (current.number, current.start, current.end)
        screen.comments.set_highlights(by_post, current_key if current and current.number else None)
        screen.article.set_highlights(
            article_hits,
            (current.start, current.end) if current is not None and current.number == 0 else None,
        )

    def _go_to(self, hit: Hit, *, move: bool) -> None:
        screen = self.screen
        self._show_hits(self.navigator.hits, hit)
        screen.search_bar.set_status(self.navigator.go_to(hit))
        if not move:
            return
        if hit.number == 0:
            if screen.article_folded:
                screen.article_folded = False
            screen.article.scroll_to_offset(hit.start)
            return
        comments = screen.comments
        comments.open_whole(hit.number)
        line = comments.line_of_offset(hit.number, hit.start)
        comments.set_focus_to(hit.number, line=line)
