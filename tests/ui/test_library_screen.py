"""Pilot tests for the library: the thread list, filtering, opening and going back,
the search across threads, and what `threadread PATH...` decides to open."""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import pytest

from bench.mangle import mangle_874
from tui.core.errors import ThreadError
from tui.core.paths import sample_threads_dir
from tui.core.search.files import FileResult, Query
from tui.ui.app import ThreadReaderApp
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.library_search import LibrarySearchScreen
from tui.ui.screens.reader import ReaderScreen
from tui.ui.widgets.thread_table import human_size

NBSP = "\u00a0"
SIZE = (120, 32)


def seed(title: str, article: str, *posts: str) -> str:
    return f"{NBSP}\n".join([f"{title}\n\n{article}\n", *(p + "\n" for p in posts)])


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """Four good threads and some files that are not threads, or broken ones."""
    root = tmp_path / "shelf"
    (root / "more").mkdir(parents=True)
    (root / "01-bikes.txt").write_text(
        seed("City council backs bike lanes", "The vote was close.", "Finally.", "Who pays?"),
        encoding="utf-8",
    )
    (root / "02-garden.txt").write_text(
        seed("Garden water bill", "A garden story.", "Water is not free.", "The zeppelin flew."),
        encoding="utf-8",
    )
    (root / "more" / "03-pizza.txt").write_text(
        seed("Pizza night [bold]fun[/]", "Pizza is good.", "no", mangle_874("yes 🍕 please")),
        encoding="utf-8",
    )
    (root / "04-school.txt").write_text(
        seed("School start times", "Later starts.", *[f"post {i}" for i in range(1, 40)]),
        encoding="utf-8",
    )
    (root / "broken.json").write_text('{"format": "threadread/1", "title": "Broken", "comm')
    (root / "empty.txt").write_text("")
    (root / "photo.png").write_bytes(b"\x89PNG")
    return root


@pytest.fixture(scope="module")
def big_shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 small threads; one of them, #1234, mentions a zeppelin in comment 7."""
    root = tmp_path_factory.mktemp("big")
    for i in range(2_000):
        posts = [f"Comment {n} of thread {i} about budgets and buses." for n in range(1, 11)]
        if i == 1234:
            posts[6] = "I saw a zeppelin over the harbour."
        text = seed(f"Thread {i:04d} on city budgets", f"Article {i}.", *posts)
        (root / f"{i:04d}_thread.txt").write_text(text, encoding="utf-8")
    return root


def library_screen(app: ThreadReaderApp) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen), screen
    return screen


def rows(screen: LibraryScreen, count: int = 12) -> list[str]:
    table = screen.table
    return [table.render_line(y).text.rstrip() for y in range(count)]


