"""A one-line question at the bottom of the screen: a bookmark's note, a file name.

Looks like the `:` prompt, so every question the reader asks is in the same place.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.ui.keys import bindings


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text typed (possibly empty) on enter, or None on escape."""

    DEFAULT_CSS = """
    PromptScreen { align: center bottom; background: $background 0%; }
    PromptScreen > Horizontal { height: 1; width: 100%; background: $panel; dock: bottom; }
    PromptScreen Static { width: auto; padding: 0 1; color: $accent; text-style: bold; }
    PromptScreen Input { border: none; height: 1; padding: 0; width: 1fr; background: $panel; }
    PromptScreen Input:focus { border: none; }
    """

    BINDINGS = bindings("prompt")

    def __init__(self, label: str, *, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.label = label
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Horizontal():
            # Content, not markup: the label may quote a note or a path.
            yield Static(Content(self.label), id="prompt-label")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        field = self.query_one("#prompt-input", Input)
        field.focus()
        field.action_end()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
