"""The bookmarks of every thread in one list (`'`): enter goes there, d deletes.

The list is read in a worker (the store may be busy) and deletions are queued, so the
screen never waits for the database.  Titles, notes and excerpts are untrusted text:
they reach the screen as `Content` (never markup), their control characters as
symbols.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.outline import display_text
from tui.core.quoting import short_title
from tui.state.records import Bookmark
from tui.ui.dialogs.list_dialog import ListDialog
from tui.ui.keys import bindings

if TYPE_CHECKING:
    from tui.state.queue import StateQueue

NOTE_LIMIT = 120
EXCERPT_LIMIT = 160


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bookmark_prompt(mark: Bookmark) -> Content:
    """One bookmark as the list shows it: where, the note, the start of the comment."""
    where = "article" if mark.number == 0 else f"#{mark.number}"
    title = display_text(short_title(mark.title, 60) or "(untitled thread)")
    parts: list[str | tuple[str, str]] = [(title, "bold"), "  ", (where, "$accent bold")]
    if mark.author:
        parts += ["  ", (display_text(_cut(mark.author, 40)), "$text-secondary")]
    if mark.path is None:
        parts += ["  ", ("file unknown", "$text-error")]
    if mark.note:
        parts += ["\n", (display_text(_cut(mark.note, NOTE_LIMIT)), "italic")]
    if mark.excerpt:
        parts += ["\n", (display_text(_cut(mark.excerpt, EXCERPT_LIMIT)), "$text-muted")]
    return Content.assemble(*parts)


class BookmarksScreen(ListDialog[Bookmark | None]):
    """Dismisses with the bookmark to go to, or None."""

    BINDINGS: ClassVar[list[Binding]] = bindings("bookmarks")

    def __init__(self, queue: StateQueue) -> None:
        super().__init__()
        self.queue = queue
        self.marks: list[Bookmark] = []
        self.deleted: list[Bookmark] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Bookmarks"
            yield OptionList(id="bookmarks-list")
            yield Static(
                Content("enter: go there · d: delete · esc: close"),
                id="bookmarks-hint",
                classes="dialog-hint",
            )

    @property
    def options(self) -> OptionList:
        return self.query_one("#bookmarks-list", OptionList)

    def on_mount(self) -> None:
        self.options.focus()
        self.options.set_options([Option(Content("Reading bookmarks…"), disabled=True)])
        self.queue.submit(lambda store: store.bookmarks(), self._loaded)

    def _loaded(self, marks: list[Bookmark]) -> None:
        if not self.is_attached:
            return
        self.marks = marks
        self._show()

    def _show(self, highlight: int = 0) -> None:
        options = self.options
        if not self.marks:
            empty = "No bookmarks yet: press m on a comment to add one."
            options.set_options([Option(Content(empty), disabled=True)])
            return
        options.set_options([Option(bookmark_prompt(mark), id=str(mark.id)) for mark in self.marks])
        options.highlighted = max(0, min(highlight, len(self.marks) - 1))

    @on(OptionList.OptionSelected, "#bookmarks-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.marks):
            self.dismiss(self.marks[event.option_index])

    def action_go(self) -> None:
        index = self.options.highlighted
        if index is not None and 0 <= index < len(self.marks):
            self.dismiss(self.marks[index])

    def action_delete(self) -> None:
        index = self.options.highlighted
        if index is None or not 0 <= index < len(self.marks):
            return
        mark = self.marks.pop(index)
        self.deleted.append(mark)
        self.queue.submit(lambda store: store.remove_bookmark(mark.id))
        self._show(index)
        where = "the article" if mark.number == 0 else f"#{mark.number}"
        self.notify(f"Bookmark on {where} deleted", timeout=2, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
