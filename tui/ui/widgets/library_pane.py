"""The library's thread list beside the reader, on terminals wide enough for both.

A reader opened from the library on a wide terminal keeps the list in view, so the
next thread is one keypress away instead of a trip back to the full library screen.
The pane is a compact `ThreadTable` (titles and comment counts only) that reads the
`Library` model the library screen shows too -- entries, filtered view, new-comment
counts: counts the library's worker fills in show here as well, and the two lists
never disagree about what the library holds.  Like the library's table it draws only
the rows on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding
from textual.message import Message

from tui.core.library import ThreadEntry
from tui.ui.keys import bindings
from tui.ui.widgets.thread_table import ThreadTable

if TYPE_CHECKING:
    from tui.core.library import Library
    from tui.ui.services import LibraryFeed


class LibraryPane(ThreadTable):
    """The library's current list beside the reader: `enter` opens a thread in place."""

    DEFAULT_CSS = """
    LibraryPane {
        display: none;
        height: 1fr;
        border-right: solid $reader-guide;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = bindings("pane")

    class Open(Message):
        """Enter or a click on a thread: the reader shows it in place of its own."""

        def __init__(self, pane: LibraryPane, entry: ThreadEntry) -> None:
            self.pane = pane
            self.entry = entry
            super().__init__()

    class Leave(Message):
        """The keys go back to the reader, or (`to_library`) to the library screen."""

        def __init__(self, pane: LibraryPane, *, to_library: bool) -> None:
            self.pane = pane
            self.to_library = to_library
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        self.library: LibraryFeed | None = None
        super().__init__(id=id)

    @property
    def new_counts(self) -> dict[Path, int]:
        """The library's counts of new comments, read at drawing time: the model
        replaces its dict whenever it reloads them."""
        if self.library is not None:
            return self.library.model.new_counts
        return self._own_counts

    @new_counts.setter
    def new_counts(self, counts: dict[Path, int]) -> None:
        self._own_counts = counts

    def _columns(self, width: int) -> tuple[int, bool, bool]:
        # Titles and counts only: size and time belong to the full library screen.
        return max(8, width - self.COUNT_WIDTH - 2), False, False

    # -- following the library ----------------------------------------------------------

    def attach(self, library: LibraryFeed, path: Path | None, top: int | None = None) -> None:
        """Show `library`'s list with the cursor on the thread at `path` (else on the
        library's own selection); `top` is the first row to show, so a list carried
        over from the reader this one replaced does not jump."""
        if self.library is library:
            return
        self.library = library
        model = library.model
        self.entries = model.entries
        found = model.find(path) if path is not None else None
        self.set_view(model.view, found or model.selected)
        library.changed.subscribe(self, self._library_changed)
        self.call_after_refresh(self._place_cursor, top)

    def _place_cursor(self, top: int | None) -> None:
        """Once the pane has a size: the rows from `top`, or the cursor in the middle."""
        if top is None:
            top = self.cursor - self.body_height // 2
        self.scroll_to(y=max(0, top), animate=False, immediate=True)
        self.scroll_to_cursor()

    def _library_changed(self, model: Library) -> None:
        """More titles, another filter or counts arrived: draw them, keeping the cursor
        on the same thread."""
        if self.library is None or model is not self.library.model:
            return
        if model.view is not self.view:
            self.set_view(model.view, self.selected)
        else:
            self.refresh()

    # -- actions ------------------------------------------------------------------------

    def action_select(self) -> None:
        entry = self.selected
        if entry is not None:
            self.post_message(self.Open(self, entry))

    def action_to_reader(self) -> None:
        self.post_message(self.Leave(self, to_library=False))

    def action_to_library(self) -> None:
        self.post_message(self.Leave(self, to_library=True))

    def on_click(self, event: events.Click) -> None:
        """One click opens: the pane is for moving between threads."""
        event.prevent_default()
        if event.y < self.has_header:
            return
        row = int(self.scroll_y) + event.y - self.has_header
        if 0 <= row < self.row_count:
            self.move_to(row)
            self.action_select()