async def settle(app: ThreadReaderApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_lists_threads_with_counts_and_reports_the_rest(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = library_screen(app)
        shown = rows(screen)
        assert shown[0].split() == ["Title", "Comments", "Size", "Modified"]
        titles = [entry.label for entry in screen.entries]
        assert titles == [
            "City council backs bike lanes",
            "Garden water bill",
            "School start times",
            "Broken",
            "Pizza night [bold]fun[/]",
        ]
        assert shown[1].startswith("▌City council backs bike lanes")
        assert [entry.comments for entry in screen.entries] == [2, 2, 39, None, 2]
        assert re.search(r" 2 +\d+ B \d{4}-\d\d-\d\d \d\d:\d\d$", shown[1])
        assert re.search(r" 39 +\d", shown[3])
        assert re.search(r" error +\d", shown[4])
        assert "Pizza night [bold]fun[/]" in shown[5]
        messages = [n.message for n in app._notifications]
        assert any("photo.png: not a thread file (.png)" in m for m in messages)
        assert any("empty.txt: empty file" in m for m in messages)
        assert any("broken.json" in m and "could not be read" in m for m in messages)
        status = str(screen.query_one("#library-status-text").render())
        assert status.startswith("5 threads")


async def test_hostile_titles_and_lines_are_shown_literally(tmp_path: Path) -> None:
    title = "[@click=app.quit]Quit[/] \x1b[2J \u202eevil"
    (tmp_path / "h.txt").write_text(seed(title, "x", "pizza \x1b]0;pwned\x07 [b]x[/b]"), "utf-8")
    app = ThreadReaderApp(library=[tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        row = rows(library_screen(app), 2)[1]
        assert "[@click=app.quit]Quit[/] ␛[2J ⸮evil" in row
        await pilot.press("ctrl+f", *"pizza", "enter")
        await settle(app, pilot)
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        line = search.results.render_line(0).text
        assert "pizza ␛]0;pwned␇ [b]x[/b]" in line
        assert "\x1b" not in line


async def test_typing_filters_fuzzily_and_esc_clears(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = library_screen(app)
        await pilot.press(*"gwb")
        await pilot.pause()
        assert screen.table.selected is not None
        assert screen.table.selected.label == "Garden water bill"
        assert screen.table.row_count == 1
        await pilot.press("backspace", "backspace", "backspace", *"s")
        await pilot.pause()
        assert [row.split("  ")[0] for row in rows(screen, 3)[1:]] == [
            "▌School start times",
            " City council backs bike lanes",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert screen.filter_input.value == ""
        assert screen.table.row_count == 5


async def test_q_types_into_the_filter_and_ctrl_q_quits(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = library_screen(app)
        screen.table.focus()
        await pilot.press("q")
        await pilot.pause()
        assert screen.filter_input.value == "q"
        assert screen.filter_input.has_focus
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_enter_opens_and_esc_comes_back_with_the_selection(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = library_screen(app)
        await pilot.press("down", "down")
        assert screen.table.selected is not None
        assert screen.table.selected.label == "School start times"
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.thread.title == "School start times"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.table.selected.label == "School start times"
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen is screen
        assert screen.table.selected.label == "Garden water bill"


async def test_a_broken_thread_is_a_notice_not_a_crash(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = library_screen(app)
        await pilot.press(*"broken", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert any(n.severity == "error" for n in app._notifications)


async def test_search_across_threads_and_open_at_the_comment(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        library = library_screen(app)
        await pilot.press("ctrl+f")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        await pilot.press(*"zeppelin", "enter")
        await settle(app, pilot)
        results = search.results.results
        assert [(r.title, r.match.comment, r.match.line) for r in results] == [
            ("Garden water bill", 2, "The zeppelin flew.")
        ]
        status = str(search.query_one("#library-search-text").render())
        assert status.startswith("1 match in 1 thread · searched all 5 threads")
        line = search.results.render_line(0).text
        assert "#2" in line and "Garden water bill" in line and "The zeppelin flew." in line

        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.thread.title == "Garden water bill"
        assert reader.comments.focused == 2
        assert reader.comments.has_focus
        assert reader.search_bar.query_text == "zeppelin"
        assert str(reader.search_bar.query_one("#search-status").render()) == "1/1"

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is search
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library


async def test_search_finds_repaired_emoji_and_the_article(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(LibrarySearchScreen(library_screen(app).search_paths(), query="🍕"))
        await settle(app, pilot)
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        assert [(r.match.comment, r.match.line) for r in search.results.results] == [
            (2, "yes 🍕 please")
        ]
        search.input.value = "pizza"
        await pilot.press("enter")
        await settle(app, pilot)
        found = [(r.title, r.match.comment) for r in search.results.results]
        assert found == [("Pizza night [bold]fun[/]", 0)]
        assert "Pizza night [bold]fun[/]" in search.results.render_line(0).text
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.current is not None and reader.current.number == 0
        assert reader.article.has_focus


async def test_a_library_can_open_with_a_search(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf], search="zeppelin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        assert search.query_text == "zeppelin"
        assert [r.match.comment for r in search.results.results] == [2]


async def test_regex_toggle_and_bad_pattern(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f", *"post [0-9]+$", "enter")
        await settle(app, pilot)
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        assert search.results.results == []
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert len(search.results.results) == 39
        await pilot.press("end", "(")
        await pilot.press("enter")
        await settle(app, pilot)
        status = str(search.query_one("#library-search-text").render())
        assert status.startswith("bad pattern")


async def test_esc_cancels_a_running_search(
    big_shelf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    search_file = Query.search_file

    def slow(self: Query, path: Path) -> FileResult:
        time.sleep(0.002)
        return search_file(self, path)

    monkeypatch.setattr(Query, "search_file", slow)
    app = ThreadReaderApp(library=[big_shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f", "ctrl+r", *r"\d+", "enter")
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        assert search.running
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is search
        assert not search.running
        assert search.searched < 2_000
        status = str(search.query_one("#library-search-text").render())
        assert "stopped after" in status
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_two_thousand_threads(big_shelf: Path) -> None:
    app = ThreadReaderApp(library=[big_shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = library_screen(app)
        assert len(screen.entries) == 2_000
        assert all(entry.comments == 10 for entry in screen.entries)
        shown = rows(screen, 3)
        assert shown[1].startswith("▌Thread 0000 on city budgets")
        await pilot.press(*"1234")
        await settle(app, pilot)
        assert screen.table.selected is not None
        assert screen.table.selected.label == "Thread 1234 on city budgets"
        await pilot.press("escape", "ctrl+f", *"zeppelin", "enter")
        await settle(app, pilot)
        search = app.screen
        assert isinstance(search, LibrarySearchScreen)
        assert [(r.path.name, r.match.comment) for r in search.results.results] == [
            ("1234_thread.txt", 7)
        ]
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.comments.focused == 7
        # Toggling the article must not jump back to where the screen opened.
        await pilot.press("j", "a")
        await pilot.pause()
        assert reader.comments.focused == 8


async def test_the_palette_offers_the_library_search(shelf: Path) -> None:
    from tui.ui.palette import KeymapCommands

    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        provider = KeymapCommands(library_screen(app))
        hits = [hit async for hit in provider.search("search all")]
        assert hits and "Search all threads" in str(hits[0].match_display)
        hits[0].command()
        await pilot.pause()
        assert isinstance(app.screen, LibrarySearchScreen)


def test_human_sizes() -> None:
    assert [human_size(n) for n in (0, 999, 1000, 6_700, 14_200, 999_600, 2_500_000)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "6.7 kB",
        "14 kB",
        "1.0 MB",
        "2.5 MB",
    ]


# -- what the command line opens ----------------------------------------------------------


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[ThreadReaderApp]:
    """Apps `launch` would run, captured instead of taking the terminal."""
    apps: list[ThreadReaderApp] = []
    monkeypatch.setattr(ThreadReaderApp, "run", lambda self, *a, **k: apps.append(self))
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent-threadread-test")
    return apps


def launch_args(*paths: Path) -> argparse.Namespace:
    return argparse.Namespace(paths=list(paths), search=None, raw=False, theme=None)


def test_launch_decides_between_reader_and_library(
    shelf: Path, launched: list[ThreadReaderApp]
) -> None:
    from tui.ui.launch import launch

    launch(launch_args())
    launch(launch_args(shelf / "01-bikes.txt"))
    launch(launch_args(shelf))
    launch(launch_args(shelf / "01-bikes.txt", shelf / "more"))
    nothing, one, folder, several = launched
    assert nothing.thread is None and nothing.library == [sample_threads_dir()]
    assert one.library is None and one.thread is not None
    assert one.thread.title == "City council backs bike lanes"
    assert folder.library == [shelf] and folder.thread is None
    assert several.library == [shelf / "01-bikes.txt", shelf / "more"]


def test_launch_fails_on_a_missing_path_before_the_screen(
    shelf: Path, launched: list[ThreadReaderApp]
) -> None:
    from tui.ui.launch import launch

    with pytest.raises(ThreadError, match="no such file"):
        launch(launch_args(shelf, shelf / "missing"))
    assert launched == []


def test_a_json_library_entry(tmp_path: Path) -> None:
    doc = {"format": "threadread/1", "title": "J", "article": "", "comments": []}
    (tmp_path / "j.json").write_text(json.dumps(doc), encoding="utf-8")
    from tui.core.library import read_entry, walk

    (candidate,) = walk([tmp_path]).files
    entry = read_entry(candidate)
    assert getattr(entry, "title", None) == "J"
