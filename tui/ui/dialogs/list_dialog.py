"""The centred box the bookmarks and the quote basket share: a list and a hint line."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class ListDialog(ModalScreen[ResultType]):
    """A modal box, 100 columns at most, holding an OptionList and, under it, a line of
    keys (a widget with the class `dialog-hint`)."""

    DEFAULT_CSS = """
    ListDialog { align: center middle; }
    ListDialog > Vertical {
        width: 100;
        max-width: 95%;
        height: 80%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ListDialog OptionList, ListDialog OptionList:focus {
        height: 1fr;
        border: none;
        background: $surface;
    }
    ListDialog .dialog-hint { height: 1; color: $text-muted; }
    """
