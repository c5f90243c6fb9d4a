"""Pilot tests for the library's thread list beside the reader on wide terminals:
shown with the open thread selected, keys between it and the reader, opening another
thread in place, going back to the library, and narrow terminals and resizing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.core.library import ThreadEntry
from tui.settings.keymap import binding_ids
from tui.state.store import StateStore
from tui.ui.app import ThreadReaderApp
from tui.ui.messages import EntriesRead
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.reader import LIBRARY_PANE_FROM, ReaderScreen
from tui.ui.widgets.library_pane import LibraryPane

NBSP = "\u00a0"
WIDE_SIZE = (180, 50)
NARROW_SIZE = (100, 30)
TITLES = [
    "City council backs bike lanes",
    "Garden water bill",
    "School start times",
    "Zoning [bold]hearing[/] tonight",
]


def seed(title: str, article: str, *posts: str) -> str:
    return f"{NBSP}\n".join([f"{title}\n\n{article}\n", *(p + "\n" for p in posts)])


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """Four threads, listed in this order; the third has 30 comments."""
    root = tmp_path / "shelf"
    root.mkdir()
    comments = [2, 3, 30, 1]
    for number, (title, count) in enumerate(zip(TITLES, comments, strict=True), 1):
        posts = [f"Post {n} about {title.split()[0].lower()}." for n in range(1, count + 1)]
        text = seed(title, f"The article on {title}.", *posts)
        (root / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    return root


async def settle(app: ThreadReaderApp, pilot: Pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool]) -> bool:
    """Whether `condition` holds within a second (state answers arrive from a worker)."""
    for _ in range(100):
        if condition():
            return True
        await pilot.pause(0.01)
    return condition()


def reader_of(app: ThreadReaderApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


def pane_of(app: ThreadReaderApp) -> LibraryPane:
    pane = reader_of(app).library_pane
    assert pane is not None
    return pane


def pane_rows(pane: LibraryPane, count: int) -> list[str]:
    return [pane.render_line(y).text.rstrip() for y in range(count)]


async def open_from_library(app: ThreadReaderApp, pilot: Pilot, downs: int) -> ReaderScreen:
    """Start the app, select the thread `downs` rows down and open it."""
    await settle(app, pilot)
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()
    await pilot.pause()
    return reader_of(app)


async def test_wide_reader_shows_the_list_with_the_open_thread_selected(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        reader = await open_from_library(app, pilot, 2)
        assert reader.thread.title == "School start times"
        pane = pane_of(app)
        assert pane.display
        assert pane.selected is not None
        assert pane.selected.label == "School start times"
        assert pane.region.x < reader.article.region.x < reader.comments.region.x
        assert pane.region.width == 180 // 4
        rows = pane_rows(pane, 5)
        assert rows[0].split() == ["Title", "Comments"]
        assert rows[1].startswith(" City council backs bike lanes")
        assert rows[1].endswith(" 2")
        assert rows[3].startswith("▌School start times")
        assert rows[3].endswith(" 30")
        # A title is text, never markup.
        assert "Zoning [bold]hearing[/] tonight" in rows[4]
        assert reader.comments.has_focus


async def test_the_list_scrolls_the_open_thread_into_view(tmp_path: Path) -> None:
    for number in range(300):
        text = seed(f"Thread {number:03d}", "An article.", "A post.")
        (tmp_path / f"{number:03d}.txt").write_text(text, encoding="utf-8")
    app = ThreadReaderApp(library=[tmp_path])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+end", "enter")
        await pilot.pause()
        await pilot.pause()
        pane = pane_of(app)
        assert pane.cursor == 299
        top = int(pane.scroll_y)
        assert top <= 299 < top + pane.body_height
        assert "▌Thread 299" in pane.render_line(299 - top + 1).text


async def test_esc_focuses_the_list_and_enter_opens_the_next_thread_in_place(
    shelf: Path,
) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        first = await open_from_library(app, pilot, 1)
        assert first.title == "Garden water bill"
        depth = len(app.screen_stack)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is first
        assert pane_of(app).has_focus
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.pause()
        second = reader_of(app)
        assert second is not first
        assert second.title == "School start times"
        assert second.thread.title == "School start times"
        assert len(app.screen_stack) == depth
        pane = pane_of(app)
        assert pane.display
        assert pane.selected is not None
        assert pane.selected.label == "School start times"
        assert second.comments.has_focus
        # j/k move in the list as well; tab goes back to the reader.
        await pilot.press("escape", "k")
        assert pane.selected.label == "Garden water bill"
        await pilot.press("tab")
        assert second.comments.has_focus
        await pilot.press("escape", "l")
        assert second.comments.has_focus


async def test_each_thread_opened_from_the_list_keeps_its_own_reading_state(
    shelf: Path,
) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        school = await open_from_library(app, pilot, 2)
        await pilot.press("j", "j", "j")
        assert school.comments.focused == 4
        await pilot.press("escape", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        zoning = reader_of(app)
        assert zoning.thread.title == TITLES[3]
        assert zoning.session is not None and school.session is not None
        assert zoning.session.thread_id != school.session.thread_id
        await pilot.press("escape", "up", "enter")
        await pilot.pause()
        await pilot.pause()
        again = reader_of(app)
        assert again.thread.title == "School start times"
        assert again.comments.focused == 4


async def test_esc_from_the_list_returns_to_the_library_on_the_last_thread_opened(
    shelf: Path,
) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        await open_from_library(app, pilot, 0)
        library = app.screen_stack[-2]
        assert isinstance(library, LibraryScreen)
        await pilot.press("escape", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert reader_of(app).title == "Garden water bill"
        await pilot.press("escape", "down", "down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert reader_of(app).thread.title == TITLES[3]
        await pilot.press("escape")
        await pilot.pause()
        assert pane_of(app).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library
        assert library.table.selected is not None
        assert library.table.selected.label == TITLES[3]


async def test_a_click_in_the_list_opens_that_thread(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        await open_from_library(app, pilot, 0)
        await pilot.click(pane_of(app), offset=(4, 4))
        await pilot.pause()
        await pilot.pause()
        assert reader_of(app).thread.title == TITLES[3]
        assert pane_of(app).cursor == 3


async def test_a_thread_that_cannot_be_read_is_a_notice(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        reader = await open_from_library(app, pilot, 0)
        (shelf / "02.txt").unlink()
        await pilot.press("escape", "down", "enter")
        await pilot.pause()
        assert app.screen is reader
        assert pane_of(app).has_focus
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and errors[-1].message == "no such file"


async def test_counts_counted_later_show_in_the_list(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        await open_from_library(app, pilot, 0)
        library = app.screen_stack[-2]
        assert isinstance(library, LibraryScreen)
        pane = pane_of(app)
        entry = library.entries[1]
        entry.comments = None
        library.model.count_progress(1)
        await pilot.pause()
        assert pane_rows(pane, 3)[2].endswith("…")
        entry.comments = 7
        library.model.count_progress(len(library.entries))
        library.model.set_new_counts({entry.path: 2})
        await pilot.pause()
        row = pane_rows(pane, 3)[2]
        assert row.endswith(" 7")
        assert "2 new" in row
        # Titles read after the reader opened join the list, the cursor staying put.
        late = ThreadEntry(shelf / "00.txt", "Agenda for Monday", 10, 0.0, comments=5)
        library.post_message(EntriesRead([late], []))
        await pilot.pause()
        assert pane.row_count == 5
        assert pane.selected is not None
        assert pane.selected.label == TITLES[0]
        assert "Agenda for Monday" in "".join(pane_rows(pane, 6))


async def test_what_was_read_is_no_longer_new_in_the_list(
    shelf: Path, isolated_state: Path
) -> None:
    path = shelf / "02.txt"
    store, _notices = StateStore.open(isolated_state)
    try:
        app = ThreadReaderApp(library=[shelf], state=store)
        async with app.run_test(size=WIDE_SIZE) as pilot:
            await open_from_library(app, pilot, 1)
    finally:
        store.close()
    path.write_text(seed(TITLES[1], f"The article on {TITLES[1]}.", "a", "b", "c", "d", "e"))
    store, _notices = StateStore.open(isolated_state)
    try:
        app = ThreadReaderApp(library=[shelf], state=store)
        async with app.run_test(size=WIDE_SIZE) as pilot:
            await settle(app, pilot)
            library = app.screen
            assert isinstance(library, LibraryScreen)
            assert await until(pilot, lambda: "2 new" in library.table.render_line(2).text)
            await pilot.press("down", "enter")
            await settle(app, pilot)
            assert "2 new" in pane_rows(pane_of(app), 3)[2]
            await pilot.press("escape", "down", "enter")
            await settle(app, pilot)
            assert reader_of(app).thread.title == TITLES[2]
            assert await until(pilot, lambda: "new" not in pane_rows(pane_of(app), 3)[2])
    finally:
        store.close()


async def test_narrow_terminal_has_no_list_and_esc_goes_back(shelf: Path) -> None:
    assert NARROW_SIZE[0] < LIBRARY_PANE_FROM
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=NARROW_SIZE) as pilot:
        reader = await open_from_library(app, pilot, 1)
        library = app.screen_stack[-2]
        pane = reader.library_pane
        assert pane is not None and not pane.display
        assert reader.comments.region.x == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library


async def test_resizing_shows_and_hides_the_list(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        reader = await open_from_library(app, pilot, 1)
        pane = pane_of(app)
        await pilot.press("escape")
        assert pane.has_focus
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not pane.display
        assert reader.comments.has_focus
        assert app.screen is reader
        await pilot.resize_terminal(LIBRARY_PANE_FROM, 40)
        await pilot.pause()
        assert pane.display
        assert pane.region.width == 37
        assert pane.selected is not None
        assert pane.selected.label == "Garden water bill"


async def test_a_reader_opened_outside_the_library_list_has_no_pane(shelf: Path) -> None:
    app = ThreadReaderApp(library=[shelf])
    async with app.run_test(size=WIDE_SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f", *"zoning", "enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        reader = reader_of(app)
        pane = reader.library_pane
        assert pane is not None and not pane.display


async def test_the_list_keys_are_in_the_help_and_remappable(shelf: Path) -> None:
    ids = binding_ids()
    assert ids["pane-reader"] == ("Library pane", "tab,l,right")
    assert ids["pane-library"] == ("Library pane", "escape,backspace")
    app = ThreadReaderApp(library=[shelf])
    sections = dict(app.help_sections())
    title = f"Thread list beside the reader (from {LIBRARY_PANE_FROM} columns)"
    actions = {binding.action for binding in sections[title]}
    assert {"cursor_down", "select", "to_reader", "to_library"} <= actions
    assert not any(t.startswith("Thread list") for t in dict(ThreadReaderApp().help_sections()))
