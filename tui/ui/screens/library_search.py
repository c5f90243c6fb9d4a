"""Search across every thread of the library, results streaming in as they are found.

The query follows the reader's rules (literal unless regex is on, smart case).  A
worker thread runs `tui.core.search.files` over the files and posts what it finds in
batches, a few times a second; each new keystroke (after a short pause) or `esc`
cancels the search under way.  `enter` on a result opens the thread at that comment
with the query in its search bar, so `n`/`N` go on from there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from tui.core.outline import display_text
from tui.core.search.files import FileResult, LineMatch, Query, search_files
from tui.core.search.query import SearchError, compile_query
from tui.ui import messages
from tui.ui.keys import bindings
from tui.ui.widgets.row_list import RowList, fit, highlighted

if TYPE_CHECKING:
    import re

    from tui.ui.app import ThreadReaderApp

# Typing pauses this long (seconds) before a search starts: searching 2,000 files
# for every keystroke of a word would only be cancelled again.
DEBOUNCE = 0.25
# Results reach the list at most this often (seconds).
POST_EVERY = 0.1
# Past this many matching lines the search stops: nobody reads more, and the query
# wants narrowing.
MAX_RESULTS = 10_000
# Hits taken from one thread (a half-typed regex can match everything).
MAX_HITS_PER_THREAD = 2_000
# Characters of context kept before the first match of a long line.
CONTEXT = 24


@dataclass(frozen=True, slots=True)
class Result:
    """One row of the list: a matching line of a thread."""

    path: Path
    title: str
    match: LineMatch


class ResultList(RowList):
    """Matching lines: comment number, thread title, the line with its matches."""

    empty_text = "Type to search every thread of the library."
    NUMBER_WIDTH = 7

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: list[Result] = []

    def clear(self, empty_text: str) -> None:
        self.results = []
        self.empty_text = empty_text
        self.set_row_count(0, 0)

    def add(self, results: Sequence[Result]) -> None:
        self.results.extend(results)
        self.set_row_count(len(self.results))

    @property
    def selected(self) -> Result | None:
        if 0 <= self.cursor < len(self.results):
            return self.results[self.cursor]
        return None

    def render_row(self, row: int, width: int, base: Style) -> list[Segment]:
        result = self.results[row]
        match = result.match
        number = f"#{match.comment}".rjust(self.NUMBER_WIDTH - 1) + " "
        title_width = max(10, min(40, width // 4))
        title = fit(display_text(result.title or result.path.name), title_width)
        title = title + " " * (title_width - cell_len(title))
        line = display_text(match.line)
        spans = match.spans
        start = 0
        if spans and spans[0][0] > CONTEXT:
            start = spans[0][0] - CONTEXT
        shown = line[start:]
        shifted = [(a - start, b - start) for a, b in spans if b > start]
        if start:
            shown = "…" + shown
            shifted = [(a + 1, b + 1) for a, b in shifted]
        muted = base + self.style_of("muted")
        return [
            Segment(number, base + self.style_of("number")),
            Segment(title, muted),
            Segment(" │ ", muted),
            *highlighted(shown, shifted, base, self.style_of("match")),
        ]


class LibrarySearchScreen(Screen[None]):
    """Find a comment in every thread of the library."""

    DEFAULT_CSS = """
    LibrarySearchScreen #library-search-bar { height: 1; background: $panel; }
    LibrarySearchScreen #library-search-bar > Static {
        width: auto; padding: 0 1; color: $text-muted;
    }
    LibrarySearchScreen #library-search-bar > #library-search-prompt {
        color: $accent; text-style: bold;
    }
    LibrarySearchScreen #library-search-bar > #library-search-mode.-regex {
        color: $accent; text-style: bold;
    }
    LibrarySearchScreen #library-search-bar > Input {
        width: 1fr; height: 1; border: none; padding: 0; background: $panel;
    }
    LibrarySearchScreen #library-search-bar > Input:focus { border: none; }
    LibrarySearchScreen #library-search-status { height: 1; background: $panel; }
    LibrarySearchScreen #library-search-status > Static {
        width: 1fr; padding: 0 1; color: $text-muted;
    }
    LibrarySearchScreen #library-search-status > Static.-error { color: $error; }
    LibrarySearchScreen #library-search-status > ProgressBar { width: auto; padding: 0 1; }
    LibrarySearchScreen #library-search-status > ProgressBar.-idle { display: none; }
    """

    BINDINGS: ClassVar[list[Binding]] = bindings("library-search")

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        repair: bool = True,
        query: str = "",
        regex: bool = False,
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.repair = repair
        self.initial_query = query
        self.regex = regex
        self.running = False
        self.searched = 0
        self.matches = 0
        self.threads = 0
        self.errors = 0
        # The query and mode the results on screen belong to.
        self.shown_query: tuple[str, bool] | None = None
        self._cancel = threading.Event()
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="library-search-bar"):
            yield Static("Search all", id="library-search-prompt")
            yield Input(
                value=self.initial_query,
                placeholder="search every thread (smart case)",
                id="library-search-input",
            )
            yield Static("literal", id="library-search-mode")
        yield ResultList(id="library-search-results")
        with Horizontal(id="library-search-status"):
            yield Static("", id="library-search-text")
            yield ProgressBar(
                total=max(1, len(self.paths)),
                show_eta=False,
                id="library-search-progress",
                classes="-idle",
            )
        yield Footer()

    @property
    def results(self) -> ResultList:
        return self.query_one("#library-search-results", ResultList)

    @property
    def input(self) -> Input:
        return self.query_one("#library-search-input", Input)

    @property
    def query_text(self) -> str:
        return self.input.value

    def on_mount(self) -> None:
        self.title = "threadread"
        self.sub_title = f"search {len(self.paths):,} threads"
        self._show_mode()
        self.input.focus()
        if self.initial_query:
            self.start_search()
        else:
            self._status("")

    def on_unmount(self) -> None:
        self._cancel.set()

    # -- status -------------------------------------------------------------------------

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#library-search-text", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    def _show_progress(self) -> None:
        total = len(self.paths)
        lines = len(self.results.results)
        found = f"{self.matches:,} match{'es' if self.matches != 1 else ''}"
        found += f" in {self.threads:,} thread{'s' if self.threads != 1 else ''}"
        if lines < self.matches:
            found += f" ({lines:,} lines)"
        if self.running:
            text = f"{found} · searched {self.searched:,}/{total:,}"
        elif self.searched < total:
            text = f"{found} · stopped after {self.searched:,} of {total:,} threads"
            if lines >= MAX_RESULTS:
                text += f" (first {MAX_RESULTS:,} lines: narrow the query)"
        else:
            text = f"{found} · searched all {total:,} threads"
        if self.errors:
            text += f" · {self.errors:,} unreadable"
        self._status(text)
        progress = self.query_one("#library-search-progress", ProgressBar)
        progress.update(progress=self.searched)
        progress.set_class(not self.running, "-idle")

    def _show_mode(self) -> None:
        mode = self.query_one("#library-search-mode", Static)
        mode.update(Content("regex" if self.regex else "literal"))
        mode.set_class(self.regex, "-regex")

    # -- running a search ---------------------------------------------------------------

    @on(Input.Changed, "#library-search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.start_search)

    def start_search(self) -> None:
        """Search for what is in the box now, cancelling any search under way."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text, regex = self.query_text, self.regex
        if self.shown_query == (text, regex) and (self.running or self.searched):
            return
        self.stop_search()
        self.shown_query = (text, regex)
        self.searched = self.matches = self.threads = self.errors = 0
        try:
            pattern = compile_query(text, regex=regex)
        except SearchError as error:
            self.results.clear("Fix the pattern to search.")
            self._status(str(error), error=True)
            return
        if pattern is None:
            self.shown_query = None
            self.results.clear(ResultList.empty_text)
            self._status("")
            return
        self.results.clear("Searching…")
        self._cancel = threading.Event()
        self.running = True
        self._show_progress()
        self._search(pattern, self._cancel)

    def stop_search(self) -> None:
        self._cancel.set()
        if self.running:
            self.running = False
            self._show_progress()

    @work(thread=True, exclusive=True, group="library-search", exit_on_error=False)
    def _search(self, pattern: re.Pattern[str], cancel: threading.Event) -> None:
        worker = get_current_worker()
        query = Query(pattern, repair=self.repair, limit=MAX_HITS_PER_THREAD)
        batch: list[FileResult] = []
        searched = 0
        last = time.monotonic()
        for result in search_files(self.paths, query, cancel=cancel):
            if worker.is_cancelled or cancel.is_set():
                return
            searched += 1
            if result.lines or result.error:
                batch.append(result)
            now = time.monotonic()
            if now - last >= POST_EVERY:
                self.post_message(messages.FilesSearched(batch, searched, cancel))
                batch = []
                last = now
        if not worker.is_cancelled:
            self.post_message(messages.FilesSearched(batch, searched, cancel, finished=True))

    def on_files_searched(self, message: messages.FilesSearched) -> None:
        self._add_results(message.batch, message.searched, message.cancel, message.finished)

    def _add_results(
        self,
        batch: list[FileResult],
        searched: int,
        cancel: threading.Event,
        finished: bool = False,
    ) -> None:
        if cancel is not self._cancel or cancel.is_set():
            return
        rows: list[Result] = []
        room = MAX_RESULTS - len(self.results.results)
        for result in batch:
            if result.error is not None:
                self.errors += 1
                continue
            self.threads += 1
            self.matches += result.matches
            title = result.title or result.path.name
            rows.extend(Result(result.path, title, line) for line in result.lines)
        self.searched = searched
        if len(rows) >= room:
            rows = rows[:room]
            finished = True
            cancel.set()
        if rows:
            first = not self.results.results
            self.results.add(rows)
            if first:
                self.results.move_to(0)
        if finished:
            self.running = False
            if not self.results.results:
                self.results.clear("No matches.")
        self._show_progress()

    # -- keys ---------------------------------------------------------------------------

    @on(Input.Submitted, "#library-search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.shown_query != (self.query_text, self.regex) or self._timer is not None:
            self.start_search()
            return
        self.open_selected()

    @on(RowList.Selected)
    def _selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.open_selected()

    def open_selected(self) -> None:
        result = self.results.selected
        if result is None:
            return
        text, regex = self.shown_query or (self.query_text, self.regex)
        app: ThreadReaderApp = self.app  # type: ignore[assignment]
        app.open_thread(result.path, search=text, regex=regex, comment=result.match.comment)

    def action_cancel(self) -> None:
        """Stop the search under way; with none under way, go back to the list."""
        if self.running:
            self.stop_search()
            return
        self.stop_search()
        self.dismiss()

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex
        self._show_mode()
        self.start_search()

    def action_list(self, action: str) -> None:
        getattr(self.results, f"action_{action}")()

    def action_type(self, character: str) -> None:
        field = self.input
        field.focus()
        field.insert_text_at_cursor(character)

    def on_key(self, event: events.Key) -> None:
        """Typing while the results have focus goes to the query."""
        if event.is_printable and event.character and self.focused is self.results:
            event.stop()
            event.prevent_default()
            self.action_type(event.character)
