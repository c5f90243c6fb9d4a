"""The ctrl+t theme picker: every theme, previewed live as the highlight moves.

The list sits at the side over an undimmed reader, so the preview is the real screen
in the real theme.  Enter keeps the highlighted theme, escape puts the old one back.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.settings.themes import ThemeEntry
from tui.ui.keys import bindings


def theme_label(entry: ThemeEntry) -> Text:
    """An entry's two lines: name with kind and source, then its description.

    Built as `Text`, never markup: a user theme's description is the user's text.
    """
    source = "user, replaces bundled" if entry.replaces_bundled else entry.source
    label = Text(entry.name, style="bold")
    label.append(f"  {entry.kind} · {source}", style="dim")
    if entry.description:
        label.append("\n" + entry.description, style="italic")
    return label


class ThemePicker(ModalScreen[str | None]):
    """Dismisses with the chosen theme's name, or None when cancelled."""

    DEFAULT_CSS = """
    ThemePicker {
        align: right top;
        background: transparent;
    }
    ThemePicker > Vertical {
        width: 52;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        margin: 1 1 0 0;
        border: round $accent;
        background: $panel;
    }
    ThemePicker OptionList {
        height: auto;
        max-height: 30;
        border: none;
        background: $panel;
        padding: 0;
    }
    ThemePicker OptionList:focus { border: none; }
    ThemePicker #theme-hint { color: $text-muted; padding: 0 1; }
    """

    BINDINGS = bindings("theme-picker")

    def __init__(self, entries: Sequence[ThemeEntry], current: str, *, no_color: bool = False):
        super().__init__()
        self.entries = list(entries)
        self.original = current
        self.no_color = no_color

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Theme"
            yield OptionList(
                *(Option(theme_label(entry), id=entry.name) for entry in self.entries),
                id="theme-list",
            )
            hint = "enter keeps it · esc puts the old one back"
            if self.no_color:
                hint += " · NO_COLOR is set: colours show as grey"
            yield Static(Text(hint), id="theme-hint")

    @property
    def options(self) -> OptionList:
        return self.query_one("#theme-list", OptionList)

    def on_mount(self) -> None:
        names = [entry.name for entry in self.entries]
        if self.original in names:
            self.options.highlighted = names.index(self.original)
        self.options.focus()

    @on(OptionList.OptionHighlighted, "#theme-list")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id
        if name is not None and name != self.app.theme:
            self.app.theme = name

    @on(OptionList.OptionSelected, "#theme-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        if name is not None:
            self.app.theme = name
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.app.theme = self.original
        self.dismiss(None)
