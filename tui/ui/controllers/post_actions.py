"""What the reader does with the post in front of it: copy it, bookmark it, collect it.

Copying goes by the clipboard route of the settings; bookmarks and the quote basket
are written through the state queue.  The post meant is the focused comment, or on the
article pane the paragraph in view; a mouse selection, when there is one, wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core import quoting
from tui.state.records import QuoteItem, quote_item
from tui.state.store import StateStore
from tui.ui import clipboard
from tui.ui.dialogs.prompt import PromptScreen
from tui.ui.widgets.comment_list import CommentList

if TYPE_CHECKING:
    from tui.ui.screens.reader import ReaderScreen
    from tui.ui.services import Services


class PostActions:
    """Copying, bookmarking and collecting quotes for one reader screen."""

    def __init__(self, screen: ReaderScreen, services: Services) -> None:
        self.screen = screen
        self.services = services

    def _on_article(self) -> bool:
        screen = self.screen
        return screen.pane == "article" or not len(screen.thread.tree)

    # -- copying ------------------------------------------------------------------------

    def copy(self, text: str, what: str) -> None:
        screen = self.screen
        result = clipboard.copy(
            text,
            route=self.services.clipboard_route,
            osc52=screen.app.copy_to_clipboard,
            what=what,
        )
        screen.notify(result.message, severity="information" if result.ok else "error")

    def copy_post(self, *, quote: bool) -> None:
        """y (a quote) or Y (the plain text) of the focused post."""
        screen = self.screen
        make = quoting.quote if quote else quoting.plain
        if self._on_article():
            paragraph = screen.article.paragraph_in_view()
            if paragraph is None:
                screen.notify("The article has no text to copy", severity="warning")
                return
            text = make(screen.thread, 0, paragraph)
            what = f"{'quote of ' if quote else ''}article paragraph {paragraph + 1}"
        else:
            number = screen.comments.focused
            text = make(screen.thread, number)
            what = f"{'quote of ' if quote else 'text of '}#{number}"
        self.copy(text, what)

    def copy_selection(self) -> None:
        """ctrl+c: copy the mouse selection, cleaned, by the same routes as `y`."""
        screen = self.screen
        selection = screen.get_selected_text()
        if not selection:
            screen.notify("Select text with the mouse first, or press y to copy a post")
            return
        self.copy(selection, "selection")
        screen.clear_selection()

    # -- bookmarks and the basket -------------------------------------------------------

    def bookmark(self) -> None:
        """m: bookmark the focused comment (the article, from its pane), with an
        optional note asked for at the bottom of the screen."""
        screen = self.screen
        session = screen.session
        if session is None:
            return
        number = 0 if self._on_article() else screen.comments.focused
        existing = session.bookmarks.get(number)
        what = "the article" if number == 0 else f"#{number}"
        app = screen.app

        def told(saved: bool, unsaved: str | None) -> None:
            if not saved:
                app.notify(f"Could not bookmark {what}", severity="error", markup=False)
            elif unsaved:
                message = f"Bookmarked {what} for this session only: {unsaved}"
                app.notify(message, severity="warning", markup=False)
            else:
                message = f"Bookmarked {what}: ' lists every bookmark"
                app.notify(message, timeout=3, markup=False)

        def done(note: str | None) -> None:
            if note is None:
                return
            session.bookmark(number, note.strip(), told)

        prompt = PromptScreen(
            f"Bookmark {what}, note:",
            value=existing.note if existing is not None else "",
            placeholder="optional; enter saves, esc cancels",
        )
        app.push_screen(prompt, done)

    def add_to_basket(self) -> None:
        """A: put the mouse selection, or else the focused post (the paragraph in view
        on the article pane), in the quote basket."""
        found = self._basket_item()
        if found is None:
            return
        item, what = found
        app = self.screen.app

        def work(store: StateStore) -> tuple[bool, int, str | None]:
            saved = store.add_quote(item) > 0
            return saved, len(store.quotes()), store.unsaved()

        def added(result: tuple[bool, int, str | None]) -> None:
            saved, count, unsaved = result
            quotes = f"{count:,} quote{'s' if count != 1 else ''}"
            if not saved:
                app.notify(f"Could not add {what} to the quote basket", severity="error")
            elif unsaved:
                message = f"Added {what} to the quote basket ({quotes}) for this session only"
                app.notify(f"{message}: {unsaved}", severity="warning", markup=False)
            else:
                message = f"Added {what} to the quote basket ({quotes}); ctrl+b opens it"
                app.notify(message, timeout=4, markup=False)

        self.services.state_queue.submit(work, added)

    def _basket_item(self) -> tuple[QuoteItem, str] | None:
        screen = self.screen
        selection = screen.get_selected_text()
        if selection:
            number = 0
            for widget, selected in screen.selections.items():
                if isinstance(widget, CommentList):
                    row = selected.start.y if selected.start is not None else 0
                    number = widget.number_at_row(row) or 0
                    break
            screen.clear_selection()
            return quote_item(screen.thread, number, text=selection), "the selection"
        if self._on_article():
            paragraph = screen.article.paragraph_in_view()
            if paragraph is None:
                screen.notify("The article has no text to add", severity="warning")
                return None
            item = quote_item(screen.thread, 0, paragraph)
            return item, f"article paragraph {paragraph + 1}"
        number = screen.comments.focused
        return quote_item(screen.thread, number), f"#{number}"
