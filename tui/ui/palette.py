"""The command palette's reader commands, read from the keymap table.

Each screen offers the actions of the sections active on it (`PALETTE_SECTIONS`),
each once, titled with its description and the keys it has now (the config file's
`[keys]` applied), and run on the widget, screen or app the row belongs to -- the
same place its key would reach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from tui.settings.keymap import KeyAction, does, section
from tui.ui.dialogs.help import key_label


def palette_sections(screen: Screen) -> tuple[str, ...]:
    """The keymap sections whose actions the palette offers over `screen`."""
    from tui.ui.screens.library import LibraryScreen
    from tui.ui.screens.library_search import LibrarySearchScreen
    from tui.ui.screens.reader import ReaderScreen

    if isinstance(screen, ReaderScreen):
        return ("comments", "reader", "search", "anywhere")
    if isinstance(screen, LibraryScreen):
        return ("library", "anywhere")
    if isinstance(screen, LibrarySearchScreen):
        return ("library-search", "anywhere")
    return ("anywhere",)


def target(screen: Screen, row: KeyAction) -> DOMNode:
    """Where a row's action runs on `screen`: where its binding lives."""
    from tui.ui.screens.reader import ReaderScreen

    if row.section == "anywhere":
        return screen.app
    if isinstance(screen, ReaderScreen):
        if row.section == "comments":
            return screen.comments
        if row.section == "search":
            return screen.search_bar
    return screen


def palette_rows(screen: Screen) -> Iterator[KeyAction]:
    """The rows offered over `screen`, each action once (the innermost row wins: on
    the library, ctrl+q quits, not `q`, which types)."""
    from tui.ui.screens.reader import ReaderScreen

    seen: set[str] = set()
    in_library = getattr(screen.app, "in_library", False)
    for section_id in palette_sections(screen):
        for row in section(section_id):
            if not row.palette or not row.description or does(row) in seen:
                continue
            if isinstance(screen, ReaderScreen) and row.id == "back" and not in_library:
                continue
            seen.add(does(row))
            yield row


class KeymapCommands(Provider):
    """Every action of the keymap table that the screen under the palette has."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        keymap = getattr(self.app, "settings", None)
        user_keys = keymap.keys if keymap is not None else {}
        commands = []
        for row in palette_rows(screen):
            keys = user_keys.get(row.id, row.keys)
            title = f"{row.description}  ({key_label(keys)})" if keys else row.description
            node = target(screen, row)
            # run_action is a coroutine: call_later runs it on the node's own queue.
            run = partial(node.call_later, node.run_action, row.action)
            commands.append((title, row.description, run))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
