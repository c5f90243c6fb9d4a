"""The library: every thread of the given files and folders in one list.

The list is one Line-API widget (`RowList`): a row is drawn only when it is on
screen, so 10,000 threads cost what 40 do, and filtering replaces an index array,
never widgets.  (Measured headless at 10,000 rows: DataTable takes 1.6 s to be filled
and OptionList 1.2 s; this list under 0.1 s, entries included.)

A worker walks the folders, reads the titles (the first 4 KB of each file) and posts
them in batches, the first one as soon as it fills a screen; then it counts comments
(a full parse) with a progress bar.  Typing anywhere filters by title.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from tui.core.library import (
    Candidate,
    Skipped,
    ThreadEntry,
    TitleFilter,
    count_entry,
    describe,
    plural,
    read_entry,
    walk,
)
from tui.core.outline import display_text
from tui.state.identity import fingerprint
from tui.ui.widgets.row_list import RowList, fit, highlighted

if TYPE_CHECKING:
    from tui.state.store import StateStore
    from tui.ui.app import ThreadReaderApp

# The first batch of titles is posted once this many are read: enough for a screen.
FIRST_BATCH = 80
# Later batches, and count progress, at most this often (seconds).
POST_EVERY = 0.1
# Filtering more entries than this runs in a worker, so typing never waits for it.
FILTER_IN_WORKER_FROM = 2_000


def _resolved(path: Path) -> Path:
    """A path as the reading state stores it (absolute, links resolved)."""
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def human_size(size: int) -> str:
    """A file size in the fewest characters a reader can still compare: 1.2 MB."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.5 or unit == "TB":
            break
    return f"{value:.1f} {unit}" if value < 9.95 else f"{value:.0f} {unit}"


def _spans_of(offsets: Sequence[int]) -> list[tuple[int, int]]:
    """Runs of consecutive offsets as (start, end) spans."""
    spans: list[tuple[int, int]] = []
    for offset in offsets:
        if spans and spans[-1][1] == offset:
            spans[-1] = (spans[-1][0], offset + 1)
        else:
            spans.append((offset, offset + 1))
    return spans


class ThreadTable(RowList):
    """The library's threads: title, comments, size and modification time."""

    empty_text = "Looking for threads…"
    COUNT_WIDTH = 8
    SIZE_WIDTH = 7
    TIME_WIDTH = 16

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(header=True, id=id)
        self.entries: list[ThreadEntry] = []
        self.view: list[tuple[int, tuple[int, ...]]] = []
        # Comments new since the last visit, by the entry's path (only those with any).
        self.new_counts: dict[Path, int] = {}

    def set_view(self, view: list[tuple[int, tuple[int, ...]]], keep: ThreadEntry | None) -> None:
        """Show these entries (indexes with matched offsets), the cursor on `keep` if
        it is among them."""
        self.view = view
        cursor = 0
        if keep is not None:
            for row, (index, _offsets) in enumerate(view):
                if self.entries[index] is keep:
                    cursor = row
                    break
        self.set_row_count(len(view), cursor)

    @property
    def selected(self) -> ThreadEntry | None:
        if not self.view or not 0 <= self.cursor < len(self.view):
            return None
        return self.entries[self.view[self.cursor][0]]

    def _columns(self, width: int) -> tuple[int, bool, bool]:
        """The title's width, and whether the size and time columns fit."""
        show_time = width >= 70
        show_size = width >= 45
        rest = self.COUNT_WIDTH + 1
        if show_size:
            rest += self.SIZE_WIDTH + 1
        if show_time:
            rest += self.TIME_WIDTH + 1
        return max(8, width - rest - 1), show_size, show_time

    def render_header(self, width: int, base: Style) -> list[Segment]:
        title_width, show_size, show_time = self._columns(width - 1)
        text = " " + "Title".ljust(title_width) + " " + "Comments".rjust(self.COUNT_WIDTH)
        if show_size:
            text += " " + "Size".rjust(self.SIZE_WIDTH)
        if show_time:
            text += " " + "Modified".ljust(self.TIME_WIDTH)
        return [Segment(text, base)]

    def render_row(self, row: int, width: int, base: Style) -> list[Segment]:
        index, offsets = self.view[row]
        entry = self.entries[index]
        title_width, show_size, show_time = self._columns(width)
        label = display_text(entry.label)
        new = self.new_counts.get(entry.path, 0)
        badge = f"{new:,} new" if new else ""
        # The badge takes the end of the title column, so the other columns stay put.
        room = title_width - (len(badge) + 1 if badge else 0)
        shown = fit(label, max(1, room))
        muted = base + self.style_of("muted")
        title_style = base if entry.title else muted
        spans = _spans_of(o for o in offsets if o < len(shown)) if offsets else []
        if len(entry.folded) != len(entry.label):
            spans = []
        segments = highlighted(shown, spans, title_style, self.style_of("match"))
        if badge:
            segments.append(Segment(" " * max(1, room - cell_len(shown) + 1), base))
            segments.append(Segment(badge, base + self.style_of("new")))
            segments.append(Segment(" ", base))
        else:
            pad = title_width - cell_len(shown)
            segments.append(Segment(" " * (pad + 1), base))
        if entry.error is not None:
            segments.append(Segment("error".rjust(self.COUNT_WIDTH), base + self.style_of("error")))
        elif entry.comments is None:
            segments.append(Segment("…".rjust(self.COUNT_WIDTH), muted))
        else:
            segments.append(Segment(f"{entry.comments:,}".rjust(self.COUNT_WIDTH), base))
        if show_size:
            segments.append(Segment(" " + human_size(entry.size).rjust(self.SIZE_WIDTH), muted))
        if show_time:
            when = datetime.fromtimestamp(entry.mtime).strftime("%Y-%m-%d %H:%M")
            segments.append(Segment(" " + when, muted))
        return segments


