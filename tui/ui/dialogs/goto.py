"""The `:` prompt: type a comment number, press enter, land on it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.ui.keys import bindings


class GotoScreen(ModalScreen[int | None]):
    """Dismisses with the comment number, or None when cancelled."""

    DEFAULT_CSS = """
    GotoScreen { align: center bottom; background: $background 0%; }
    GotoScreen > Horizontal { height: 1; width: 100%; background: $panel; dock: bottom; }
    GotoScreen Static { width: auto; padding: 0 1; color: $accent; text-style: bold; }
    GotoScreen Input { border: none; height: 1; padding: 0; width: 1fr; background: $panel; }
    GotoScreen Input:focus { border: none; }
    """

    BINDINGS = bindings("goto")

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(":")
            yield Input(
                placeholder=f"comment number (1–{self.count})",
                restrict=r"#?[0-9]*",
                id="goto-input",
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        digits = event.value.lstrip("#")
        if not digits:
            self.dismiss(None)
            return
        self.dismiss(int(digits))

    def action_cancel(self) -> None:
        self.dismiss(None)
