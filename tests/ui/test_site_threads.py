"""Pilot tests: a thread saved from each site opens in the reader with its tree, its
authors and its scores on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_paths import SAMPLES

from tui.core.formats.detect import read_thread
from tui.ui.app import ThreadReaderApp
from tui.ui.screens.reader import ReaderScreen


def screen_text(app: ThreadReaderApp) -> str:
    """Everything the reader screen's panes draw, as plain text."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    lines = []
    for widget in (screen.article, screen.comments):
        for y in range(widget.scrollable_content_region.height):
            lines.append(widget.render_line(y).text)
    return "\n".join(lines)


def header(app: ThreadReaderApp, number: int) -> str:
    """The header line of comment `number` as drawn (the comment must be on screen)."""
    found = [line.strip() for line in screen_text(app).splitlines() if f"#{number} " in line + " "]
    assert found, f"comment #{number} is not on screen"
    return found[0]


@pytest.mark.parametrize(
    ("name", "title", "headers", "shown"),
    [
        (
            "hn-sqlite-long-running-algolia",
            "Ask HN: How do you keep a long-running SQLite app fast?",
            {1: ("kestrel_db", "4 replies"), 3: ("[deleted]",), 4: ("mirela_p",)},
            ["  PRAGMA optimize;", "[deleted]"],
        ),
        (
            "hn-paper-maps-items.jsonl",
            "The quiet return of the paper map",
            {6: ("spam4u", "dead"), 7: ("lost_thread", "orphan: parent not in this file")},
            ["Buy cheap maps here!!!"],
        ),
        (
            "hn-unicode-wrapper-hnpwa.json",
            "Show HN: A tiny Unicode-aware text wrapper in C",
            {1: ("grapheme_gal", "2 replies"), 2: ("lindqvist",), 5: ("flagged_one", "dead")},
            ['assert(width("👩\u200d👩\u200d👧") == 2);'],
        ),
        (
            "reddit-starter-nail-polish.json",
            "My starter smells like nail polish & has grey liquid — dead?",
            {1: ("levain_lena", "2,210 points", "5 replies"), 2: ("crumb_curious", "340 points")},
            ["14 more replies not in this file", "[removed]"],
        ),
        (
            "lobsters-why-makefiles.json",
            "Why we still write Makefiles",
            {1: ("sjoerd", "21 points", "3 replies"), 6: ("rtfm", "-2 points", "dead")},
            ["W Polsce używamy just zamiast make"],
        ),
    ],
)
async def test_a_saved_site_thread_opens_with_tree_authors_and_scores(
    name: str, title: str, headers: dict[int, tuple[str, ...]], shown: list[str]
) -> None:
    app = ThreadReaderApp(read_thread(SAMPLES / name))
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.title == title
        text = screen_text(app)
        for number, parts in headers.items():
            line = header(app, number)
            for part in parts:
                assert part in line or part in text, (number, part, line)
        for piece in shown:
            assert piece in text
        # The tree is navigable as the file nests it: `]` skips a whole reply tree.
        await pilot.press("right_square_bracket")
        tree = screen.thread.tree
        assert screen.comments.focused == tree.next_top_level(1)


async def test_replies_sit_indented_under_their_parent() -> None:
    app = ThreadReaderApp(read_thread(SAMPLES / "reddit-starter-nail-polish.json"))
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()

        def depth(number: int) -> int:
            """How many reply guides stand before the comment's header."""
            line = next(x for x in lines if f"#{number} " in x + " ")
            return line.split(f"#{number}")[0].count("│")

        assert [depth(n) for n in range(1, 9)] == [0, 1, 2, 2, 3, 1, 0, 1]


async def test_a_large_reddit_thread_shows_its_head_then_the_whole_thread(tmp_path: Path) -> None:
    from pilot_helpers import settle

    from bench.generate_sites import reddit_thread
    from tui.core.formats.detect import read_thread_head

    path = tmp_path / "comments"
    path.write_bytes(reddit_thread(3_000))
    head = read_thread_head(path)
    assert head.partial
    app = ThreadReaderApp(head)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert "#1 " in screen_text(app)
        await settle(pilot)
        assert not screen.thread.partial
        assert len(screen.thread.tree) == 3_000
        await pilot.press("G")
        assert screen.comments.focused == 3_000
