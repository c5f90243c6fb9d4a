"""Pilot tests: the keys, folding, search flows and copying, as a user drives them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyperclip
import pytest
from pilot_helpers import comment

from tui.core.formats.detect import read_thread
from tui.ui.app import ThreadReaderApp
from tui.ui.dialogs.help import HelpScreen
from tui.ui.screens.reader import ReaderScreen

SEED_TITLE = "NYC investigation flags sanctuary law breach by NYPD officer, calling for reforms"


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
                [comment("two", "bob", [comment("three"), comment("four")]), comment("five")],
            ),
            comment("six", "cy"),
            comment("seven", "dee", [comment("eight")]),
        ],
    }
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def reader(app: ThreadReaderApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def status(app: ThreadReaderApp) -> str:
    return str(reader(app).search_bar.query_one("#search-status").render())


async def test_opens_on_the_first_comment(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = reader(app)
        assert screen.title == SEED_TITLE
        assert screen.comments.focused == 1
        assert screen.comments.has_focus


async def test_j_k_g_G_move_between_posts(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        comments = reader(app).comments
        await pilot.press("j", "j", "j")
        assert comments.focused == 4
        await pilot.press("k")
        assert comments.focused == 3
        await pilot.press("down")
        assert comments.focused == 4
        await pilot.press("up")
        assert comments.focused == 3
        await pilot.press("G")
        assert comments.focused == 11
        await pilot.press("j")
        assert comments.focused == 11
        await pilot.press("g")
        assert comments.focused == 1
        await pilot.press("k")
        assert comments.focused == 1
        await pilot.press("end")
        assert comments.focused == 11
        await pilot.press("home")
        assert comments.focused == 1


async def test_focused_comment_is_kept_in_view(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(80, 24)) as pilot:
        comments = reader(app).comments
        for _ in range(10):
            await pilot.press("j")
            start, _ = comments.item_region(comments.focused)
            top = int(comments.scroll_y)
            assert top <= start < top + comments.scrollable_content_region.height


async def test_tree_keys_on_a_nested_thread(nested_path: Path) -> None:
    app = ThreadReaderApp(read_thread(nested_path))
    async with app.run_test(size=(100, 30)) as pilot:
        comments = reader(app).comments
        await pilot.press("right_square_bracket")
        assert comments.focused == 6
        await pilot.press("right_square_bracket")
        assert comments.focused == 7
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert comments.focused == 1
        await pilot.press("j", "j")
        assert comments.focused == 3
        await pilot.press("J")
        assert comments.focused == 4
        await pilot.press("K")
        assert comments.focused == 3
        await pilot.press("p")
        assert comments.focused == 2
        await pilot.press("J")
        assert comments.focused == 5
        await pilot.press("p")
        assert comments.focused == 1
        await pilot.press("p")
        assert comments.focused == 1


async def test_folding(nested_path: Path) -> None:
    app = ThreadReaderApp(read_thread(nested_path))
    async with app.run_test(size=(100, 30)) as pilot:
        comments = reader(app).comments
        await pilot.press("enter")
        assert comments.folded == {1}
        assert comments.item_region(1)[1] == 1
        assert comments.item_region(2)[1] == 0
        await pilot.press("j")
        assert comments.focused == 6, "j skips the folded replies"
        await pilot.press("k")
        assert comments.focused == 1
        await pilot.press("l")
        assert comments.folded == set()
        await pilot.press("j", "h")
        assert comments.folded == {2}
        await pilot.press("h")
        assert comments.focused == 1, "h on a folded comment goes to its parent"
        await pilot.press("z")
        assert comments.folded == {1, 2}
        await pilot.press("l", "j")
        assert comments.focused == 2 and 2 in comments.folded
        await pilot.press("Z")
        assert comments.folded == set(range(1, 9))
        await pilot.press("Z")
        assert comments.folded == set()


async def test_folded_comment_shows_one_summary_line(nested_path: Path) -> None:
    app = ThreadReaderApp(read_thread(nested_path))
    async with app.run_test(size=(100, 30)) as pilot:
        comments = reader(app).comments
        await pilot.press("enter")
        await pilot.pause()
        line = comments.render_line(0).text
        assert "▸ #1" in line and "ann" in line and "one" in line
        assert "(+4 replies, 1 word)" in line


async def test_page_keys_move_the_focus_with_the_page(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(80, 24)) as pilot:
        comments = reader(app).comments
        await pilot.press("space")
        assert comments.focused > 1
        after_page = comments.focused
        await pilot.press("b")
        assert comments.focused < after_page
        await pilot.press("ctrl+d")
        assert comments.focused >= 1
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        assert comments.focused == 11
        await pilot.press("ctrl+u")
        assert comments.focused < 11


async def test_goto_comment_number(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("colon", "7", "enter")
        assert reader(app).comments.focused == 7
        await pilot.press("colon", "9", "9", "enter")
        await pilot.pause()
        assert reader(app).comments.focused == 7
        assert any("No comment #99" in n.message for n in app._notifications)


async def test_search_counts_highlights_and_steps(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = reader(app)
        await pilot.press("slash", *"pizza")
        await pilot.pause()
        assert status(app) == "1/2"
        assert screen.comments.focused == 4
        await pilot.press("enter")
        assert status(app) == "2/2"
        await pilot.press("enter")
        await pilot.pause()
        assert status(app) == "1/2"
        assert any("wrapped" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert not screen.search_bar.is_open
        assert screen.comments.has_focus
        assert len(screen.hits) == 2, "highlights stay after closing the bar"
        await pilot.press("n")
        assert status(app) == "2/2"
        await pilot.press("N")
        assert status(app) == "1/2"


async def test_search_smart_case_and_regex(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"nypd")
        await pilot.pause()
        lower = len(reader(app).hits)
        await pilot.press("ctrl+u")  # clear the input
        await pilot.press(*"NYPD")
        upper = len(reader(app).hits)
        assert lower >= upper > 0
        await pilot.press("ctrl+u", *"Nypd")
        assert status(app) == "no matches"
        await pilot.press("ctrl+u", "ctrl+r", *"pizz(a|as)")
        await pilot.pause()
        assert status(app) == "1/2"
        await pilot.press("ctrl+u", *"pizz(a")
        await pilot.pause()
        assert "missing )" in status(app)


async def test_search_finds_article_matches(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        assert reader(app).article.has_focus
        await pilot.press("slash", *"Strauber")
        await pilot.pause()
        screen = reader(app)
        assert screen.hits[0].number == 0
        assert screen.current is not None and screen.current.number == 0


async def test_jumping_to_a_match_unfolds_it(nested_path: Path) -> None:
    app = ThreadReaderApp(read_thread(nested_path))
    async with app.run_test(size=(100, 30)) as pilot:
        comments = reader(app).comments
        await pilot.press("Z")
        await pilot.press("slash", *"four")
        await pilot.pause()
        assert comments.focused == 4
        assert 4 not in comments.folded
        assert 2 not in comments.folded and 1 not in comments.folded


async def test_search_option_opens_with_the_search_active(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path), search="pizza")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert status(app) == "1/2"
        assert reader(app).comments.focused == 4


async def test_y_copies_an_attributed_quote(seed_path: Path, monkeypatch) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = ThreadReaderApp(read_thread(seed_path), clipboard_route="system")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("colon", "4", "enter", "y")
        await pilot.pause()
        thread = reader(app).thread
        text = thread.tree.get(4).text
        assert copied == [f'> {text}\n\n— comment #4 on "NYC investigation flags…"']
        assert any("Copied quote of #4" in n.message for n in app._notifications)
        await pilot.press("Y")
        assert copied[-1] == text


async def test_copy_falls_back_to_osc52(seed_path: Path, monkeypatch) -> None:
    def broken(_text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", broken)
    app = ThreadReaderApp(read_thread(seed_path), clipboard_route="auto")
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("Y")
        await pilot.pause()
        assert app.clipboard == reader(app).thread.tree.get(1).text
        assert any("OSC 52" in n.message for n in app._notifications)


async def test_copy_article_paragraph(seed_path: Path, monkeypatch) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = ThreadReaderApp(read_thread(seed_path), clipboard_route="system")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "Y")
        thread = reader(app).thread
        assert copied == [thread.article[0]]


async def test_help_screen_and_quit(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_article_pane_folds_and_tab_switches(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = reader(app)
        tall = screen.article.size.height
        await pilot.press("a")
        await pilot.pause()
        assert screen.article.size.height == 1 < tall
        await pilot.press("a")
        await pilot.pause()
        assert screen.article.size.height == tall
        await pilot.press("tab")
        assert screen.article.has_focus
        await pilot.press("tab")
        assert screen.comments.has_focus


async def test_wide_terminal_places_panes_side_by_side(seed_path: Path) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        screen = reader(app)
        assert screen.article.region.y == screen.comments.region.y
        assert screen.article.region.x < screen.comments.region.x
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = reader(app)
        assert screen.article.region.y < screen.comments.region.y


async def test_mouse_click_focuses_and_folds(nested_path: Path) -> None:
    app = ThreadReaderApp(read_thread(nested_path))
    async with app.run_test(size=(100, 40)) as pilot:
        comments = reader(app).comments
        await pilot.pause()
        start, _ = comments.item_region(6)
        y = start - int(comments.scroll_y)
        await pilot.click(comments, offset=(10, y))
        assert comments.focused == 6
        await pilot.click(comments, offset=(2, 0))
        assert comments.focused == 1
        assert 1 in comments.folded


async def test_mouse_selection_copies_with_ctrl_c(seed_path: Path, monkeypatch) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = ThreadReaderApp(read_thread(seed_path), clipboard_route="system")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = reader(app)
        comments = screen.comments
        await pilot.pause()
        # Row 1 of comment #1 is its first text line; select "This is just".
        start, _ = comments.item_region(1)
        screen.selections = {comments: Selection(Offset(0, start + 1), Offset(12, start + 1))}
        await pilot.press("ctrl+c")
        assert copied == ["This is just"]
        assert any("Copied selection" in n.message for n in app._notifications)
        # Across rows: the end of one line and the start of the next, without bar or guides.
        screen.selections = {comments: Selection(Offset(90, start + 1), Offset(5, start + 2))}
        await pilot.press("ctrl+c")
        first_line = comments._row_text(1, 1)
        assert copied[-1] == first_line[90:] + "\n" + comments._row_text(1, 2)[:5]


async def test_mouse_selection_in_the_article(seed_path: Path, monkeypatch) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = ThreadReaderApp(read_thread(seed_path), clipboard_route="system")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = reader(app)
        await pilot.pause()
        screen.selections = {screen.article: Selection(Offset(0, 0), Offset(3, 0))}
        await pilot.press("ctrl+c")
        assert copied == ["NYC"]


async def test_n_and_N_reach_matches_past_the_hit_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search keeps at most MAX_HITS matches; stepping past them searches on from
    where the reader is instead of wrapping early (here the limit is 10)."""
    import tui.ui.controllers.thread_search as search_module

    monkeypatch.setattr(search_module, "HIT_LIMIT", 10)
    path = tmp_path / "many.txt"
    posts = [f"Comment {i} has one word." for i in range(1, 61)]
    path.write_text("Many\n\nIntro.\n\u00a0\n" + "\n\u00a0\n".join(posts), "utf-8")
    app = ThreadReaderApp(read_thread(path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = reader(app)
        await pilot.press("slash", *"word")
        assert screen.comments.focused == 1
        assert status(app) == "1/10+"
        await pilot.press("escape", "G", "n")
        assert screen.comments.focused == 60
        assert status(app) == "in #60 of 10+"
        # Past the last match: wraps to the top of the thread.
        await pilot.press("n")
        assert screen.comments.focused == 1
        assert status(app) == "1/10+"
        assert any("wrapped to the top" in n.message for n in app._notifications)
        # Before the first: wraps to the bottom, the last matches of the thread.
        await pilot.press("N")
        assert screen.comments.focused == 60
        await pilot.press("N", "N")
        assert screen.comments.focused == 58
        # From the middle, past the matches on hand, both ways.
        await pilot.press("colon", *"30", "enter", "n")
        assert screen.comments.focused == 30
        await pilot.press("colon", *"45", "enter", "N")
        assert screen.comments.focused == 44
        await pilot.press("N")
        assert screen.comments.focused == 43


def _burst(app: ThreadReaderApp, keys: str) -> None:
    """Queue keys all at once, as a terminal delivers a fast typist's (or tmux's, or
    a busy app's) keys: without waiting for each to be handled."""
    from textual import events

    names = {"/": "slash", ":": "colon", "\n": "enter"}
    for char in keys:
        if char == "\n":
            app.post_message(events.Key("enter", "\r"))
        else:
            app.post_message(events.Key(names.get(char, char), char))


async def test_a_query_typed_in_one_burst_with_slash_goes_into_the_search_bar(
    seed_path: Path,
) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader(app)
        _burst(app, "/pizza")
        deadline = time.monotonic() + 10
        while screen.search_bar.input.value != "pizza" or not screen.hits:
            assert time.monotonic() < deadline, "the query did not arrive"
            await pilot.pause(0.05)
        # Not `n` for "next match", `z` for "fold subtree"...: the letters are the query.
        assert screen.search_bar.input.value == "pizza"
        assert status(app) == "1/2"
        assert screen.comments.focused == 4
        assert not screen.comments.folded


async def test_a_number_typed_in_one_burst_with_colon_goes_to_that_comment(
    seed_path: Path,
) -> None:
    app = ThreadReaderApp(read_thread(seed_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader(app)
        _burst(app, ":7\n")
        deadline = time.monotonic() + 10
        while app.screen is not screen or screen.comments.focused != 7:
            assert time.monotonic() < deadline, "the go-to did not happen"
            await pilot.pause(0.05)
