"""The reader screen: article pane, comment list, search bar.

The screen owns the thread's view state that spans widgets -- which pane has focus,
the split -- and passes it down to the views as attributes; the views report back with
messages.  The rest is delegated, one controller per concern: the search
(`ThreadSearch`), reading the rest of the file and reloads (`ThreadFollower`),
copying and bookmarks (`PostActions`), the library list beside the thread
(`LibraryBeside`) and the reading state (`ReadingSession`).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.core import quoting
from tui.core.model import Thread
from tui.core.outline import display_text
from tui.core.search.index import Hit
from tui.ui import messages
from tui.ui.controllers.library_beside import LIBRARY_PANE_FROM, LibraryBeside
from tui.ui.controllers.post_actions import PostActions
from tui.ui.controllers.reading_session import ReadingSession
from tui.ui.controllers.thread_follower import ThreadFollower
from tui.ui.controllers.thread_search import ThreadSearch
from tui.ui.dialogs.goto import GotoScreen
from tui.ui.keys import bindings
from tui.ui.widgets.article_view import ArticleView
from tui.ui.widgets.comment_list import CommentList
from tui.ui.widgets.library_pane import LibraryPane
from tui.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from tui.ui.services import LibraryFeed, Services

__all__ = ["LIBRARY_PANE_FROM", "ReaderScreen"]

WIDE = 140
# Seconds after mounting before a big thread's search index is built.
INDEX_DELAY = 0.3


class ReaderScreen(Screen[None]):
    """One thread, read."""

    BINDINGS = bindings("reader")

    split: reactive[int] = reactive(40)
    article_folded: reactive[bool] = reactive(False)
    # The first row the list beside the reader shows, carried over from the reader this
    # one replaced so that the list does not jump.
    pane_top: int | None = None

    def __init__(
        self,
        thread: Thread,
        services: Services,
        *,
        library: LibraryFeed | None = None,
        search: str | None = None,
        regex: bool = False,
        comment: int | None = None,
        article_folded: bool = False,
        comments_folded: bool = False,
    ):
        """`library` is the library this reader was opened from, listed beside the
        thread on a wide terminal; None outside a library."""
        super().__init__()
        self.services = services
        self.initial_regex = regex
        self.initial_comment = comment
        self.set_reactive(ReaderScreen.article_folded, article_folded)
        self.comments_folded = comments_folded
        self.thread = thread
        self.initial_search = search
        self.max_width = services.settings.max_width
        # The pane the user last read in; the search bar takes focus but the search
        # and copying still start from this pane.
        self.pane = "comments"
        self.session: ReadingSession | None = None
        self.search = ThreadSearch(self)
        self.follower = ThreadFollower(self)
        self.posts = PostActions(self, services)
        self.beside = LibraryBeside(self, library)
        # In a library, whether or not this reader was opened from its list.
        self._in_library_app = services.library is not None

    # -- composition ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reader-body"):
            if self._in_library_app:
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

    @property
    def hits(self) -> Sequence[Hit]:
        """The hits of the search on screen (at most MAX_HITS of them)."""
        return self.search.navigator.hits

    @property
    def current(self) -> Hit | None:
        """The hit shown as current, if any."""
        return self.search.navigator.current

    @property
    def library_pane(self) -> LibraryPane | None:
        """The library's list beside the reader, shown or not; None outside a library."""
        return self.beside.pane

    @property
    def shown_library_pane(self) -> LibraryPane | None:
        """The list beside the reader while it is on screen: `esc` goes there then."""
        return self.beside.shown_pane

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
        self.session = ReadingSession(self, self.services.state_queue)
        self.session.open()
        self.follower.watch()
        if self.initial_comment is not None:
            self.call_after_refresh(self.open_at, self.initial_comment)
        self.show_notices(self.thread)
        if self.thread.partial:
            # The first screen shows the file's head; the rest is read behind it, and
            # the index waits for the whole thread.
            self.follower.read_rest()
        else:
            self.search.start_index(delay=INDEX_DELAY)
        if self.initial_search:
            self.call_after_refresh(self._start_search, self.initial_search)

    def open_at(self, number: int) -> None:
        """Put the focus on post `number` (0: the article), once the file's rest is
        read if the head lacks it."""
        if self.thread.partial and number > len(self.thread.tree):
            self.follower.pending_open = number
            return
        if number == 0:
            # Set now, not when the focus event arrives: a search started with the
            # screen goes on from the pane the screen opened at.
            self.pane = "article"
            self.article.focus()
        else:
            self.comments.set_focus_to(number, center=True)

    def focus_pane(self) -> None:
        """Give the keys back to the pane last read in."""
        (self.article if self.pane == "article" else self.comments).focus()

    def _start_search(self, text: str) -> None:
        bar = self.search_bar
        bar.set_reactive(SearchBar.regex, self.initial_regex)
        bar.watch_regex(self.initial_regex)
        bar.open(text)
        self.search.run(text, bar.regex, move=True)
        if self.initial_comment is not None:
            # Opened at a match from the library search: leave the query showing but
            # the keys to the pane, so n/N go on from the match at once.
            self.focus_pane()

    def on_resize(self) -> None:
        self._apply_split()

    # -- layout -----------------------------------------------------------------------

    def _apply_split(self) -> None:
        self.beside.place()
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

    def action_switch_pane(self) -> None:
        if self.comments.has_focus and not self.article_folded:
            self.article.focus()
        else:
            self.comments.focus()

    # -- back to the library ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # Every reader of a library app sits above the library screen.
            return self._in_library_app
        return True

    def action_back(self) -> None:
        """Back to the thread list, which keeps its selection: the list beside the
        reader when it shows, else the library screen."""
        pane = self.shown_library_pane
        if pane is not None:
            pane.focus()
            return
        self.back_to_library()

    def back_to_library(self) -> None:
        if self.check_action("back", ()):
            if self.session is not None:
                # Stored before the library asks how many comments are still new.
                self.session.close()
            self.app.pop_screen()

    def on_library_pane_open(self, event: LibraryPane.Open) -> None:
        event.stop()
        self.beside.open(event)

    def on_library_pane_leave(self, event: LibraryPane.Leave) -> None:
        event.stop()
        self.beside.leave(event)

    # -- what the workers report ------------------------------------------------------

    def on_index_progress(self, message: messages.IndexProgress) -> None:
        self.search.index_progress(message.percent)

    def on_index_built(self, message: messages.IndexBuilt) -> None:
        self.search.index_built(message.keys)

    def on_repairs_counted(self, message: messages.RepairsCounted) -> None:
        self.article.set_repairs(message.count)

    def on_search_found(self, message: messages.SearchFound) -> None:
        self.search.found(message)

    def on_window_found(self, message: messages.WindowFound) -> None:
        self.search.window_found(message)

    def on_visited(self, message: messages.Visited) -> None:
        if self.session is not None:
            self.session.visited(message)

    def on_rest_read(self, message: messages.RestRead) -> None:
        self.follower.rest_read(message.thread)

    def on_rest_not_read(self, message: messages.RestNotRead) -> None:
        self.follower.rest_not_read(message.reason)

    def on_thread_read(self, message: messages.ThreadRead) -> None:
        self.follower.read_again(message.thread, message.stamp)

    def on_thread_not_read(self, message: messages.ThreadNotRead) -> None:
        self.follower.not_read_again(message.source, message.stamp, message.reason)

    # -- search -----------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.search.run(event.query, event.regex, move=True)

    @on(SearchBar.Step)
    def _search_step(self, event: SearchBar.Step) -> None:
        self.search.step(event.forward)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.focus_pane()

    def action_next_match(self) -> None:
        self.search.step(True)

    def action_previous_match(self) -> None:
        self.search.step(False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, ArticleView):
            self.pane = "article"
        elif isinstance(event.widget, CommentList):
            self.pane = "comments"

    @on(CommentList.Focused)
    def _comment_focused(self, event: CommentList.Focused) -> None:
        self.search.navigator.moved_to(event.number)

    # -- moving -----------------------------------------------------------------------

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
                self.follower.pending_open = number
                self.notify(f"Reading the rest of the file to reach #{number}…", timeout=2)
                return
            if not 1 <= number <= count:
                self.notify(f"No comment #{number} (1–{count})", severity="warning")
                return
            self.comments.focus()
            self.comments.set_focus_to(number, center=True)

        self.app.push_screen(GotoScreen(count), go)

    def action_next_new(self) -> None:
        """.: go to the next comment marked new, wrapping to the first."""
        comments = self.comments
        found = comments.next_new(comments.focused if self.pane == "comments" else 0)
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
            self.open_at(0)
            return
        if self.session is not None:
            number = self.session.find(number, key)
        self.comments.focus()
        self.comments.set_focus_to(number, center=True)

    # -- copying, bookmarks, the basket -------------------------------------------------

    def action_copy_quote(self) -> None:
        self.posts.copy_post(quote=True)

    def action_copy_plain(self) -> None:
        self.posts.copy_post(quote=False)

    def action_copy_text(self) -> None:
        """ctrl+c: copy the mouse selection, cleaned, by the same routes as `y`."""
        self.posts.copy_selection()

    def action_copy_article(self) -> None:
        self.copy_article()

    def copy_article(self) -> None:
        """Copy the whole article as a quote (from the command palette)."""
        self.posts.copy(quoting.quote(self.thread, 0, None), "quote of the whole article")

    def action_bookmark(self) -> None:
        self.posts.bookmark()

    def action_add_to_basket(self) -> None:
        self.posts.add_to_basket()

    # -- closing ----------------------------------------------------------------------

    def show_notices(self, thread: Thread) -> None:
        """What was wrong with the file but did not stop the read.  The notices quote
        the file, so they are never read as markup."""
        for notice in thread.notices:
            self.notify(notice, title="While reading the file", severity="warning", markup=False)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
        # The thread was frozen out of the collector's walks once indexed; this screen
        # and its widgets hold reference cycles, so without this the collector could
        # never free them (a big thread's tens of MB, every time one is left).
        gc.unfreeze()
