"""A large file opens from its head, and the reader reads the rest behind the first
screen without losing what the reader did meanwhile."""

from __future__ import annotations

import codecs
import gc
import json
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

import tui.core.formats.detect
from tui.core.errors import ThreadError
from tui.core.formats.detect import HEAD_BYTES, HEAD_FROM, read_thread, read_thread_head
from tui.ui.app import ThreadReaderApp
from tui.ui.screens.reader import ReaderScreen

NBSP = "\u00a0"
COUNT = 12_000


def _thread_text(count: int, title: str = "Big thread") -> str:
    posts = [
        f"Comment {i}: " + " ".join(["word"] * (10 + i % 40)) + ("\n\nMore." if i % 5 == 0 else "")
        for i in range(1, count + 1)
    ]
    return f"\n{NBSP}\n".join([f"{title}\n\nThe article, first paragraph.", *posts]) + "\n"


@pytest.fixture(scope="module")
def big_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("partial") / "big.txt"
    path.write_text(_thread_text(COUNT), "utf-8")
    assert path.stat().st_size > HEAD_FROM
    return path


# -- the reader layer ------------------------------------------------------------------


def test_head_holds_whole_comments_identical_to_the_full_reading(big_path: Path) -> None:
    head = read_thread_head(big_path)
    full = read_thread(big_path)
    assert head.partial and not full.partial
    assert 100 < len(head.tree) < COUNT
    assert (head.title, head.article) == (full.title, full.article)
    for number in range(1, len(head.tree) + 1):
        assert head.tree.get(number).text == full.tree.get(number).text
    # The last comment of the head is whole, not cut at HEAD_BYTES.
    last = len(head.tree)
    assert head.tree.get(last).text.startswith(f"Comment {last}: ")


def test_small_files_are_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_text(_thread_text(50), "utf-8")
    thread = read_thread_head(path)
    assert not thread.partial and len(thread.tree) == 50


def test_json_and_utf16_files_are_read_whole(tmp_path: Path) -> None:
    posts = [{"text": "word " * 60} for _ in range(6000)]
    data = json.dumps({"format": "threadread/1", "title": "T", "comments": posts})
    path = tmp_path / "big.json"
    path.write_text(data, "utf-8")
    assert path.stat().st_size > HEAD_FROM
    thread = read_thread_head(path)
    assert not thread.partial and len(thread.tree) == 6000

    path = tmp_path / "wide.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + _thread_text(9000).encode("utf-16-le"))
    assert path.stat().st_size > HEAD_FROM
    thread = read_thread_head(path)
    assert not thread.partial and len(thread.tree) == 9000


