"""The library: every thread of the given files and folders in one list.

The list is one Line-API widget (`ThreadTable`): a row is drawn only when it is on
screen, so 10,000 threads cost what 40 do, and filtering replaces an index array,
never widgets.  (Measured headless at 10,000 rows: DataTable takes 1.6 s to be filled
and OptionList 1.2 s; this list under 0.1 s, entries included.)  What the library
holds -- entries, filter, counts -- is the `Library` model of the app's services, which
the list beside a reader shows as well; this screen fills it and draws it.

A worker walks the folders, reads the titles (the first 4 KB of each file) and posts
them in batches (as messages), the first one as soon as it fills a screen; then it
counts comments (a full parse) with a progress bar.  Typing anywhere filters by title.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from tui.core.library import (
    Library,
    Skipped,
    ThreadEntry,
    count_entry,
    describe,
    plural,
    read_entry,
    resolved,
    walk,
)
from tui.core.outline import display_text
from tui.state.identity import fingerprint
from tui.ui import messages
from tui.ui.keys import bindings
from tui.ui.widgets.row_list import RowList
from tui.ui.widgets.thread_table import ThreadTable

if TYPE_CHECKING:
    from tui.ui.app import ThreadReaderApp
    from tui.ui.services import LibraryFeed, Services

# The first batch of titles is posted once this many are read: enough for a screen.
FIRST_BATCH = 80
# Later batches, and count progress, at most this often (seconds).
POST_EVERY = 0.1
# Filtering more entries than this runs in a worker, so typing never waits for it.
FILTER_IN_WORKER_FROM = 2_000


class FilterInput(Input):
    """The title filter; enter opens the thread under the cursor."""

    BINDINGS: ClassVar[list[Binding]] = bindings("library-filter")

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # An apostrophe typed first opens the bookmarks; within a filter it is text.
        if character == "'" and not self.value:
            return False
        return super().check_consume_key(key, character)


class LibraryScreen(Screen[None]):
    """The thread list of a library: filter, open, search across every thread."""

    DEFAULT_CSS = """
    LibraryScreen #library-filter { height: 1; background: $panel; }
    LibraryScreen #library-filter > Static { width: auto; padding: 0 1; color: $accent; }
    LibraryScreen #library-filter > Input {
        width: 1fr; height: 1; border: none; padding: 0; background: $panel;
    }
    LibraryScreen #library-filter > Input:focus { border: none; }
    LibraryScreen #library-status { height: 1; background: $panel; }
    LibraryScreen #library-status > Static { width: 1fr; padding: 0 1; color: $text-muted; }
    LibraryScreen #library-status > ProgressBar { width: auto; padding: 0 1; }
    LibraryScreen #library-status > ProgressBar.-done { display: none; }
    """

    BINDINGS: ClassVar[list[Binding]] = bindings("library")

    def __init__(
        self, services: Services, library: LibraryFeed, *, search: str | None = None
    ) -> None:
        """`search` opens the library search with that query as soon as the files are
        known (`threadread --search TEXT FOLDER`)."""
        super().__init__()
        self.services = services
        self.library = library
        self.model: Library = library.model
        self.initial_search = search
        self.repair = services.repair

    @property
    def entries(self) -> list[ThreadEntry]:
        """The threads found so far, in the order they were read."""
        return self.model.entries

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="library-filter"):
            yield Static("Filter", id="library-filter-label")
            yield FilterInput(placeholder="type to filter titles", id="library-filter-input")
        yield ThreadTable(id="library-table")
        with Horizontal(id="library-status"):
            yield Static("", id="library-status-text")
            yield ProgressBar(total=None, show_eta=False, id="library-progress")
        yield Footer()

    @property
    def table(self) -> ThreadTable:
        return self.query_one("#library-table", ThreadTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one("#library-filter-input", FilterInput)

    def on_screen_resume(self) -> None:
        # Back from a thread: the one chosen beside it is selected here, and what was
        # read there is no longer new.
        chosen, self.model.chosen = self.model.chosen, None
        self.select_entry(chosen)
        self.load_new_counts()

    def load_new_counts(self) -> None:
        """Show how many comments of each thread are new (read in the state worker)."""
        self.library.load_new_counts()

    def _library_changed(self, model: Library) -> None:
        table = self.table
        if table.new_counts is not model.new_counts:
            table.new_counts = model.new_counts
        table.refresh()

    def on_mount(self) -> None:
        self.title = "threadread"
        self.sub_title = "library"
        self.table.entries = self.model.entries
        self.table.new_counts = self.model.new_counts
        self.library.changed.subscribe(self, self._library_changed)
        self.filter_input.focus()
        self._show_status()
        self.scan()

    # -- scanning -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library-scan", exit_on_error=False)
    def scan(self) -> None:
        """Walk, read titles, then count comments; everything reaches the UI in
        batches, as messages."""
        worker = get_current_worker()
        repair = self.repair
        found = walk(self.model.paths)
        if worker.is_cancelled:
            return
        self.post_message(messages.LibraryWalked(found.files, found.skipped))
        batch: list[ThreadEntry] = []
        skipped: list[Skipped] = []
        entries: list[ThreadEntry] = []
        limit = FIRST_BATCH
        last = time.monotonic()
        for candidate in found.files:
            if worker.is_cancelled:
                return
            result = read_entry(candidate, repair=repair)
            if isinstance(result, Skipped):
                skipped.append(result)
            else:
                batch.append(result)
                entries.append(result)
            now = time.monotonic()
            if len(batch) >= limit or now - last >= POST_EVERY:
                self.post_message(messages.EntriesRead(batch, skipped))
                batch, skipped = [], []
                limit = 1 << 30
                last = now
        self.post_message(messages.EntriesRead(batch, skipped, done=True))
        queue = self.services.state_queue
        visited = queue.run(lambda store: store.visited_paths())
        counts: list[tuple[int, int]] = []
        last = time.monotonic()
        for number, entry in enumerate(entries, 1):
            if worker.is_cancelled:
                return
            thread = count_entry(entry, repair=repair)
            if visited and thread is not None:
                known = visited.get(resolved(entry.path))
                if known is not None and known[1] == fingerprint(thread):
                    counts.append((known[0], len(thread.tree)))
            now = time.monotonic()
            if now - last >= POST_EVERY:
                self.post_message(messages.CommentsCounted(number))
                last = now
        if counts:
            # Comments a file gained since its last visit count as new in the list.
            queue.run(lambda store: [store.set_comment_count(i, n) for i, n in counts])
        self.post_message(messages.CommentsCounted(len(entries), final=True))

    def on_library_walked(self, message: messages.LibraryWalked) -> None:
        self.model.walked(message.files, message.skipped)
        if not message.files:
            self.table.empty_text = "No thread files here."
            self.table.refresh()
        if self.initial_search:
            query, self.initial_search = self.initial_search, None
            self.action_search_library(query)

    def on_entries_read(self, message: messages.EntriesRead) -> None:
        model = self.model
        model.add(message.entries, message.skipped, done=message.done)
        if message.done:
            if not model.entries:
                self.table.empty_text = "No threads here."
            if model.skipped:
                count = len(model.skipped)
                heading = "Skipped " + plural(count, "file", "files")
                heading += " that " + ("is not a thread:" if count == 1 else "are not threads:")
                self.notify(
                    describe(model.skipped, heading),
                    title="Library",
                    severity="warning",
                    timeout=12,
                    markup=False,
                )
            progress = self.query_one("#library-progress", ProgressBar)
            progress.update(total=max(1, len(model.entries)), progress=0)
            self.load_new_counts()
        if message.entries or message.done:
            self._refilter()
        self._show_status()

    def on_comments_counted(self, message: messages.CommentsCounted) -> None:
        self.query_one("#library-progress", ProgressBar).update(progress=message.done)
        self.model.count_progress(message.done)
        self._show_status()
        if not message.final:
            return
        self.load_new_counts()
        self.query_one("#library-progress", ProgressBar).add_class("-done")
        broken = [Skipped(e.path, e.error) for e in self.model.entries if e.error is not None]
        if broken:
            self.notify(
                describe(broken, plural(len(broken), "thread", "threads") + " could not be read:"),
                title="Library",
                severity="error",
                timeout=12,
                markup=False,
            )
        if self.model.query:
            self._refilter()
        self._show_status()

    def _show_status(self) -> None:
        model = self.model
        total = len(model.entries)
        shown = self.table.row_count
        parts = []
        if model.query:
            parts.append(f"{shown:,} of {total:,} threads")
        else:
            parts.append(f"{total:,} thread{'s' if total != 1 else ''}")
        if model.scanning:
            parts.append("reading titles…")
        elif model.counted < total:
            parts.append(f"counting comments {model.counted:,}/{total:,}")
        entry = self.table.selected
        model.selected = entry
        if entry is not None:
            parts.append(display_text(str(entry.path)))
        self.query_one("#library-status-text", Static).update(Content(" · ".join(parts)))
        self.sub_title = f"library · {total:,} threads"

    # -- filtering ----------------------------------------------------------------------

    @on(Input.Changed, "#library-filter-input")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.model.query = event.value
        # A new filter puts the best match under the cursor, as the palette does.
        self._refilter(keep_selection=False)

    def _refilter(self, *, keep_selection: bool = True) -> None:
        keep = self.table.selected if keep_selection else None
        query = self.model.query
        if len(self.model.entries) >= FILTER_IN_WORKER_FROM and query.strip():
            self._filter_in_worker(query, keep)
        else:
            self._show_view(self.model.filter(query), keep, query)

    @work(thread=True, exclusive=True, group="library-filter", exit_on_error=False)
    def _filter_in_worker(self, query: str, keep: ThreadEntry | None) -> None:
        view = self.model.filter(query)
        if not get_current_worker().is_cancelled:
            self.post_message(messages.LibraryFiltered(view, keep, query))

    def on_library_filtered(self, message: messages.LibraryFiltered) -> None:
        self._show_view(message.view, message.keep, message.query)

    def _show_view(
        self, view: list[tuple[int, tuple[int, ...]]], keep: ThreadEntry | None, query: str
    ) -> None:
        # The table first: the model's subscribers draw from it as they are told.
        if query != self.model.query:
            return
        self.table.set_view(view, keep)
        self.model.show(view, query)
        self._show_status()

    @on(RowList.Moved)
    def _moved(self) -> None:
        self._show_status()

    # -- actions ------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Typing while the list has focus goes to the filter."""
        if event.is_printable and event.character and self.focused is self.table:
            event.stop()
            event.prevent_default()
            self.action_type(event.character)

    def action_type(self, character: str) -> None:
        field = self.filter_input
        field.focus()
        field.insert_text_at_cursor(character)

    def action_bookmarks(self) -> None:
        """': the bookmarks of every thread, unless a filter is being typed (a title
        may hold an apostrophe)."""
        if self.filter_input.value:
            self.action_type("'")
            return
        app: ThreadReaderApp = self.app  # type: ignore[assignment]
        app.action_bookmarks()

    def action_list(self, action: str) -> None:
        getattr(self.table, f"action_{action}")()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.model.query) or None
        return True

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        self.filter_input.focus()

    @on(Input.Submitted, "#library-filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.open_selected()

    @on(RowList.Selected)
    def _selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.open_selected()

    def select_entry(self, entry: ThreadEntry | None) -> None:
        """Put the cursor on `entry` if the list shows it, so that coming back from a
        reader lands on the thread chosen beside it."""
        table = self.table
        if entry is None or table.selected is entry:
            return
        row = self.model.row_of(entry)
        if row is not None:
            table.move_to(row)

    def open_selected(self) -> None:
        entry = self.table.selected
        if entry is None:
            return
        app: ThreadReaderApp = self.app  # type: ignore[assignment]
        app.open_thread(entry.path)

    def search_paths(self) -> list[Path]:
        """The files a library search looks in (see `Library.search_paths`)."""
        return self.model.search_paths()

    def action_search_library(self, query: str = "") -> None:
        from tui.ui.screens.library_search import LibrarySearchScreen

        screen = LibrarySearchScreen(self.search_paths(), repair=self.repair, query=query)
        self.app.push_screen(screen)
