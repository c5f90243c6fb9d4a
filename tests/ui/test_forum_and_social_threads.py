"""Discourse, Mastodon, Bluesky and mailing-list threads opened in the app: the authors
and the text a reader sees, and the library listing them by title."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from pilot_helpers import settle
from repo_paths import SAMPLES

from tui.core.formats.detect import read_thread_head
from tui.ui.app import ThreadReaderApp
from tui.ui.screens.reader import ReaderScreen

DISCOURSE = SAMPLES / "discourse-ferry-timetable-utc.json"
MASTODON = SAMPLES / "mastodon-allotment-water-tap"
BLUESKY = SAMPLES / "bluesky-utrecht-terrace-permits.json"
MBOX = SAMPLES / "mbox-bike-lock-retry.mbox"


def screen_text(app: ThreadReaderApp) -> str:
    """Everything the reader screen's panes draw, as plain text."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    lines = []
    for widget in (screen.article, screen.comments):
        for y in range(widget.scrollable_content_region.height):
            lines.append(widget.render_line(y).text)
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("path", "article", "comment_author", "comment_text"),
    [
        (DISCOURSE, "Our ferry timetable widget pulls", "tferreira", "The feed switched from"),
        (MASTODON, "Small win for our allotment", "marc@fosstodon.example", "congrats! We did"),
        (BLUESKY, "Café owners in Utrecht", "pieter.example.nl", "does this cover the canal"),
        (MBOX, "When the lock motor stalls halfway", "Jürgen Müller", "Grüße aus Köln"),
    ],
    ids=["discourse", "mastodon", "bluesky", "mbox"],
)
async def test_the_sample_shows_its_article_and_first_comment(
    path: Path, article: str, comment_author: str, comment_text: str
) -> None:
    app = ThreadReaderApp(read_thread_head(path))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert article in text
        assert comment_author in text
        assert comment_text in text


async def test_a_deleted_post_shows_as_a_placeholder_with_its_reply_below() -> None:
    app = ThreadReaderApp(read_thread_head(DISCOURSE))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "(post deleted by author)" in text
        assert "Replying to the deleted question" in text


async def test_an_mbox_of_several_threads_shows_them_all_and_says_so(tmp_path: Path) -> None:
    extra = (
        b"\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Sam <sam@example.org>\n"
        b"Subject: Saddle height poll\nMessage-ID: <poll@example.org>\n\nWho wants it?\n"
    )
    path = tmp_path / "archive"
    path.write_bytes(gzip.compress(MBOX.read_bytes() + extra))
    app = ThreadReaderApp(read_thread_head(path))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "When the lock motor stalls halfway" in screen_text(app)
        messages = [n.message for n in app._notifications]
        assert any('"Saddle height poll" (1 message)' in m for m in messages)
        await pilot.press("G")
        await settle(pilot)
        assert "Saddle height poll" in screen_text(app)
        assert "Who wants it?" in screen_text(app)


async def test_the_library_lists_each_file_by_its_title(tmp_path: Path) -> None:
    for sample in (DISCOURSE, MASTODON, BLUESKY):
        shutil.copy(sample, tmp_path / sample.name)
    (tmp_path / "t.mbox.gz").write_bytes(gzip.compress(MBOX.read_bytes()))
    app = ThreadReaderApp(library=[tmp_path])
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        table = screen.table  # type: ignore[attr-defined]
        shown = [table.render_line(y).text.rstrip() for y in range(6)]
        assert [entry.label for entry in screen.entries] == [  # type: ignore[attr-defined]
            "Café owners in Utrecht: the new terrace permits open on 1 April ☕️ Details at "
            "gemeente.example.nl/t…",
            "Ferry timetable shows UTC after the spring update",
            "Small win for our allotment association: the city agreed to put a water tap by "
            "the east gate 🚰",
            "[PATCH] lock: retry the unlock when the motor stalls",
        ]
        assert [entry.comments for entry in screen.entries] == [8, 7, 6, 5]  # type: ignore[attr-defined]
        assert shown[1].startswith("▌Café owners in Utrecht")
        assert any(line.startswith(" [PATCH] lock: retry the unlock") for line in shown)
