"""The Textual application: a thin shell that pushes the reader screen.

The CLI parses arguments and reads the thread *before* this module takes the terminal,
so every bad input is a one-line error on a clean terminal, never a half-drawn screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.config import Settings
from tui.model import Thread
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.comment_list import CommentList
from tui.widgets.search_bar import SearchBar


class ThreadReaderApp(App[None]):
    """Reads one thread, or a library of them."""

    CSS_PATH = "app.tcss"
    TITLE = "threadread"

    BINDINGS = [  # noqa: RUF012
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        thread: Thread | None = None,
        *,
        library: Sequence[Path] | None = None,
        search: str | None = None,
        settings: Settings | None = None,
        clipboard_route: str | None = None,
        notices: Sequence[str] = (),
        repair: bool = True,
    ) -> None:
        super().__init__()
        self.thread = thread
        self.library = None if library is None else list(library)
        self.initial_search = search
        self.settings = settings or Settings()
        self.clipboard_route = clipboard_route or self.settings.clipboard
        self.startup_notices = list(notices)
        self.repair = repair
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))

    @property
    def max_width(self) -> int:
        return self.settings.max_width

    def on_mount(self) -> None:
        for notice in self.startup_notices:
            self.notify(notice, severity="warning", timeout=12)
        if self.library is not None:
            from tui.screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.library))
        if self.thread is not None:
            self.push_screen(self.reader_screen(self.thread, search=self.initial_search))

    def reader_screen(
        self,
        thread: Thread,
        *,
        search: str | None = None,
        regex: bool = False,
        comment: int | None = None,
    ) -> ReaderScreen:
        return ReaderScreen(
            thread,
            search=search,
            regex=regex,
            comment=comment,
            max_width=self.settings.max_width,
            article_folded=self.settings.article_folded,
            comments_folded=self.settings.comments_folded,
        )

    def open_thread(
        self,
        path: Path,
        *,
        search: str | None = None,
        regex: bool = False,
        comment: int | None = None,
    ) -> bool:
        """Open a thread from the library in the reader, optionally at a comment and
        with a search active; a file that cannot be read is a notice, not a crash."""
        from tui.errors import ThreadError
        from tui.reader import read_thread

        try:
            thread = read_thread(path, repair=self.repair)
        except ThreadError as error:
            self.notify(error.reason, title=str(path), severity="error")
            return False
        self.push_screen(self.reader_screen(thread, search=search, regex=regex, comment=comment))
        return True

    @property
    def in_library(self) -> bool:
        """Whether a reader screen was opened from the library (and can go back)."""
        return self.library is not None and len(self.screen_stack) > 2

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        def bindings(owner: type) -> list[Binding]:
            return [b for b in owner.BINDINGS if isinstance(b, Binding)]

        return [
            ("Comments", bindings(CommentList)),
            ("Reader", bindings(ReaderScreen) + bindings(ThreadReaderApp)),
            ("Search bar", bindings(SearchBar)),
            ("Article pane", bindings(ArticleView)),
        ]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every reader action in the command palette, with its key."""
        yield from super().get_system_commands(screen)
        reader = screen if isinstance(screen, ReaderScreen) else None
        if reader is None:
            return
        from tui.screens.help import key_label

        seen: set[str] = set()
        for title, owner_bindings in self.help_sections():
            if title == "Article pane":
                continue
            for binding in owner_bindings:
                if binding.action in seen or not binding.description:
                    continue
                seen.add(binding.action)
                target = {"Comments": "comments", "Search bar": "search"}.get(title, "reader")
                yield SystemCommand(
                    f"{binding.description}  ({key_label(binding.key)})",
                    f"{title}: {binding.description.lower()}",
                    self._runner(reader, target, binding.action),
                )
        yield SystemCommand(
            "Copy the whole article as a quote",
            "Reader: the article with its attribution, to the clipboard",
            reader.copy_article,
        )

    def _runner(self, reader: ReaderScreen, target: str, action: str):
        async def run() -> None:
            if target == "comments":
                await reader.comments.run_action(action)
            elif target == "search":
                await reader.search_bar.run_action(action)
            elif action in {"quit", "help"}:
                await self.run_action(action)
            else:
                await reader.run_action(action)

        return run
