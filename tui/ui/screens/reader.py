"""The reader screen: article pane, comment list, search bar.

The screen owns the thread's view state that spans widgets -- the search and its
current hit, which pane has focus, the split -- and passes it down to the views as
attributes; the views report back with messages.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from tui.core import quoting
from tui.core.errors import ThreadError
from tui.core.model import Comment, Thread
from tui.core.outline import display_text
from tui.core.search.index import (
    MAX_HITS,
    Hit,
    HitList,
    SearchError,
    SearchIndex,
    compile_query,
    next_hit,
    prev_hit,
)
from tui.state.store import PackedKeys, QuoteItem, StateStore, comment_key, quote_item
from tui.ui.controllers.reading_session import ReadingSession
from tui.ui.dialogs.goto import GotoScreen
from tui.ui.dialogs.prompt import PromptScreen
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.comment_list import CommentList
from tui.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from tui.ui.app import ThreadReaderApp
    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.library_pane import LibraryPane

WIDE = 140
# From this width a reader opened from the library shows the library's list beside it,
# a quarter of the width within these bounds.
LIBRARY_PANE_FROM = 150
LIBRARY_PANE_MIN = 32
LIBRARY_PANE_MAX = 56
# Seconds after mounting before a big thread's search index is built.
INDEX_DELAY = 0.3
# Threads this big are indexed for search in a worker instead of on the first keypress.
BACKGROUND_INDEX_FROM = 2_000
# Seconds between checks whether the thread's file changed on disk.
WATCH_EVERY = 1.0


class ReaderScreen(Screen[None]):
    """One thread, read."""

    BINDINGS = [  # noqa: RUF012
        Binding("tab", "switch_pane", "Switch pane", id="switch-pane"),
        Binding("escape,backspace", "back", "Library", id="back"),
        Binding("a", "toggle_article", "Article", id="toggle-article"),
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "next_match", "Next match", show=False, id="next-match"),
        Binding("N", "previous_match", "Prev match", show=False, id="previous-match"),
        Binding("colon", "goto", "Go to #", show=False, id="goto"),
        Binding("y", "copy_quote", "Copy quote", id="copy-quote"),
        Binding("Y", "copy_plain", "Copy text", show=False, id="copy-plain"),
        Binding("plus,equals_sign", "grow_article", "Grow article", show=False, id="grow"),
        Binding("minus", "shrink_article", "Shrink article", show=False, id="shrink"),
        Binding("m", "bookmark", "Bookmark (with a note)", show=False, id="bookmark"),
        Binding(
            "A", "add_to_basket", "Add to quote basket (shift+a)", show=False, id="add-to-basket"
        ),
        Binding("full_stop", "next_new", "Next new comment", show=False, id="next-new"),
    ]

    split: reactive[int] = reactive(40)
    article_folded: reactive[bool] = reactive(False)
    # The first row the list beside the reader shows, carried over from the reader this
    # one replaced so that the list does not jump.
    pane_top: int | None = None

    def __init__(
        self,
        thread: Thread,
        *,
        search: str | None = None,
        regex: bool = False,
        comment: int | None = None,
        max_width: int = 100,
        article_folded: bool = False,
        comments_folded: bool = False,
    ):
        super().__init__()
        self.initial_regex = regex
        self.initial_comment = comment
        self.set_reactive(ReaderScreen.article_folded, article_folded)
        self.comments_folded = comments_folded
        self.thread = thread
        self.initial_search = search
        self.max_width = max_width
        self.index = SearchIndex(thread)
        self.hits: Sequence[Hit] = []
        # The search `hits` came from, and the stretch of the thread, (post, offset)
        # to (post, offset), in which they are every match: all of it unless the
        # search stopped at MAX_HITS or covered only part of the thread.
        self._pattern: re.Pattern[str] | None = None
        self._covered: tuple[tuple[int, int], tuple[int, int]] = (_START, _END)
        self.current: Hit | None = None
        # The hit `n`/`N` continue from; None once the user has moved elsewhere.
        self._anchor: Hit | None = None
        self._pattern_error: str | None = None
        self._index_ready = threading.Event()
        self._pending_query: tuple[str, bool] | None = None
        self._search_cancel = threading.Event()
        # The pane the user last read in; the search bar takes focus but the search
        # and copying still start from this pane.
        self._pane = "comments"
        # Whether a search waiting for the index moves to its first hit when it runs
        # (not when it is the search re-run after the file was read again).
        self._pending_move = True
        self.session: ReadingSession | None = None
        # The file as last read, (size, mtime_ns), and the last problem told about it.
        self._file_stamp: tuple[int, int] | None = None
        self._file_problem: str | None = None
        self._reading_file = False
        # A comment to open at once the whole file is read (the head lacked it).
        self._pending_open: int | None = None

    # -- composition ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reader-body"):
            if getattr(self.app, "library", None) is not None:
                from tui.ui.screens.library_pane import LibraryPane

                yield LibraryPane(id="library-pane")
            with Container(id="panes"):
                yield ArticleView(self.thread, max_width=self.max_width, id="article")
                yield CommentList(self.thread, max_width=self.max_width, id="comments")
        yield SearchBar(id="search-bar")
        yield Footer()

    @property
    def article(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def comments(self) -> CommentList:
        return self.query_one("#comments", CommentList)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search-bar", SearchBar)

    def on_mount(self) -> None:
        # The header draws these as text, but control characters would still reach the
        # terminal: show them as symbols, as the panes do.
        self.title = display_text(self.thread.title or "(untitled thread)")
        self.sub_title = display_text(self.thread.source.name) if self.thread.source else ""
        self.comments.focus()
        self.article.set_class(self.article_folded, "-folded")
        self._apply_split()
        if self.comments_folded and len(self.thread.tree):
            self.comments.action_fold_all()
        queue = getattr(self.app, "state_queue", None)
        if queue is not None:
            self.session = ReadingSession(self, queue)
            self.session.open()
        self._start_watching()
        if self.initial_comment is not None:
            self.call_after_refresh(self._open_at, self.initial_comment)
        self._show_notices(self.thread)
        if self.thread.partial:
            # The first screen shows the file's head; the rest is read behind it, and
            # the index waits for the whole thread.
            self._reading_file = True
            self.call_after_refresh(self._read_rest)
        else:
            self._start_index(delay=INDEX_DELAY)
        if self.initial_search:
            self.call_after_refresh(self._start_search, self.initial_search)

    def _start_index(self, *, delay: float = 0.0) -> None:
        """Index the thread for search: a big one in a worker (after `delay`, so the
        first screen is up before it competes for the interpreter), a small one now."""
        if len(self.thread.tree) >= BACKGROUND_INDEX_FROM:
            if delay:
                self.set_timer(delay, self.build_index)
            else:
                self.build_index()
        else:
            self.index.build()
            self._index_ready.set()
            self.count_repairs()
            if self.session is not None:
                self.session.visit()

    def _open_at(self, number: int) -> None:
        if self.thread.partial and number > len(self.thread.tree):
            self._pending_open = number
            return
        if number == 0:
            # Set now, not when the focus event arrives: a search started with the
            # screen goes on from the pane the screen opened at.
            self._pane = "article"
            self.article.focus()
        else:
            self.comments.set_focus_to(number, center=True)

    def _start_search(self, text: str) -> None:
        bar = self.search_bar
        bar.set_reactive(SearchBar.regex, self.initial_regex)
        bar.watch_regex(self.initial_regex)
        bar.open(text)
        self.run_search(text, bar.regex, move=True)
        if self.initial_comment is not None:
            # Opened at a match from the library search: leave the query showing but
            # the keys to the pane, so n/N go on from the match at once.
            (self.article if self._pane == "article" else self.comments).focus()

    def on_resize(self) -> None:
        self._apply_split()

    # -- layout -----------------------------------------------------------------------

    def _apply_split(self) -> None:
        self._place_library_pane()
        panes = self.query_one("#panes")
        wide = self.size.width >= WIDE
        panes.set_class(wide, "-wide")
        article = self.article
        if self.article_folded:
            article.styles.width = "100%"
            article.styles.height = 1
            panes.set_class(False, "-wide")
        elif wide:
            article.styles.width = f"{self.split}%"
            article.styles.height = "100%"
        else:
            article.styles.width = "100%"
            article.styles.height = f"{self.split}%"

    def watch_split(self) -> None:
        self._apply_split()

    def watch_article_folded(self, folded: bool) -> None:
        self.article.set_class(folded, "-folded")
        if folded and self.article.has_focus:
            self.comments.focus()
        self._apply_split()

    def action_toggle_article(self) -> None:
        self.article_folded = not self.article_folded

    def action_grow_article(self) -> None:
        self.article_folded = False
        self.split = min(80, self.split + 5)

    def action_shrink_article(self) -> None:
        self.split = max(10, self.split - 5)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return getattr(self.app, "in_library", False)
        return True

    def action_back(self) -> None:
        """Back to the thread list, which keeps its selection: the list beside the
        reader when it shows, else the library screen."""
        pane = self.shown_library_pane
        if pane is not None:
            pane.focus()
            return
        self._back_to_library()

    def _back_to_library(self) -> None:
        if getattr(self.app, "in_library", False):
            if self.session is not None:
                # Stored before the library asks how many comments are still new.
                self.session.close()
            self.app.pop_screen()

    # -- the library beside the reader ------------------------------------------------

    @property
    def library_pane(self) -> LibraryPane | None:
        """The library's list beside the reader, shown or not; None outside a library."""
        from tui.ui.screens.library_pane import LibraryPane

        for pane in self.query("#library-pane").results(LibraryPane):
            return pane
        return None

    @property
    def shown_library_pane(self) -> LibraryPane | None:
        """The list beside the reader while it is on screen: `esc` goes there then."""
        pane = self.library_pane
        return pane if pane is not None and pane.display else None

    def _library_below(self) -> LibraryScreen | None:
        """The library screen this reader was opened from, if it was."""
        from tui.ui.screens.library import LibraryScreen

        stack = self.app.screen_stack
        if self not in stack:
            return None
        position = stack.index(self)
        below = stack[position - 1] if position else None
        return below if isinstance(below, LibraryScreen) else None

    def _place_library_pane(self) -> None:
        """Show the library's list beside the reader on a terminal wide enough for
        both, and hide it (handing its focus to the comments) on a narrower one."""
        pane = self.library_pane
        if pane is None:
            return
        width = self.size.width
        library = self._library_below() if width >= LIBRARY_PANE_FROM else None
        if library is None:
            if pane.display:
                had_focus = pane.has_focus
                pane.display = False
                if had_focus:
                    self.comments.focus()
            return
        pane.styles.width = max(LIBRARY_PANE_MIN, min(LIBRARY_PANE_MAX, width // 4))
        pane.attach(library, self.thread.source, self.pane_top)
        pane.display = True

    def on_library_pane_open(self, event: LibraryPane.Open) -> None:
        """Open the thread chosen in the list in place of this one; the list stays,
        and this thread's reading state is stored before the library counts what is
        new."""
        event.stop()
        entry = event.entry
        library = self._library_below()
        if self.thread.source is not None and entry.path == self.thread.source:
            (self.article if self._pane == "article" else self.comments).focus()
            return
        top = int(event.pane.scroll_y)
        app: ThreadReaderApp = self.app  # type: ignore[assignment]
        if not app.open_thread(entry.path, replace=True):
            return
        if self.session is not None:
            self.session.close()
        new = app.screen
        if isinstance(new, ReaderScreen) and new is not self:
            new.pane_top = top
        if library is not None:
            library.select_entry(entry)
            library.load_new_counts()

    def on_library_pane_leave(self, event: LibraryPane.Leave) -> None:
        """Back into the reader, or to the library screen with the list's selection."""
        event.stop()
        if not event.to_library:
            (self.article if self._pane == "article" else self.comments).focus()
            return
        library = self._library_below()
        if library is not None:
            library.select_entry(event.pane.selected)
        self._back_to_library()

    def action_switch_pane(self) -> None:
        if self.comments.has_focus and not self.article_folded:
            self.article.focus()
        else:
            self.comments.focus()

    # -- workers ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="repairs", exit_on_error=False)
    def count_repairs(self) -> None:
        """Count the repairs of every comment (decoded already by the index build)."""
        if not self.thread.repair:
            return
        worker = get_current_worker()
        tree = self.thread.tree
        count = len(self.thread.article_repairs)
        for number in range(1, len(tree) + 1):
            if number % 2048 == 0 and worker.is_cancelled:
                return
            count += tree.repair_count(number)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.article.set_repairs, count)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def build_index(self) -> None:
        worker = get_current_worker()
        cancel = threading.Event()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                cancel.set()
            elif self.search_bar.is_open:
                self.app.call_from_thread(
                    self.search_bar.set_status, f"indexing {done * 100 // max(1, total)}%"
                )

        index = self.index
        # The reading state keys every comment: done in this pass, it spares the
        # visit decoding all 100,000 again (seconds of work behind the screen).
        keys = bytearray()

        def each(comment: Comment) -> None:
            keys.extend(comment_key(comment))

        built = index.build(
            progress=progress, cancel=cancel, each=each if self.session is not None else None
        )
        if not built or worker.is_cancelled:
            return
        if index is not self.index:
            # The file was read again meanwhile; the new reading has its own build.
            return
        self._index_ready.set()
        self.app.call_from_thread(self._index_built, PackedKeys.from_blob(bytes(keys)))

    def _index_built(self, keys: PackedKeys | None = None) -> None:
        # Everything decoded so far lives as long as the thread: keep the collector
        # from walking it again on every full collection (pauses of 250 ms otherwise).
        gc.freeze()
        self.count_repairs()
        if self.session is not None:
            # Keying every comment for the visit needs them decoded, as they now are.
            self.session.visit(keys)
        if self._pending_query is not None:
            text, regex = self._pending_query
            self._pending_query = None
            move, self._pending_move = self._pending_move, True
            self.run_search(text, regex, move=move)

    # -- search -----------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.run_search(event.query, event.regex, move=True)

    @on(SearchBar.Step)
    def _search_step(self, event: SearchBar.Step) -> None:
        self.step(event.forward)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        (self.article if self._pane == "article" else self.comments).focus()

    def _position(self) -> tuple[int, int]:
        """Where the user is, for finding the next match: (post number, offset)."""
        if self._anchor is not None:
            return (self._anchor.number, self._anchor.start)
        if self._pane == "article" or not len(self.thread.tree):
            return (0, -1)
        return (self.comments.focused, -1)

    def run_search(self, text: str, regex: bool, *, move: bool) -> None:
        """Search the whole thread and show every hit; move to the first one ahead."""
        bar = self.search_bar
        try:
            pattern = compile_query(text, regex=regex)
        except SearchError as error:
            self._search_cancel.set()
            self._show_hits([], None)
            bar.set_status(str(error), error=True)
            return
        if pattern is None:
            self._search_cancel.set()
            self._show_hits([], None)
            bar.set_status("")
            return
        if not self._index_ready.is_set():
            self._pending_query = (text, regex)
            bar.set_status("indexing…")
            return
        origin = self._position() if self._anchor is None else (self._anchor.number, -1)
        self._search_cancel.set()
        self._search_cancel = threading.Event()
        if len(self.thread.tree) >= BACKGROUND_INDEX_FROM:
            bar.set_status("searching…")
            self._search_in_worker(pattern, origin, move, self._search_cancel)
        else:
            hits = self.index.search(pattern, limit=MAX_HITS)
            self._apply_search(hits, origin, move, None, pattern)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_in_worker(
        self,
        pattern: re.Pattern[str],
        origin: tuple[int, int],
        move: bool,
        cancel: threading.Event,
    ) -> None:
        """A regex over 20 MB can take a second: never on the UI thread for big threads.

        Each keystroke cancels the search before it, so typing stays responsive.
        """
        hits = self.index.search(pattern, limit=MAX_HITS, cancel=cancel)
        if not cancel.is_set():
            self.app.call_from_thread(self._apply_search, hits, origin, move, cancel, pattern)

    def _apply_search(
        self,
        hits: Sequence[Hit],
        origin: tuple[int, int],
        move: bool,
        cancel: threading.Event | None = None,
        pattern: re.Pattern[str] | None = None,
    ) -> None:
        if cancel is not None and cancel.is_set():
            return
        self.hits = hits
        self._pattern = pattern
        self._covered = _coverage(hits)
        if not hits:
            self._show_hits([], None)
            self._anchor = None
            self.search_bar.set_status("no matches", error=True)
            return
        if move and self._answer(origin, forward=True, including=True) is None:
            # The reader is past the first MAX_HITS matches: search on from there.
            self._fetch_window(origin, forward=True)
            return
        found = next_hit(hits, origin)
        if found is not None:
            self._go_to(found[0], move=move)

    def step(self, forward: bool) -> None:
        if not self.hits:
            if self.search_bar.query_text:
                self.notify("No matches", severity="warning")
            return
        position = self._position()
        answer = self._answer(position, forward=forward)
        if answer is None:
            self._fetch_window(position, forward=forward)
            return
        hit, wrapped = answer
        if wrapped:
            self._tell_wrapped(forward)
        self._go_to(hit, move=True)

    def _tell_wrapped(self, forward: bool) -> None:
        where = "top" if forward else "bottom"
        self.notify(f"Search wrapped to the {where}", timeout=2)

    def _answer(
        self, position: tuple[int, int], *, forward: bool, including: bool = False
    ) -> tuple[Hit, bool] | None:
        """The next (or previous) hit from `position` and whether that wrapped, or
        None when the hits on hand cannot tell: the search stopped at MAX_HITS or
        covers only part of the thread, and the answer may lie outside it."""
        low, high = self._covered
        if forward:
            hit, wrapped = next_hit(self.hits, position)
        else:
            hit, wrapped = prev_hit(self.hits, position)
        if wrapped:
            return (hit, True) if (low, high) == (_START, _END) else None
        if forward:
            start = (position[0], -1) if including else position
            return (hit, False) if start >= low else None
        return (hit, False) if position <= high else None

    def _fetch_window(self, position: tuple[int, int], *, forward: bool) -> None:
        """Search again from the reader's post onwards (or up to it, keeping the last
        MAX_HITS), then step from `position` in those hits."""
        pattern = self._pattern
        if pattern is None:
            return
        self._search_cancel.set()
        self._search_cancel = threading.Event()
        if len(self.thread.tree) >= BACKGROUND_INDEX_FROM:
            self.search_bar.set_status("searching…")
            self._window_in_worker(pattern, position, forward, self._search_cancel)
        else:
            found = _window(self.index, pattern, position, forward, None)
            if found is not None:
                self._apply_window(forward, *found)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _window_in_worker(
        self,
        pattern: re.Pattern[str],
        position: tuple[int, int],
        forward: bool,
        cancel: threading.Event,
    ) -> None:
        found = _window(self.index, pattern, position, forward, cancel)
        if found is not None and not cancel.is_set():
            self.app.call_from_thread(self._apply_window, forward, *found, cancel)

    def _apply_window(
        self,
        forward: bool,
        hits: HitList,
        covered: tuple[tuple[int, int], tuple[int, int]],
        hit: Hit,
        wrapped: bool,
        cancel: threading.Event | None = None,
    ) -> None:
        if cancel is not None and cancel.is_set():
            return
        self.hits = hits
        self._covered = covered
        if wrapped:
            self._tell_wrapped(forward)
        self._go_to(hit, move=True)

    def action_next_match(self) -> None:
        self.step(True)

    def action_previous_match(self) -> None:
        self.step(False)

    def _show_hits(self, hits: Sequence[Hit], current: Hit | None) -> None:
        """Hand the hits to both panes; spans are worked out per post as it is drawn,
        so stepping through 10,000 hits never walks them all."""
        self.hits = hits
        self.current = current
        if isinstance(hits, HitList):
            by_post: Mapping[int, list[tuple[int, int]]] = hits.spans_by_post()
            article_hits = hits.spans_in(0)
        else:
            by_post = {}
        current_key = None if current is None else (current.number, current.start, current.end)
        self.comments.set_highlights(by_post, current_key if current and current.number else None)
        self.article.set_highlights(
            article_hits if isinstance(hits, HitList) else [],
            (current.start, current.end) if current is not None and current.number == 0 else None,
        )

    def _go_to(self, hit: Hit, *, move: bool) -> None:
        self._show_hits(self.hits, hit)
        self._anchor = hit
        low, high = self._covered
        if low != _START:
            # Hits from past the first MAX_HITS: their place in the count is unknown.
            self.search_bar.set_status(f"in #{hit.number} of {MAX_HITS}+")
        elif high != _END or len(self.hits) >= MAX_HITS:
            self.search_bar.set_status(f"{hit.index + 1}/{MAX_HITS}+")
        else:
            self.search_bar.set_status(f"{hit.index + 1}/{len(self.hits)}")
        if not move:
            return
        if hit.number == 0:
            if self.article_folded:
                self.article_folded = False
            self.article.scroll_to_offset(hit.start)
        else:
            comments = self.comments
            if hit.number in comments.folded:
                comments._unfold(hit.number)
            comments._reveal(hit.number)
            line = comments.line_of_offset(hit.number, hit.start)
            comments.set_focus_to(hit.number, line=line)

    # -- other actions ----------------------------------------------------------------

    def action_goto(self) -> None:
        count = len(self.thread.tree)
        if not count:
            self.notify("This thread has no comments", severity="warning")
            return

        def go(number: int | None) -> None:
            if number is None:
                return
            count = len(self.thread.tree)
            if self.thread.partial and number > count:
                self._pending_open = number
                self.notify(f"Reading the rest of the file to reach #{number}…", timeout=2)
                return
            if not 1 <= number <= count:
                self.notify(f"No comment #{number} (1–{count})", severity="warning")
                return
            self.comments.focus()
            self.comments.set_focus_to(number, center=True)

        self.app.push_screen(GotoScreen(count), go)

    def _copy(self, text: str, what: str) -> None:
        result = quoting.copy(
            text,
            route=getattr(self.app, "clipboard_route", "auto"),
            osc52=self.app.copy_to_clipboard,
            what=what,
        )
        self.notify(result.message, severity="information" if result.ok else "error")

    def action_copy_quote(self) -> None:
        self._copy_post(quote=True)

    def action_copy_plain(self) -> None:
        self._copy_post(quote=False)

    def _copy_post(self, *, quote: bool) -> None:
        if self._pane == "article" or not len(self.thread.tree):
            paragraph = self.article.paragraph_in_view()
            if paragraph is None:
                self.notify("The article has no text to copy", severity="warning")
                return
            text = (quoting.quote if quote else quoting.plain)(self.thread, 0, paragraph)
            what = f"{'quote of ' if quote else ''}article paragraph {paragraph + 1}"
        else:
            number = self.comments.focused
            text = (quoting.quote if quote else quoting.plain)(self.thread, number)
            what = f"{'quote of ' if quote else 'text of '}#{number}"
        self._copy(text, what)

    def action_copy_text(self) -> None:
        """ctrl+c: copy the mouse selection, cleaned, by the same routes as `y`."""
        selection = self.get_selected_text()
        if not selection:
            self.notify("Select text with the mouse first, or press y to copy a post")
            return
        self._copy(selection, "selection")
        self.clear_selection()

    def copy_article(self) -> None:
        """Copy the whole article as a quote (from the command palette)."""
        self._copy(quoting.quote(self.thread, 0, None), "quote of the whole article")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, ArticleView):
            self._pane = "article"
        elif isinstance(event.widget, CommentList):
            self._pane = "comments"

    @on(CommentList.Focused)
    def _comment_focused(self, event: CommentList.Focused) -> None:
        # Moving away from the current match makes `n` search on from the new place;
        # the highlights stay.
        if self.current is not None and self.current.number != event.number:
            self._anchor = None

    # -- reading state ----------------------------------------------------------------

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
        # The thread was frozen out of the collector's walks once indexed; this screen
        # and its widgets hold reference cycles, so without this the collector could
        # never free them (a big thread's tens of MB, every time one is left).
        gc.unfreeze()

    def action_bookmark(self) -> None:
        """m: bookmark the focused comment (the article, from its pane), with an
        optional note asked for at the bottom of the screen."""
        session = self.session
        if session is None:
            return
        number = 0
        if self._pane != "article" and len(self.thread.tree):
            number = self.comments.focused
        existing = session.bookmarks.get(number)
        what = "the article" if number == 0 else f"#{number}"

        def done(note: str | None) -> None:
            if note is None:
                return
            session.bookmark(number, note.strip())
            self.app.notify(f"Bookmarked {what}: ' lists every bookmark", timeout=3, markup=False)

        prompt = PromptScreen(
            f"Bookmark {what}, note:",
            value=existing.note if existing is not None else "",
            placeholder="optional; enter saves, esc cancels",
        )
        self.app.push_screen(prompt, done)

    def action_add_to_basket(self) -> None:
        """A: put the mouse selection, or else the focused post (the paragraph in view
        on the article pane), in the quote basket."""
        queue = getattr(self.app, "state_queue", None)
        if queue is None:
            return
        found = self._basket_item()
        if found is None:
            return
        item, what = found
        app = self.app

        def work(store: StateStore) -> int:
            store.add_quote(item)
            return len(store.quotes())

        def added(count: int) -> None:
            quotes = f"{count:,} quote{'s' if count != 1 else ''}"
            app.notify(
                f"Added {what} to the quote basket ({quotes}); ctrl+b opens it",
                timeout=4,
                markup=False,
            )

        queue.submit(work, added)

    def _basket_item(self) -> tuple[QuoteItem, str] | None:
        selection = self.get_selected_text()
        if selection:
            number = 0
            for widget, selected in self.selections.items():
                if isinstance(widget, CommentList):
                    row = selected.start.y if selected.start is not None else 0
                    number = widget.number_at_row(row) or 0
                    break
            self.clear_selection()
            return quote_item(self.thread, number, text=selection), "the selection"
        if self._pane == "article" or not len(self.thread.tree):
            paragraph = self.article.paragraph_in_view()
            if paragraph is None:
                self.notify("The article has no text to add", severity="warning")
                return None
            item = quote_item(self.thread, 0, paragraph)
            return item, f"article paragraph {paragraph + 1}"
        number = self.comments.focused
        return quote_item(self.thread, number), f"#{number}"

    def action_next_new(self) -> None:
        """.: go to the next comment marked new, wrapping to the first."""
        comments = self.comments
        found = comments.next_new(comments.focused if self._pane == "comments" else 0)
        if found is None:
            self.notify("No new comments", timeout=3)
            return
        number, wrapped = found
        if wrapped:
            self.notify("Back to the first new comment", timeout=2)
        comments.focus()
        comments.set_focus_to(number, center=True)

    def go_to_comment(self, number: int, key: bytes | None = None) -> None:
        """Put the focus on comment `number` (0: the article), found by `key` if the
        numbers have moved since it was noted (a bookmark)."""
        if number == 0 or not len(self.thread.tree):
            self.article_folded = False
            self._open_at(0)
            return
        if self.session is not None:
            number = self.session.find(number, key)
        self.comments.focus()
        self.comments.set_focus_to(number, center=True)

    # -- live reload ------------------------------------------------------------------

    def _start_watching(self) -> None:
        source = self.thread.source
        if source is None:
            return
        self._file_stamp = _stamp(source)
        self.set_interval(WATCH_EVERY, self.check_file)

    def check_file(self) -> None:
        """Read the thread again when its file changed on disk (a scraper appending
        comments).  A stat per second on the UI thread; the reading is a worker's."""
        source = self.thread.source
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
        self._read_again(source, stamp)

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def _read_again(self, source: Path, stamp: tuple[int, int]) -> None:
        from tui.core.formats.detect import read_thread

        try:
            thread = read_thread(source, repair=self.thread.repair)
        except ThreadError as error:
            self.app.call_from_thread(self._not_read_again, source, stamp, error.reason)
            return
        except (RecursionError, MemoryError):
            reason = "too large or too deeply nested to read"
            self.app.call_from_thread(self._not_read_again, source, stamp, reason)
            return
        self.app.call_from_thread(self._read_again_done, thread, stamp)

    def _not_read_again(self, source: Path, stamp: tuple[int, int], reason: str) -> None:
        self._reading_file = False
        # Not read again until it changes again: one notice per change, not per second.
        self._file_stamp = stamp
        self._tell_file_problem(source, reason)

    def _read_again_done(self, thread: Thread, stamp: tuple[int, int]) -> None:
        self._reading_file = False
        self._file_stamp = stamp
        self._file_problem = None
        if self.is_attached:
            self.replace_thread(thread)

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def _read_rest(self) -> None:
        """Read the whole file behind a first screen that showed only its head."""
        from tui.core.formats.detect import read_thread

        source = self.thread.source
        assert source is not None
        try:
            thread = read_thread(source, repair=self.thread.repair)
        except ThreadError as error:
            reason = error.reason
        except (RecursionError, MemoryError):
            reason = "too large to read"
        else:
            self.app.call_from_thread(self._rest_read, thread)
            return
        self.app.call_from_thread(self._rest_not_read, reason)

    def _show_notices(self, thread: Thread) -> None:
        """What was wrong with the file but did not stop the read.  The notices quote
        the file, so they are never read as markup."""
        for notice in thread.notices:
            self.notify(notice, title="While reading the file", severity="warning", markup=False)

    def _rest_not_read(self, reason: str) -> None:
        self._reading_file = False
        self._extend(replace(self.thread, partial=False))
        count = len(self.thread.tree)
        self.notify(
            f"Only the first {count:,} comments could be read: {reason}",
            title=str(self.thread.source),
            severity="warning",
            timeout=8,
            markup=False,
        )
        self._after_complete()

    def _rest_read(self, thread: Thread) -> None:
        """The whole thread: it extends the head in place, unless the file turned out
        to read differently (changed meanwhile, or not UTF-8 after all)."""
        self._reading_file = False
        if not self.is_attached:
            return
        head = self.thread
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
        at_end = old_count > 1 and self.comments.focused == old_count
        self._extend(thread)
        self._show_notices(thread)
        if at_end and self._pending_open is None:
            self._pending_open = len(thread.tree)
        self._after_complete()

    def _extend(self, thread: Thread) -> None:
        """Show `thread` in place of the head it continues: same numbers, so focus,
        folds and marks stay as they are."""
        self.thread = thread
        self.index = SearchIndex(thread)
        self.comments.replace_thread(thread, same_numbers=True)
        self.article.replace_thread(thread)

    def _after_complete(self, *, indexed: bool = False) -> None:
        if self.session is not None:
            self.session.thread_completed()
        pending, self._pending_open = self._pending_open, None
        if pending is not None:
            count = len(self.thread.tree)
            if pending > count:
                self.notify(f"No comment #{pending} (1–{count})", severity="warning")
            else:
                self.comments.focus()
                self._open_at(pending)
        # What the app has built up to here (widgets, styles, the thread's arrays) lives
        # on: spare it the full collections the index build would set off (tens of ms
        # each, keys waiting); leaving the screen unfreezes it all again.
        gc.freeze()
        if not indexed:
            self._start_index()

    def _tell_file_problem(self, source: Path, reason: str) -> None:
        if reason == self._file_problem:
            return
        self._file_problem = reason
        self.notify(
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
        old_count = len(self.thread.tree)
        if self.session is not None:
            self.session.before_replace()
        self.thread = thread
        self._search_cancel.set()
        self.workers.cancel_group(self, "index")
        self.workers.cancel_group(self, "repairs")
        self.index = SearchIndex(thread)
        self._index_ready.clear()
        self.comments.replace_thread(thread)
        self.article.replace_thread(thread)
        if self.session is not None:
            self.session.after_replace()
        self.title = display_text(thread.title or "(untitled thread)")
        self._start_index()
        bar = self.search_bar
        self._pending_move = False
        self.run_search(bar.query_text, bar.regex, move=False)
        if self._pending_query is None:
            self._pending_move = True
        gained = len(thread.tree) - old_count
        if gained > 0 and announce:
            more = f"{gained:,} new comment{'s' if gained != 1 else ''}"
            self.notify(f"The file gained {more}: press . to go to them", timeout=4)


_START = (-1, -1)
_END = (sys.maxsize, sys.maxsize)


def _coverage(
    hits: Sequence[Hit], first_post: int = 0, last_post: int | None = None, last: bool = False
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The stretch, (post, offset) to (post, offset), in which `hits` -- a search of
    posts `first_post` to `last_post`, keeping the `last` MAX_HITS or the first -- are
    every match."""
    low = (first_post, -1) if first_post else _START
    high = (last_post, sys.maxsize) if last_post is not None else _END
    if len(hits) >= MAX_HITS:
        if last:
            low = (hits[0].number, hits[0].start)
        else:
            high = (hits[-1].number, hits[-1].start)
    return low, high


def _window(
    index: SearchIndex,
    pattern: re.Pattern[str],
    position: tuple[int, int],
    forward: bool,
    cancel: threading.Event | None,
) -> tuple[HitList, tuple[tuple[int, int], tuple[int, int]], Hit, bool] | None:
    """The hits from `position`'s post onwards (or, backwards, up to it) and the step
    from `position` in them; when there is none that way, the thread's first (or
    last) MAX_HITS and the step that wraps.  None if cancelled or nothing matches."""
    post = max(0, position[0])
    if forward:
        hits = index.search(pattern, limit=MAX_HITS, cancel=cancel, first_post=post)
        covered = _coverage(hits, first_post=post)
    else:
        hits = index.search(pattern, limit=MAX_HITS, cancel=cancel, last_post=post, keep_last=True)
        covered = _coverage(hits, last_post=post, last=True)
    if hits:
        hit, wrapped = (next_hit if forward else prev_hit)(hits, position)
        if not wrapped:
            return hits, covered, hit, False
    if cancel is not None and cancel.is_set():
        return None
    if forward:
        hits = index.search(pattern, limit=MAX_HITS, cancel=cancel)
        covered = _coverage(hits)
    else:
        hits = index.search(pattern, limit=MAX_HITS, cancel=cancel, keep_last=True)
        covered = _coverage(hits, last=True)
    if not hits:
        return None
    return hits, covered, hits[0] if forward else hits[-1], True


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's size and modification time, which change when it is written."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)