def test_a_head_without_two_comments_reads_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "long-article.txt"
    article = "Title\n\n" + ("a long paragraph " * 20 + "\n\n") * (HEAD_BYTES // 300)
    path.write_text(article + f"\n{NBSP}\n" + f"\n{NBSP}\n".join(["comment"] * 100_000), "utf-8")
    assert path.stat().st_size > HEAD_FROM
    thread = read_thread_head(path)
    assert not thread.partial and len(thread.tree) == 100_000


def test_problems_are_reported_as_for_a_whole_read(tmp_path: Path) -> None:
    with pytest.raises(ThreadError, match="no such file"):
        read_thread_head(tmp_path / "missing.txt")
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\x00\x01" * HEAD_FROM)
    with pytest.raises(ThreadError, match="binary"):
        read_thread_head(path)


# -- the reader screen -----------------------------------------------------------------


@pytest.fixture
def held_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Keep the reading of the whole file waiting until the test lets it go."""
    release = threading.Event()
    real = tui.core.formats.detect.read_thread

    def held(path: Path | str, *, repair: bool = True) -> object:
        assert release.wait(30)
        return real(path, repair=repair)

    monkeypatch.setattr(tui.core.formats.detect, "read_thread", held)
    yield release
    release.set()


async def _until(pilot: object, done: object, what: str) -> None:
    deadline = time.monotonic() + 30
    while not done():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)  # type: ignore[attr-defined]


async def test_head_first_then_the_whole_thread(big_path: Path, held_read: threading.Event) -> None:
    app = ThreadReaderApp(read_thread_head(big_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        head_count = len(screen.thread.tree)
        assert screen.thread.partial
        assert f"{head_count:,}+ comments so far" in screen.article.facts()
        # `G` on the head, and a jump past it, are carried out once the file is read.
        await pilot.press("G")
        assert screen.comments.focused == head_count
        held_read.set()
        await _until(pilot, lambda: not screen.thread.partial, "the whole file")
        assert len(screen.thread.tree) == COUNT
        assert screen.comments.focused == COUNT
        assert f"{COUNT:,} comments" in screen.article.facts()
        await pilot.press("colon", *"9000", "enter")
        assert screen.comments.focused == 9000


async def test_goto_and_search_wait_for_the_whole_thread(
    big_path: Path, held_read: threading.Event
) -> None:
    app = ThreadReaderApp(read_thread_head(big_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.thread.partial
        await pilot.press("colon", *"11000", "enter")
        assert screen.comments.focused == 1
        await pilot.press("slash", *"comment 11999")
        await pilot.pause()
        assert not screen.hits
        held_read.set()
        await _until(pilot, lambda: bool(screen.hits), "the search")
        # The search waited for the whole thread, then moved to its hit.
        assert [hit.number for hit in screen.hits] == [11999]
        assert screen.comments.focused == 11999


async def test_a_failed_read_of_the_rest_keeps_the_head(
    big_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path | str, *, repair: bool = True) -> object:
        raise ThreadError(path, "permission denied")

    monkeypatch.setattr(tui.core.formats.detect, "read_thread", broken)
    app = ThreadReaderApp(read_thread_head(big_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await _until(pilot, lambda: not screen.thread.partial, "the failed read")
        head_count = len(screen.thread.tree)
        assert head_count < COUNT
        told = f"Only the first {head_count:,} comments could be read: permission denied"
        await _until(
            pilot,
            lambda: any(n.message == told for n in app._notifications),
            "the notice",
        )
        # Searching works on what was read.
        await pilot.press("slash", *"comment 7:")
        await _until(pilot, lambda: bool(screen.hits), "the search")
        assert screen.hits[0].number == 7


async def test_resume_past_the_head_waits_for_the_whole_thread(
    big_path: Path, held_read: threading.Event
) -> None:
    from tui.state.store import StateStore

    store, _ = StateStore.open(None)
    app = ThreadReaderApp(read_thread(big_path), state=store)
    held_read.set()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon", *"10000", "enter")
        assert app.screen.comments.focused == 10000
    held_read.clear()
    app = ThreadReaderApp(read_thread_head(big_path), state=store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.thread.partial
        held_read.set()
        await _until(pilot, lambda: screen.comments.focused == 10000, "the resumed focus")
    store.close()


async def test_a_library_result_past_the_head_opens_at_its_comment(
    big_path: Path, held_read: threading.Event
) -> None:
    app = ThreadReaderApp(library=[big_path.parent])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # What `enter` on a cross-thread search result does.
        assert app.open_thread(big_path, search="more.", comment=11000)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.thread.partial
        held_read.set()
        await _until(pilot, lambda: bool(screen.hits), "the search")
        # Every fifth comment matches: the search goes on from where the result
        # pointed, not from the end of the head.
        assert screen.comments.focused == 11000
        assert screen.current is not None and screen.current.number == 11000


async def test_big_threads_left_for_the_library_are_freed(big_path: Path) -> None:
    """Once indexed, a thread is frozen out of the collector's walks; leaving it must
    hand it back, or each big thread read from a library stays in memory for good."""
    app = ThreadReaderApp(library=[big_path.parent])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        left: list[weakref.ref[ReaderScreen]] = []
        for _ in range(2):
            assert app.open_thread(big_path)
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            await _until(pilot, screen.search.index_ready.is_set, "the index")
            await app.workers.wait_for_complete()
            await pilot.pause()
            left.append(weakref.ref(screen))
            del screen
            await pilot.press("escape")
            await pilot.pause()

        # A closed screen's cancelled timers keep it referenced until they fall due
        # (seconds at most); then the collector must be able to free it.
        def freed() -> bool:
            gc.collect()
            return left[0]() is None

        await _until(pilot, freed, "the first thread to be freed")