class FilterInput(Input):
    """The title filter; enter opens the thread under the cursor."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter", "submit", "Open", id="library-open"),
    ]

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # An apostrophe typed first opens the bookmarks; within a filter it is text.
        if character == "'" and not self.value:
            return False
        return super().check_consume_key(key, character)


class LibraryCommands(Provider):
    """Library commands for the command palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        if not isinstance(screen, LibraryScreen):
            return []
        return [
            (
                "Search all threads  (ctrl+f)",
                "Library: find a comment in every thread of the library",
                screen.action_search_library,
            ),
            (
                "Clear the title filter  (esc)",
                "Library: show every thread again",
                screen.action_clear_filter,
            ),
        ]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, Content(name), callback, help=help_text)


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

    COMMANDS: ClassVar[set] = {LibraryCommands}

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+f", "search_library", "Search all threads", id="library-search"),
        Binding("escape", "clear_filter", "Clear filter", id="library-clear-filter"),
        Binding("down", "list('cursor_down')", show=False, id="library-down"),
        Binding("up", "list('cursor_up')", show=False, id="library-up"),
        Binding("pagedown", "list('page_down')", show=False, id="library-page-down"),
        Binding("pageup", "list('page_up')", show=False, id="library-page-up"),
        Binding("ctrl+home", "list('first')", show=False, id="library-first"),
        Binding("ctrl+end", "list('last')", show=False, id="library-last"),
        Binding("ctrl+q", "app.quit", "Quit", priority=True, id="library-quit"),
        # Letters type into the filter here, so `q` and `?` must not show as keys.
        Binding("q", "type('q')", show=False, id="library-type-q"),
        Binding("question_mark", "type('?')", show=False, id="library-type-question"),
        # Ahead of the filter field, which would take the key as text.
        Binding(
            "apostrophe",
            "bookmarks",
            "Bookmarks (with the filter empty)",
            show=False,
            priority=True,
            id="library-bookmarks",
        ),
    ]

    def __init__(self, paths: Sequence[Path], *, search: str | None = None) -> None:
        """`search` opens the library search with that query as soon as the files are
        known (`threadread --search TEXT FOLDER`)."""
        super().__init__()
        self.paths = list(paths)
        self.initial_search = search
        self.entries: list[ThreadEntry] = []
        self.candidates: list[Candidate] = []
        self.skipped: list[Skipped] = []
        self.scanning = True
        self.counted = 0
        self._filter = TitleFilter(self.entries)
        self._query = ""
        # Published when the list or its counts change, for the list beside a reader.
        self.changed_signal: Signal[LibraryScreen] = Signal(self, "library-changed")

    @property
    def repair(self) -> bool:
        return bool(getattr(self.app, "repair", True))

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
        # Back from a thread: what was read there is no longer new.
        self.load_new_counts()

    def load_new_counts(self) -> None:
        """Show how many comments of each thread are new (read in the state worker)."""
        queue = getattr(self.app, "state_queue", None)
        if queue is None or not self.entries:
            return
        paths = [entry.path for entry in self.entries]

        def work(store: StateStore) -> dict[Path, int]:
            stored = store.new_counts()
            if not stored:
                return {}
            return {path: n for path in paths if (n := stored.get(_resolved(path), 0))}

        queue.submit(work, self._show_new_counts)

    def _show_new_counts(self, counts: dict[Path, int]) -> None:
        if counts != self.table.new_counts:
            self.table.new_counts = counts
            self.table.refresh()
            self.changed_signal.publish(self)

    def on_mount(self) -> None:
        self.title = "threadread"
        self.sub_title = "library"
        self.table.entries = self.entries
        self.filter_input.focus()
        self._show_status()
        self.scan()

    # -- scanning -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library-scan", exit_on_error=False)
    def scan(self) -> None:
        """Walk, read titles, then count comments; everything reaches the UI in
        batches through `call_from_thread`."""
        worker = get_current_worker()
        repair = self.repair
        found = walk(self.paths)
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._walked, found.files, found.skipped)
        batch: list[ThreadEntry] = []
        skipped: list[Skipped] = []
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
            now = time.monotonic()
            if len(batch) >= limit or now - last >= POST_EVERY:
                self.app.call_from_thread(self._add_entries, batch, skipped)
                batch, skipped = [], []
                limit = 1 << 30
                last = now
        self.app.call_from_thread(self._add_entries, batch, skipped, done=True)
        entries = list(self.entries)
        queue = getattr(self.app, "state_queue", None)
        visited = queue.run(lambda store: store.visited_paths()) if queue is not None else {}
        counts: list[tuple[int, int]] = []
        last = time.monotonic()
        for number, entry in enumerate(entries, 1):
            if worker.is_cancelled:
                return
            thread = count_entry(entry, repair=repair)
            if visited and thread is not None:
                known = visited.get(_resolved(entry.path))
                if known is not None and known[1] == fingerprint(thread):
                    counts.append((known[0], len(thread.tree)))
            now = time.monotonic()
            if now - last >= POST_EVERY:
                self.app.call_from_thread(self._counted_some, number)
                last = now
        if counts and queue is not None:
            # Comments a file gained since its last visit count as new in the list.
            queue.run(lambda store: [store.set_comment_count(i, n) for i, n in counts])
        self.app.call_from_thread(self._counted_all, len(entries))

    def _walked(self, files: list[Candidate], skipped: list[Skipped]) -> None:
        self.candidates = files
        self.skipped.extend(skipped)
        if not files:
            self.table.empty_text = "No thread files here."
            self.table.refresh()
        if self.initial_search:
            query, self.initial_search = self.initial_search, None
            self.action_search_library(query)

    def _add_entries(
        self, batch: list[ThreadEntry], skipped: list[Skipped], done: bool = False
    ) -> None:
        self.entries.extend(batch)
        self.skipped.extend(skipped)
        if done:
            self.scanning = False
            if not self.entries:
                self.table.empty_text = "No threads here."
            if self.skipped:
                count = len(self.skipped)
                heading = "Skipped " + plural(count, "file", "files")
                heading += " that " + ("is not a thread:" if count == 1 else "are not threads:")
                self.notify(
                    describe(self.skipped, heading),
                    title="Library",
                    severity="warning",
                    timeout=12,
                    markup=False,
                )
            progress = self.query_one("#library-progress", ProgressBar)
            progress.update(total=max(1, len(self.entries)), progress=0)
            self.load_new_counts()
        if batch or done:
            self._refilter()
        self._show_status()

    def _counted_some(self, done: int) -> None:
        self.counted = done
        self.query_one("#library-progress", ProgressBar).update(progress=done)
        self._filter.invalidate()
        self.table.refresh()
        self._show_status()
        self.changed_signal.publish(self)

    def _counted_all(self, total: int) -> None:
        self._counted_some(total)
        self.load_new_counts()
        self.query_one("#library-progress", ProgressBar).add_class("-done")
        broken = [Skipped(e.path, e.error) for e in self.entries if e.error is not None]
        if broken:
            self.notify(
                describe(broken, plural(len(broken), "thread", "threads") + " could not be read:"),
                title="Library",
                severity="error",
                timeout=12,
                markup=False,
            )
        if self._query:
            self._refilter()
        self._show_status()

    def _show_status(self) -> None:
        total = len(self.entries)
        shown = self.table.row_count
        parts = []
        if self._query:
            parts.append(f"{shown:,} of {total:,} threads")
        else:
            parts.append(f"{total:,} thread{'s' if total != 1 else ''}")
        if self.scanning:
            parts.append("reading titles…")
        elif self.counted < total:
            parts.append(f"counting comments {self.counted:,}/{total:,}")
        entry = self.table.selected
        if entry is not None:
            parts.append(display_text(str(entry.path)))
        self.query_one("#library-status-text", Static).update(Content(" · ".join(parts)))
        self.sub_title = f"library · {total:,} threads"

    # -- filtering ----------------------------------------------------------------------

    @on(Input.Changed, "#library-filter-input")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = event.value
        # A new filter puts the best match under the cursor, as the palette does.
        self._refilter(keep_selection=False)

    def _refilter(self, *, keep_selection: bool = True) -> None:
        keep = self.table.selected if keep_selection else None
        if len(self.entries) >= FILTER_IN_WORKER_FROM and self._query.strip():
            self._filter_in_worker(self._query, keep)
        else:
            self._show_view(self._filter.filter(self._query), keep, self._query)

    @work(thread=True, exclusive=True, group="library-filter", exit_on_error=False)
    def _filter_in_worker(self, query: str, keep: ThreadEntry | None) -> None:
        view = self._filter.filter(query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_view, view, keep, query)

    def _show_view(
        self, view: list[tuple[int, tuple[int, ...]]], keep: ThreadEntry | None, query: str
    ) -> None:
        if query != self._query:
            return
        self.table.set_view(view, keep)
        self._show_status()
        self.changed_signal.publish(self)

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
            return bool(self._query) or None
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

    def find_entry(self, path: Path | None) -> ThreadEntry | None:
        """The entry the list shows for the file at `path` (a bookmark's resolved path
        will do), else the selected one: where a list beside the reader starts."""
        selected = self.table.selected
        if path is None or (selected is not None and selected.path == path):
            return selected
        shown = [self.entries[index] for index, _offsets in self.table.view]
        for entry in shown:
            if entry.path == path:
                return entry
        wanted = _resolved(path)
        for entry in shown:
            if _resolved(entry.path) == wanted:
                return entry
        return selected

    def select_entry(self, entry: ThreadEntry | None) -> None:
        """Put the cursor on `entry` if the list shows it, so that coming back from a
        reader lands on the thread chosen beside it."""
        table = self.table
        if entry is None or table.selected is entry:
            return
        for row, (index, _offsets) in enumerate(table.view):
            if table.entries[index] is entry:
                table.move_to(row)
                return

    def open_selected(self) -> None:
        entry = self.table.selected
        if entry is None:
            return
        app: ThreadReaderApp = self.app  # type: ignore[assignment]
        app.open_thread(entry.path)

    def search_paths(self) -> list[Path]:
        """The files a library search looks in: every thread, including those whose
        titles are still being read."""
        if not self.scanning:
            return [entry.path for entry in self.entries]
        skipped = {item.path for item in self.skipped}
        return [c.path for c in self.candidates if c.path not in skipped]

    def action_search_library(self, query: str = "") -> None:
        from tui.ui.screens.library_search import LibrarySearchScreen

        screen = LibrarySearchScreen(self.search_paths(), repair=self.repair, query=query)
        self.app.push_screen(screen)
