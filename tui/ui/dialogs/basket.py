"""The quote basket (ctrl+b): quotes gathered across threads, to reorder, prune, and take
away as one Markdown document, by the clipboard or into a file.

The screen keeps its own copy of the list and changes it at once; the store follows
through the app's `StateQueue`, which applies the moves in the order they were made.
Quote text and attributions are untrusted: shown as `Content`, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.outline import display_text
from tui.core.quoting import basket_markdown
from tui.state.records import QuoteItem
from tui.state.store import StateStore
from tui.ui import clipboard
from tui.ui.dialogs.list_dialog import ListDialog
from tui.ui.dialogs.prompt import PromptScreen
from tui.ui.keys import bindings

if TYPE_CHECKING:
    from tui.ui.services import Services

DEFAULT_FILE = "~/threadread-quotes.md"
QUOTE_LIMIT = 240


def quote_prompt(position: int, item: QuoteItem) -> Content:
    """One quote as the list shows it: its place, its attribution, its first words."""
    attribution = " ".join(item.attribution.split()).removeprefix("— ")
    attribution = attribution or item.title or "(no attribution)"
    text = " ".join(item.text.split())
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1] + "…"
    return Content.assemble(
        (f"{position}. ", "$accent bold"),
        (display_text(attribution), "bold"),
        "\n",
        (display_text(text), "$text-muted"),
    )


class BasketScreen(ListDialog[None]):
    """The basket, in the order the Markdown document will have."""

    BINDINGS: ClassVar[list[Binding]] = bindings("basket")

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.queue = services.state_queue
        self.clipboard_route = services.clipboard_route
        self.items: list[QuoteItem] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Quote basket"
            yield OptionList(id="basket-list")
            yield Static(
                Content("J/K: move · d: remove · y: copy all · s: save · esc: close"),
                id="basket-hint",
                classes="dialog-hint",
            )

    @property
    def options(self) -> OptionList:
        return self.query_one("#basket-list", OptionList)

    def on_mount(self) -> None:
        self.options.focus()
        self.options.set_options([Option(Content("Reading the basket…"), disabled=True)])
        self.queue.submit(lambda store: store.quotes(), self._loaded)

    def _loaded(self, items: list[QuoteItem]) -> None:
        if not self.is_attached:
            return
        self.items = items
        self.loaded = True
        self._show()

    def _show(self, highlight: int = 0) -> None:
        options = self.options
        if not self.items:
            empty = "The basket is empty: press A (shift+a) on a post to add it."
            options.set_options([Option(Content(empty), disabled=True)])
            return
        options.set_options(
            [Option(quote_prompt(i, item), id=str(item.id)) for i, item in enumerate(self.items, 1)]
        )
        options.highlighted = max(0, min(highlight, len(self.items) - 1))

    def _current(self) -> int | None:
        index = self.options.highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return index

    def action_move(self, delta: int) -> None:
        index = self._current()
        if index is None:
            return
        target = max(0, min(len(self.items) - 1, index + delta))
        if target == index:
            return
        item = self.items.pop(index)
        self.items.insert(target, item)
        self.queue.submit(lambda store: store.move_quote(item.id, delta))
        self._show(target)

    def action_remove(self) -> None:
        index = self._current()
        if index is None:
            return
        item = self.items.pop(index)
        self.queue.submit(lambda store: store.remove_quote(item.id))
        self._show(index)
        self.notify("Quote removed from the basket", timeout=2)

    def action_copy(self) -> None:
        """y: the whole basket as one Markdown document, each quote attributed."""
        if not self.items:
            self.notify("The basket is empty: nothing to copy", severity="warning")
            return
        count = len(self.items)
        result = clipboard.copy(
            basket_markdown(self.items),
            route=self.clipboard_route,
            osc52=self.app.copy_to_clipboard,
            what=f"the basket ({count:,} quote{'s' if count != 1 else ''})",
        )
        self.notify(result.message, severity="information" if result.ok else "error", markup=False)

    def action_save(self) -> None:
        """s: write the basket as Markdown to a file named at the prompt."""
        if not self.items:
            self.notify("The basket is empty: nothing to save", severity="warning")
            return
        prompt = PromptScreen("Save the basket to:", value=DEFAULT_FILE, placeholder="a file name")
        self.app.push_screen(prompt, self._save_to)

    def _save_to(self, name: str | None) -> None:
        if name is None or not name.strip():
            return
        target = Path(name.strip())  # save_basket expands ~ (and reports ~nosuchuser)
        app = self.app

        def work(store: StateStore) -> tuple[int, str | None]:
            try:
                return store.save_basket(target), None
            except OSError as error:
                return 0, error.strerror or str(error)

        def saved(result: tuple[int, str | None]) -> None:
            count, problem = result
            if problem is not None:
                app.notify(
                    f"The basket was not saved: {problem}",
                    title=str(target),
                    severity="error",
                    markup=False,
                )
                return
            quotes = f"{count:,} quote{'s' if count != 1 else ''}"
            app.notify(f"Saved {quotes} to {target}", timeout=6, markup=False)

        self.queue.submit(work, saved)

    def action_close(self) -> None:
        self.dismiss(None)
