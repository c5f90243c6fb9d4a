"""The `?` help screen: every key the reader knows, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.keys import bindings


def key_label(keys: str) -> str:
    """`j,down` -> `j / ↓`, using Textual's own key display names."""
    from textual.keys import format_key

    return " / ".join(format_key(key.strip()) for key in keys.split(","))


def help_table(sections: Iterable[tuple[str, Iterable[Binding]]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for title, rows in sections:
        table.add_row(Text(""), Text(""))
        table.add_row(Text(""), Text(title, style="bold underline"))
        seen: set[str] = set()
        for binding in rows:
            if binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            table.add_row(Text(key_label(binding.key)), Text(binding.description))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72;
        max-width: 95%;
        height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 2;
    }
    """

    BINDINGS = bindings("help")

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "threadread keys"
            yield Static(help_table(self.sections), id="help-table")
