"""The Textual application: a thin shell that pushes the reader screen.

The CLI parses arguments and reads the thread *before* this module takes the terminal,
so every bad input is a one-line error on a clean terminal, never a half-drawn screen.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.model import Thread
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.comment_list import CommentList
from tui.widgets.search_bar import SearchBar


class ThreadReaderApp(App[None]):
    """Reads one thread."""

    CSS_PATH = "app.tcss"
    TITLE = "threadread"

    BINDINGS = [  # noqa: RUF012
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        thread: Thread,
        *,
        search: str | None = None,
        clipboard_route: str = "auto",
        max_width: int = 100,
    ) -> None:
        super().__init__()
        self.thread = thread
        self.initial_search = search
        self.clipboard_route = clipboard_route
        self.max_width = max_width

    def on_mount(self) -> None:
        self.push_screen(
            ReaderScreen(self.thread, search=self.initial_search, max_width=self.max_width)
        )

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


def launch(args: argparse.Namespace) -> int:
    """Read the thread named on the command line, then run the app."""
    from tui.paths import sample_threads_dir
    from tui.reader import read_thread

    paths: list[Path] = list(args.paths)
    if not paths:
        samples = sorted(p for p in sample_threads_dir().iterdir() if p.is_file())
        paths = samples[:1]
    thread = read_thread(paths[0], repair=not args.raw)
    app = ThreadReaderApp(thread, search=args.search)
    app.run()
    return app.return_code or 0
