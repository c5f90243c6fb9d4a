"""The keymap table drives the app: bindings, conflicts reported, the command palette."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pilot_helpers import settle
from textual.binding import Binding
from textual.dom import DOMNode

from tui.settings.keymap import BY_ID
from tui.ui.app import ThreadReaderApp
from tui.ui.factory import make_app
from tui.ui.palette import KeymapCommands
from tui.ui.screens.reader import ReaderScreen

SIZE = (100, 30)


def _classes() -> list[type]:
    import importlib
    import pkgutil

    import tui.ui.dialogs
    import tui.ui.screens
    import tui.ui.widgets

    for package in (tui.ui.screens, tui.ui.dialogs, tui.ui.widgets):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    found, pending = [], [DOMNode]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("tui."):
                found.append(sub)
    return found


def test_every_binding_with_an_id_is_a_row_of_the_table() -> None:
    for cls in _classes():
        for item in cls.__dict__.get("BINDINGS", []):
            assert isinstance(item, Binding), cls
            row = BY_ID.get(item.id or "")
            assert row is not None, f"{cls.__name__}: {item.key} has no row in the keymap"
            assert (item.key, item.action, item.description) == (
                row.keys,
                row.action,
                row.description,
            )


async def test_a_key_bound_twice_is_a_notice_in_the_app(
    seed_path: Path, isolated_config: Path
) -> None:
    isolated_config.write_text('[keys]\nnext = "n,down"\n', encoding="utf-8")
    app = make_app(seed_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(
            '"n" is bound to both next (Comments) and next-match (Reader); next wins' in m
            for m in messages
        ), messages
        # What the notice says is what happens: n moves to the next comment.
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("n")
        assert reader.comments.focused == 2


async def _titles(app: ThreadReaderApp) -> dict[str, object]:
    provider = KeymapCommands(app.screen)
    return {str(hit.text): hit.command async for hit in provider.discover()}


async def test_the_palette_lists_each_reader_action_once_with_its_key(
    seed_path: Path, isolated_config: Path
) -> None:
    isolated_config.write_text('[keys]\nnext-match = "ctrl+n,n"\n', encoding="utf-8")
    app = make_app(seed_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = KeymapCommands(app.screen)
        titles = [str(hit.text) async for hit in provider.discover()]
        assert len(titles) == len(set(titles)), Counter(titles).most_common(3)
        assert "Next match  (ctrl+n / n)" in titles
        assert "Next  (j / ↓)" in titles and "Quit  (q)" in titles
        assert "Copy the whole article as a quote" in titles
        # No key twice in one title, and no Textual "Quit" beside the reader's.
        for title in titles:
            keys = title.rpartition("  (")[2]
            assert title.count(keys) == 1, title
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quit" not in system and "Theme" in system


async def test_a_palette_command_runs_where_its_key_would(seed_path: Path) -> None:
    app = make_app(seed_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        commands = await _titles(app)
        commands["Next  (j / ↓)"]()  # the comment list's action
        await pilot.pause()
        assert reader.comments.focused == 2
        commands["Search  (/)"]()  # the reader's
        await pilot.pause()
        assert reader.search_bar.display
        commands = await _titles(app)
        commands["Close search  (esc)"]()  # the search bar's
        await pilot.pause()
        assert not reader.search_bar.display
        commands["Help  (? / f1)"]()  # the app's
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
