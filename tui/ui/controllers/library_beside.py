"""The library's list beside a reader: when it shows, and what choosing in it does.

A reader opened from the library gets the library's `LibraryFeed`; from
LIBRARY_PANE_FROM columns the list shows beside the thread.  Choosing a thread there
opens it in place of the one being read; leaving the list goes back into the reader,
or to the library screen with the list's thread selected there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tui.ui.widgets.library_pane import LibraryPane

if TYPE_CHECKING:
    from tui.ui.app import ThreadReaderApp
    from tui.ui.screens.reader import ReaderScreen
    from tui.ui.services import LibraryFeed

# From this width a reader opened from the library shows the library's list beside it,
# a quarter of the width within these bounds.
LIBRARY_PANE_FROM = 150
LIBRARY_PANE_MIN = 32
LIBRARY_PANE_MAX = 56


class LibraryBeside:
    """The glue between a reader and the library list beside it."""

    def __init__(self, screen: ReaderScreen, library: LibraryFeed | None) -> None:
        self.screen = screen
        self.library = library

    @property
    def pane(self) -> LibraryPane | None:
        """The list beside the reader, shown or not; None outside a library."""
        for pane in self.screen.query("#library-pane").results(LibraryPane):
            return pane
        return None

    @property
    def shown_pane(self) -> LibraryPane | None:
        """The list beside the reader while it is on screen: `esc` goes there then."""
        pane = self.pane
        return pane if pane is not None and pane.display else None

    def place(self) -> None:
        """Show the list on a terminal wide enough for both, and hide it (handing its
        focus to the comments) on a narrower one."""
        pane = self.pane
        if pane is None:
            return
        screen = self.screen
        width = screen.size.width
        if self.library is None or width < LIBRARY_PANE_FROM:
            if pane.display:
                had_focus = pane.has_focus
                pane.display = False
                if had_focus:
                    screen.comments.focus()
            return
        pane.styles.width = max(LIBRARY_PANE_MIN, min(LIBRARY_PANE_MAX, width // 4))
        pane.attach(self.library, screen.thread.source, screen.pane_top)
        pane.display = True

    def open(self, event: LibraryPane.Open) -> None:
        """Open the thread chosen in the list in place of this one; the list stays,
        and this thread's reading state is stored before the library counts what is
        new."""
        screen = self.screen
        entry = event.entry
        if screen.thread.source is not None and entry.path == screen.thread.source:
            screen.focus_pane()
            return
        top = int(event.pane.scroll_y)
        app = cast("ThreadReaderApp", screen.app)
        if not app.open_thread(entry.path, replace=True, pane_top=top):
            return
        if screen.session is not None:
            screen.session.close()
        if self.library is not None:
            self.library.model.chosen = entry
            self.library.load_new_counts()

    def leave(self, event: LibraryPane.Leave) -> None:
        """Back into the reader, or to the library screen with the list's selection."""
        if not event.to_library:
            self.screen.focus_pane()
            return
        if self.library is not None:
            self.library.model.chosen = event.pane.selected
        self.screen.back_to_library()
