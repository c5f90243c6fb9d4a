"""SVG snapshots of the library, its search and each dialog, as a user meets them.

Each app is made by `make_app`, as the command line makes it, with the reading state
in the test's own folder.  File times are fixed and shown in UTC, and notifications
are left out, so nothing depends on the clock.  Regenerate with
`pytest tests/snapshots/test_screen_snapshots.py --snapshot-update` after an
intended change to the look, and look at the new SVGs before committing them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from pilot_helpers import comment, settle
from textual.pilot import Pilot

from tui.ui.app import ThreadReaderApp
from tui.ui.factory import make_app

SIZE = (100, 30)
# 2024-05-01 12:00 UTC: the modification time every library file gets.
FILE_TIME = 1_714_564_800


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times in UTC, and no toasts: each lasts a few seconds, so whether one is still
    on screen would depend on how fast the test ran."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(ThreadReaderApp, "notify", lambda self, *args, **kwargs: None)
    yield
    monkeypatch.undo()
    time.tzset()


def write_thread(path: Path, title: str, article: str, comments: list[dict]) -> Path:
    doc = {"format": "threadread/1", "title": title, "article": article, "comments": comments}
    path.write_text(json.dumps(doc), encoding="utf-8")
    os.utime(path, (FILE_TIME, FILE_TIME))
    return path


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three threads in `shelf/`, named relative to the working folder, since the
    library shows the selected file's path."""
    monkeypatch.chdir(tmp_path)
    shelf = Path("shelf")
    shelf.mkdir()
    threads = [
        ("City council backs bike lanes", ["Finally.", "Who pays for the water main?"]),
        ("Garden water bill doubles", ["Water is not free.", "Mine too.", "Rain water."]),
        ("School start times", ["Later is better.", "Buses disagree."]),
    ]
    for number, (title, texts) in enumerate(threads, 1):
        comments = [comment(text, f"reader{n}") for n, text in enumerate(texts, 1)]
        write_thread(shelf / f"{number:02d}.json", title, f"The article on {title}.", comments)
    return shelf


@pytest.fixture
def thread_path(tmp_path: Path) -> Path:
    return write_thread(
        tmp_path / "nested.json",
        "Nested",
        "First paragraph.\n\nSecond paragraph.",
        [
            comment("one", "ann", [comment("two", "bob"), comment("three")]),
            comment("four", "cy"),
            comment("five", "dee"),
        ],
    )


def after(*steps: str | float) -> Callable[[Pilot], Awaitable[None]]:
    """Press each key (a number: wait that many seconds instead), settling after each."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for step in steps:
            if isinstance(step, float):
                await pilot.pause(step)
            else:
                await pilot.press(step)
            await settle(pilot)

    return run_before


def test_library(snap_compare, shelf: Path) -> None:
    """The thread list with comment counts, sizes and times; the filter focused."""
    assert snap_compare(make_app([shelf]), terminal_size=SIZE, run_before=after())


def test_library_search_with_results(snap_compare, shelf: Path) -> None:
    """ctrl+f then `water`: the hits of every thread, the first selected."""
    steps = ("ctrl+f", *"water", 0.5)
    assert snap_compare(make_app([shelf]), terminal_size=SIZE, run_before=after(*steps))


def test_bookmarks_dialog(snap_compare, thread_path: Path) -> None:
    """Two bookmarks, one with a note, listed by `'`."""
    steps = ("m", *"check this", "enter", "j", "j", "m", "enter", "apostrophe")
    assert snap_compare(make_app(thread_path), terminal_size=SIZE, run_before=after(*steps))


def test_basket_dialog(snap_compare, thread_path: Path) -> None:
    """Two quotes in the basket, shown by ctrl+b."""
    steps = ("A", "j", "A", "ctrl+b")
    assert snap_compare(make_app(thread_path), terminal_size=SIZE, run_before=after(*steps))


def test_theme_picker(snap_compare, thread_path: Path) -> None:
    """ctrl+t: the themes, the current one highlighted."""
    assert snap_compare(make_app(thread_path), terminal_size=SIZE, run_before=after("ctrl+t"))


def test_goto_dialog(snap_compare, thread_path: Path) -> None:
    """`:` then 4: the go-to prompt at the bottom with the number typed."""
    steps = ("colon", "4")
    assert snap_compare(make_app(thread_path), terminal_size=SIZE, run_before=after(*steps))


def test_bookmark_note_prompt(snap_compare, thread_path: Path) -> None:
    """`m`: the bookmark's note prompt at the bottom, a note half typed."""
    steps = ("m", *"a note")
    assert snap_compare(make_app(thread_path), terminal_size=SIZE, run_before=after(*steps))
