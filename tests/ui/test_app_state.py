"""Pilot tests for the reading state in the app: resume, new comments, bookmarks, live
reload, the quote basket, a damaged database and `--no-state`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sqlite3
from pathlib import Path

import pyperclip
import pytest
from pilot_helpers import comment, settle
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.selection import Selection

from tui.cli import main_parser
from tui.core.formats.detect import read_thread
from tui.core.quoting import basket_markdown
from tui.state.store import StateStore
from tui.ui.app import ThreadReaderApp
from tui.ui.dialogs.basket import BasketScreen
from tui.ui.dialogs.bookmarks import BookmarksScreen
from tui.ui.launch import launch, open_state
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.reader import ReaderScreen

NBSP_LINE = "\n\u00a0\n"
SIZE = (100, 30)


def write_seed(path: Path, title: str, comments: list[str]) -> Path:
    """A plain-text thread as scrapers write it: article, then NBSP-separated posts."""
    path.write_text(NBSP_LINE.join([f"{title}\n\nThe article.", *comments]), encoding="utf-8")
    return path


def posts(count: int, start: int = 1) -> list[str]:
    return [f"Comment {n} on the bus routes." for n in range(start, start + count)]


@pytest.fixture
def nested_path(tmp_path: Path) -> Path:
    """1 (2 (3, 4), 5), 6, 7 (8)"""
    doc = {
        "format": "threadread/1",
        "title": "Nested",
        "article": "First paragraph.\n\nSecond paragraph.",
        "comments": [
            comment(
                "one",
                "ann",
                [
                    comment("two", "bob", [comment("three", "x"), comment("four", "y")]),
                    comment("five", "z"),
                ],
            ),
            comment("six", "cy"),
            comment("seven", "dee", [comment("eight", "eve")]),
        ],
    }
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@contextlib.contextmanager
def opened(path: Path):
    store, notices = StateStore.open(path)
    assert notices == []
    try:
        yield store
    finally:
        store.close()


def reader(app: ThreadReaderApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


def messages(app: ThreadReaderApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def header(screen: ReaderScreen, number: int) -> str:
    comments = screen.comments
    comments.set_focus_to(comments.focused)
    start, _ = comments.item_region(number)
    return comments.render_line(start - int(comments.scroll_y)).text


# -- resume -------------------------------------------------------------------------------


async def test_reopening_puts_the_focus_and_folds_back(
    nested_path: Path, isolated_state: Path
) -> None:
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(nested_path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            # Fold #2 (and with it 3 and 4), go on to #6, fold the article pane.
            await pilot.press("j", "enter", "j", "j", "a")
            screen = reader(app)
            assert screen.comments.focused == 6
            await pilot.press("q")
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(nested_path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = reader(app)
            assert screen.comments.focused == 6
            assert screen.comments.folded == {2}
            assert screen.article_folded


async def test_resume_finds_the_comment_when_numbers_have_moved(
    nested_path: Path, isolated_state: Path
) -> None:
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(nested_path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("right_square_bracket")
            assert reader(app).comments.focused == 6
    # A reply inserted under #1 shifts "six" to #7.
    doc = json.loads(nested_path.read_text(encoding="utf-8"))
    doc["comments"][0]["replies"].append(comment("a late reply", "fay"))
    nested_path.write_text(json.dumps(doc), encoding="utf-8")
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(nested_path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = reader(app)
            assert screen.comments.focused == 7
            assert screen.thread.tree.get(7).text == "six"
            assert screen.comments.new == {6}


# -- new comments ---------------------------------------------------------------------------


async def test_new_comments_are_marked_counted_and_reached_with_dot(
    tmp_path: Path, isolated_state: Path
) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    path = write_seed(shelf / "buses.txt", "Bus routes", posts(3))
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("full_stop")
            assert "No new comments" in messages(app)
    write_seed(path, "Bus routes", posts(5))
    with opened(isolated_state) as store:
        app = ThreadReaderApp(library=[shelf], state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            library = app.screen
            assert isinstance(library, LibraryScreen)
            row = library.table.render_line(1).text
            assert "Bus routes" in row and "2 new" in row
            await pilot.press("enter")
            await settle(pilot)
            screen = reader(app)
            assert screen.comments.new == {4, 5}
            assert " new " in header(screen, 4)
            assert " new " not in header(screen, 3)
            assert any("2 new comments since your last visit" in m for m in messages(app))
            await pilot.press("full_stop")
            assert screen.comments.focused == 4
            await pilot.press("full_stop")
            assert screen.comments.focused == 5
            await pilot.press("full_stop")
            assert screen.comments.focused == 4
            assert "Back to the first new comment" in messages(app)
            # Both were on screen: back in the list, nothing is new any more.
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is library
            assert "new" not in library.table.render_line(1).text
    with opened(isolated_state) as store:
        thread_id = store.thread_id_for(read_thread(path))
        assert store.new_count(thread_id) == 0


# -- bookmarks ------------------------------------------------------------------------------


async def test_bookmarks_across_two_threads(tmp_path: Path, isolated_state: Path) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    write_seed(shelf / "a.txt", "Alpha thread", posts(4))
    write_seed(shelf / "b.txt", "Beta thread", posts(4, start=10))
    with opened(isolated_state) as store:
        app = ThreadReaderApp(library=[shelf], state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert reader(app).thread.title == "Alpha thread"
            await pilot.press("j", "j", "m", *"the [b]third[/b] one", "enter")
            await settle(pilot)
            screen = reader(app)
            assert screen.comments.bookmarks == {3}
            assert "★" in header(screen, 3)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("down", "enter")
            await settle(pilot)
            assert reader(app).thread.title == "Beta thread"
            await pilot.press("m", "enter")
            await settle(pilot)

            await pilot.press("apostrophe")
            await settle(pilot)
            marks = app.screen
            assert isinstance(marks, BookmarksScreen)
            assert [(m.title, m.number, m.note) for m in marks.marks] == [
                ("Beta thread", 1, ""),
                ("Alpha thread", 3, "the [b]third[/b] one"),
            ]
            # The note is shown as typed, never as markup.
            assert "the [b]third[/b] one" in str(marks.options.get_option_at_index(1).prompt)
            await pilot.press("down", "enter")
            await settle(pilot)
            screen = reader(app)
            assert screen.thread.title == "Alpha thread"
            assert screen.comments.focused == 3
            # The jump replaced the reader: back still goes to the library.
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)

            await pilot.press("apostrophe")
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert [m.title for m in app.screen.marks] == ["Alpha thread"]
            await pilot.press("escape")
    with opened(isolated_state) as store:
        assert [(m.title, m.number) for m in store.bookmarks()] == [("Alpha thread", 3)]


async def test_a_bookmark_in_the_open_thread_is_a_jump_in_place(
    nested_path: Path, isolated_state: Path
) -> None:
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(nested_path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("G", "m", "enter", "g")
            await settle(pilot)
            screen = reader(app)
            assert screen.comments.focused == 1
            await pilot.press("apostrophe")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            assert screen.comments.focused == 8
            # Each list leads to the other, though a modal screen hides the app's keys.
            await pilot.press("ctrl+b")
            await settle(pilot)
            assert isinstance(app.screen, BasketScreen)
            await pilot.press("apostrophe")
            await settle(pilot)
            assert isinstance(app.screen, BookmarksScreen)
            await pilot.press("ctrl+b")
            await settle(pilot)
            assert isinstance(app.screen, BasketScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen


# -- live reload ----------------------------------------------------------------------------


async def wait_for(pilot: Pilot, condition, seconds: float = 6.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("timed out")


async def test_the_open_thread_reloads_when_its_file_changes(
    tmp_path: Path, isolated_state: Path
) -> None:
    path = write_seed(tmp_path / "live.txt", "Live thread", posts(5))
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = reader(app)
            await pilot.press("j", "j", "slash", *"bus", "escape", "enter")
            await settle(pilot)
            assert screen.comments.focused == 3 and screen.comments.folded == {3}
            assert len(screen.hits) == 5
            focus_row = screen.comments.item_region(3)[0] - int(screen.comments.scroll_y)

            write_seed(path, "Live thread", [*posts(5), "A scraper adds a bus.", "And more."])
            await wait_for(pilot, lambda: len(screen.thread.tree) == 7)
            await settle(pilot)
            assert screen.comments.focused == 3
            assert screen.comments.folded == {3}
            assert screen.comments.item_region(3)[0] - int(screen.comments.scroll_y) == focus_row
            assert screen.comments.new == {6, 7}
            assert len(screen.hits) == 6, "the search ran again over the new comments"
            assert screen.search_bar.query_text == "bus"
            assert any("gained 2 new comments" in m for m in messages(app))

            path.write_bytes(b"\x00\x01 binary now")
            await wait_for(pilot, lambda: any("binary" in m for m in messages(app)))
            path.unlink()
            await wait_for(pilot, lambda: any("the file is gone" in m for m in messages(app)))
            await pilot.pause(2.5)
            assert sum("the file is gone" in m for m in messages(app)) == 1
            assert len(screen.thread.tree) == 7, "what is on screen stays"
            assert screen.comments.focused == 3


# -- quote basket ---------------------------------------------------------------------------


async def test_the_basket_keeps_quotes_across_a_restart_and_copies_them(
    tmp_path: Path, isolated_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    path = write_seed(tmp_path / "quotes.txt", "Quotable thread", posts(4))
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(path), state=store, clipboard_route="system")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("A", "j", "A")
            await settle(pilot)
            assert any("Added #2 to the quote basket (2 quotes)" in m for m in messages(app))
            # A mouse selection is quoted as selected.
            comments = reader(app).comments
            start, _ = comments.item_region(3)
            reader(app).selections = {
                comments: Selection(Offset(0, start + 1), Offset(9, start + 1))
            }
            await pilot.press("A")
            await settle(pilot)
            await pilot.press("ctrl+b")
            await settle(pilot)
            basket = app.screen
            assert isinstance(basket, BasketScreen)
            assert [(q.number, q.text) for q in basket.items] == [
                (1, "Comment 1 on the bus routes."),
                (2, "Comment 2 on the bus routes."),
                (3, "Comment 3"),
            ]
            await pilot.press("J")
            await settle(pilot)
            assert [q.number for q in basket.items] == [2, 1, 3]
            await pilot.press("y")
            await settle(pilot)
            assert copied == [basket_markdown(basket.items)]
            assert copied[0].startswith("> Comment 2 on the bus routes.\n\n")
            assert '— comment #2 on "Quotable thread"' in copied[0]
            await pilot.press("escape")
    with opened(isolated_state) as store:
        assert [q.number for q in store.quotes()] == [2, 1, 3]
        app = ThreadReaderApp(read_thread(path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+b")
            await settle(pilot)
            basket = app.screen
            assert isinstance(basket, BasketScreen)
            assert [q.number for q in basket.items] == [2, 1, 3]
            await pilot.press("d")
            target = tmp_path / "out" / "quotes.md"
            target.parent.mkdir()
            await pilot.press("s", "ctrl+u", *str(target), "enter")
            await settle(pilot)
            assert target.read_text(encoding="utf-8") == basket_markdown(basket.items)
            assert any(f"Saved 2 quotes to {target}" in m for m in messages(app))
        assert [q.number for q in store.quotes()] == [1, 3]


# -- damaged and absent state ---------------------------------------------------------------


async def test_writes_the_database_refuses_are_not_claimed_as_saved(
    tmp_path: Path, isolated_state: Path
) -> None:
    path = write_seed(tmp_path / "quotes.txt", "Quotable thread", posts(4))
    with opened(isolated_state) as store:
        app = ThreadReaderApp(read_thread(path), state=store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            # The file turns read-only mid-session (as root, chmod would not stop us).
            store._conn.close()
            store._conn = sqlite3.connect(
                f"file:{isolated_state}?mode=ro",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
            await pilot.press("A")
            await settle(pilot)
            await pilot.press("j", "m", "enter")
            await settle(pilot)
            shown = messages(app)
            assert any(
                "Added #1 to the quote basket (1 quote) for this session only: "
                "the state database is read-only" in m
                for m in shown
            ), shown
            assert any(
                "Bookmarked #2 for this session only: the state database is read-only" in m
                for m in shown
            ), shown
            assert not any("ctrl+b opens it" in m or "' lists every" in m for m in shown)
            assert reader(app).comments.bookmarks == {2}


async def test_a_corrupt_database_is_moved_aside_and_the_app_opens(
    nested_path: Path, isolated_state: Path
) -> None:
    isolated_state.write_bytes(b"this is not a database" * 100)
    store, notices = open_state(no_state=False)
    try:
        assert store.persistent and store.path == isolated_state
        app = ThreadReaderApp(read_thread(nested_path), state=store, notices=notices)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert any("was unreadable" in m and "moved to" in m for m in messages(app))
            await pilot.press("j", "m", "enter")
            await settle(pilot)
            assert reader(app).comments.focused == 2
    finally:
        store.close()
    aside = [p for p in isolated_state.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    with opened(isolated_state) as fresh:
        assert [m.number for m in fresh.bookmarks()] == [2]


def test_no_state_reads_and_writes_no_file(
    nested_path: Path, isolated_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main_parser().parse_args(["--no-state"]).no_state
    seen: dict[str, object] = {}

    def run(app: ThreadReaderApp) -> None:
        async def drive() -> None:
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await pilot.press("j", "m", *"note", "enter", "A", "a")
                await settle(pilot)
                seen["bookmarks"] = [m.number for m in app.state.bookmarks()]
                seen["persistent"] = app.state.persistent
                await pilot.press("q")

        asyncio.run(drive())

    monkeypatch.setattr(ThreadReaderApp, "run", run)
    args = argparse.Namespace(
        paths=[nested_path], search=None, raw=False, theme=None, no_state=True
    )
    assert launch(args) == 0
    # The session had working bookmarks, kept in memory only.
    assert seen == {"bookmarks": [2], "persistent": False}
    assert not isolated_state.exists()
    assert list(isolated_state.parent.iterdir()) == []
