"""The search bar docked at the bottom of the reader.

It only collects the query and shows the count; the screen runs the search and moves
the focus.  Messages go up, state comes down.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from tui.ui.keys import bindings


class SearchBar(Horizontal):
    """`/` opens it; typing searches as you go; enter/shift+enter step through hits."""

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        display: none;
        background: $panel;
    }
    SearchBar.-open { display: block; }
    SearchBar > #search-prompt { width: auto; padding: 0 1; color: $accent; text-style: bold; }
    SearchBar > Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
        background: $panel;
    }
    SearchBar > Input:focus { border: none; background: $panel; }
    SearchBar > #search-status { width: auto; padding: 0 1; color: $text-muted; }
    SearchBar > #search-status.-error { color: $error; }
    SearchBar > #search-mode { width: auto; padding: 0 1; color: $text-muted; }
    SearchBar > #search-mode.-regex { color: $accent; text-style: bold; }
    """

    BINDINGS = bindings("search")

    regex: reactive[bool] = reactive(False)

    @dataclass
    class Changed(Message):
        """The query or the regex toggle changed."""

        query: str
        regex: bool

    @dataclass
    class Step(Message):
        """Go to the next (forward=True) or previous match."""

        forward: bool

    @dataclass
    class Closed(Message):
        """The bar was closed; highlights stay until the next search."""

    def compose(self) -> ComposeResult:
        yield Static("/", id="search-prompt")
        yield Input(placeholder="search (smart case)", id="search-input")
        yield Static("", id="search-status")
        yield Static("literal", id="search-mode")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def query_text(self) -> str:
        return self.input.value

    def open(self, text: str | None = None) -> None:
        self.add_class("-open")
        if text is not None:
            self.input.value = text
        # Focused now, not after the messages already queued (`focus()` waits for
        # them): a query typed in one burst right after `/`, as a busy reader
        # receives keys, must go to the bar rather than to the comments.
        self.screen.set_focus(self.input)
        self.input.action_end()

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        # The status is sized to its text: a new layout only when the width changes,
        # which keeps a search on a big thread from re-laying out the whole screen.
        previous = str(status.content)
        status.update(Content(text), layout=len(previous) != len(text))
        status.set_class(error, "-error")

    def watch_regex(self, regex: bool) -> None:
        mode = self.query_one("#search-mode", Static)
        mode.update(Content("regex" if regex else "literal"))
        mode.set_class(regex, "-regex")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value, self.regex))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(True))

    def action_next(self) -> None:
        self.post_message(self.Step(True))

    def action_previous(self) -> None:
        self.post_message(self.Step(False))

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex
        self.post_message(self.Changed(self.query_text, self.regex))

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())
