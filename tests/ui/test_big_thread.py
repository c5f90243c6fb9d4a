"""A thread with tens of thousands of comments opens, moves and quits like a small one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui.core.formats.detect import read_thread
from tui.ui.app import ThreadReaderApp
from tui.ui.screens.reader import ReaderScreen

NBSP = "\u00a0"
COUNT = 30_000


@pytest.fixture(scope="module")
def big_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    words = [
        "council",
        "budget",
        "๐Ÿค”",
        "street",
        "library",
        "pizza",
        "vote",
        "bike",
        "lane",
        "park",
    ]
    posts = []
    for i in range(1, COUNT + 1):
        body = " ".join(words[(i * j) % len(words)] for j in range(1, 8 + i % 30))
        posts.append(f"Comment {i}: {body}" + ("\n\nSecond paragraph." if i % 7 == 0 else ""))
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text(f"\n{NBSP}\n".join(["Big thread\n\nThe article.", *posts]), "utf-8")
    return path


async def test_big_thread_opens_and_moves(big_path: Path) -> None:
    app = ThreadReaderApp(read_thread(big_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        comments = screen.comments
        await pilot.press("G")
        assert comments.focused == COUNT
        assert "Comment 30000:" in "".join(
            comments.render_line(y).text for y in range(comments.size.height)
        )
        await pilot.press("g", "j", "right_square_bracket")
        assert comments.focused == 3
        await pilot.press("colon", *"12345", "enter")
        assert comments.focused == 12345
        await pilot.press("enter")
        assert 12345 in comments.folded
        await pilot.press("Z")
        assert len(comments.folded) == COUNT
        await pilot.press("G")
        assert comments.focused == COUNT


async def test_big_thread_search_runs_in_the_background(big_path: Path) -> None:
    app = ThreadReaderApp(read_thread(big_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.press("slash", *"pizza")
        deadline = time.monotonic() + 60
        while not screen.hits and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert len(screen.hits) > 1000
        status = str(screen.search_bar.query_one("#search-status").render())
        assert status.startswith("1/")
        assert screen.comments.focused == screen.hits[0].number


async def test_quitting_while_the_index_builds_does_not_hang(big_path: Path) -> None:
    app = ThreadReaderApp(read_thread(big_path))
    started = time.monotonic()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)  # the index build has started
        await pilot.press("q")
    assert time.monotonic() - started < 5


async def test_stepping_past_the_hit_limit_searches_on_in_the_background(
    big_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.ui.controllers.thread_search as search_module

    monkeypatch.setattr(search_module, "HIT_LIMIT", 500)
    app = ThreadReaderApp(read_thread(big_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.press("slash", *"pizza")
        deadline = time.monotonic() + 60
        while not screen.hits and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert len(screen.hits) == 500
        last_on_hand = screen.hits[-1].number
        await pilot.press("escape", "G", "N")
        while screen.comments.focused == COUNT and time.monotonic() < deadline:
            await pilot.pause(0.1)
        # The last match of the thread, not the last of the 500 on hand.
        expected = max(n for n in range(1, COUNT + 1) if "pizza" in screen.thread.tree[n - 1].text)
        assert screen.comments.focused == expected > last_on_hand


async def test_the_visit_keys_comments_while_the_index_is_built(
    big_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keying 30,000 comments for the reading state reuses the index build's pass
    instead of decoding every comment a second time."""
    import tui.ui.controllers.reading_session as reading_session
    from tui.state.identity import comment_key
    from tui.state.store import StateStore

    calls = 0

    def counted(comment: object) -> bytes:
        nonlocal calls
        calls += 1
        return comment_key(comment)  # type: ignore[arg-type]

    monkeypatch.setattr(reading_session, "comment_key", counted)
    store, _ = StateStore.open(None)
    thread = read_thread(big_path)
    app = ThreadReaderApp(thread, state=store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        session = screen.session
        assert session is not None
        deadline = time.monotonic() + 60
        while session.keys is None and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert session.keys is not None and len(session.keys) == COUNT
        # Only comments drawn on screen were keyed by the session itself.
        assert calls < 100
        assert session.keys[COUNT - 1] == comment_key(thread.tree.get(COUNT))
        tid = store.thread_id_for(thread)
        assert len(store.seen_keys(tid)) == len(set(session.keys))
    store.close()
