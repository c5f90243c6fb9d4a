"""SVG snapshots of the reader's screens: what a user sees, cell by cell.

Baselines live in tests/snapshots/__snapshots__/test_snapshots/; after an intended change to the
look, regenerate them with `pytest tests/snapshots/test_snapshots.py --snapshot-update` and look
at the new SVGs before committing them.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from pilot_helpers import comment, settle
from textual.pilot import Pilot

from tui.ui.factory import make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

# Each line is one kind of text that must reach the screen as characters, never as
# markup, a link, an action or a terminal control sequence.
HOSTILE_LINES = [
    "markup [bold]x[/] stays as typed",
    "action [@click=app.quit]quit[/] is not clickable",
    "link [link=file:///etc/passwd]passwd[/link] is not a link",
    "clear screen \x1b[2J is shown as text",
    "clipboard \x1b]52;c;aGk=\x07 is not set",
    "bidi \u202eevil\u202c does not reorder",
]


def write_thread(path: Path, title: str, article: str, comments: list[dict]) -> Path:
    doc = {"format": "threadread/1", "title": title, "article": article, "comments": comments}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def nested_path(tmp_path: Path) -> Path:
    """1 (2 (3, 4), 5), 6, 7 (8)"""
    return write_thread(
        tmp_path / "nested.json",
        "Nested",
        "First paragraph.\n\nSecond paragraph.",
        [
            comment(
                "one",
                "ann",
                [comment("two", "bob", [comment("three"), comment("four")]), comment("five")],
            ),
            comment("six", "cy"),
            comment("seven", "dee", [comment("eight")]),
        ],
    )


@pytest.fixture
def hostile_path(tmp_path: Path) -> Path:
    return write_thread(
        tmp_path / "hostile.json",
        "Hostile text",
        "The article quotes it too: [bold]x[/] \x1b[2J \u202eevil",
        [
            comment("\n".join(HOSTILE_LINES), "[b]mallory[/b]"),
            comment("A plain reply after it.", "bob"),
        ],
    )


def after(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """A `run_before` that presses `keys` once the screen is settled, then settles again."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, seed_path: Path, size: tuple[int, int]) -> None:
    """Header with the thread title, the article pane, comment #1 focused, the footer."""
    app = make_app(seed_path)
    assert snap_compare(app, terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_search_highlights(snap_compare, seed_path: Path, size: tuple[int, int]) -> None:
    """`/pizza`: the first of two hits is current, in #4, and the bar shows 1/2."""
    app = make_app(seed_path)
    assert snap_compare(app, terminal_size=size, run_before=after("slash", *"pizza"))


@pytest.mark.parametrize("size", SIZES)
def test_folded_comment(snap_compare, nested_path: Path, size: tuple[int, int]) -> None:
    """Enter on #1 folds it to one line: `▸ #1  ann … one  (+4 replies, 1 words)`."""
    app = make_app(nested_path)
    assert snap_compare(app, terminal_size=size, run_before=after("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_fold_all(snap_compare, nested_path: Path, size: tuple[int, int]) -> None:
    """`Z` folds every comment: the top-level ones remain, one line each."""
    app = make_app(nested_path)
    assert snap_compare(app, terminal_size=size, run_before=after("Z"))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, seed_path: Path, size: tuple[int, int]) -> None:
    """`?` opens the key list over the reader."""
    app = make_app(seed_path)
    assert snap_compare(app, terminal_size=size, run_before=after("question_mark"))


def test_wide_layout(snap_compare, seed_path: Path) -> None:
    """From 140 columns the article and the comments sit side by side."""
    app = make_app(seed_path)
    assert snap_compare(app, terminal_size=(160, 40), run_before=after())


def test_hostile_text_is_shown_literally(snap_compare, hostile_path: Path) -> None:
    """Markup, actions, links, ESC, OSC 52 and bidi overrides show as plain characters:
    `[bold]x[/]` as typed, ESC as ␛, BEL as ␇, U+202E as ⸮."""
    app = make_app(hostile_path)
    assert snap_compare(app, terminal_size=(100, 30), run_before=after())


def test_library_beside_the_reader(snap_compare, tmp_path: Path) -> None:
    """From 150 columns a thread opened from the library keeps the library's list on
    the left, the open thread selected, then the article and the comments."""
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    threads = [
        ("City council backs bike lanes", ["Finally.", "Who pays for it?"]),
        ("Garden water bill [bold]doubles[/]", ["Water is not free.", "Mine too.", "Rain."]),
        ("School start times", ["Later is better.", "Buses disagree."]),
    ]
    for number, (title, texts) in enumerate(threads, 1):
        comments = [comment(text, f"reader{n}") for n, text in enumerate(texts, 1)]
        write_thread(shelf / f"{number:02d}.json", title, f"The article on {title}.", comments)
    app = make_app([shelf])
    assert snap_compare(app, terminal_size=(160, 30), run_before=after("down", "enter"))
