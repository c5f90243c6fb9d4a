"""Quotes and their attributions (cleaning is tested in test_safety.py, the clipboard
routes in tests/ui/test_clipboard.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tui.core.formats.detect import read_thread
from tui.core.formats.plaintext import read_seed
from tui.core.model import CommentSpec, Thread, build_tree
from tui.core.quoting import plain, quote, short_title

SMALL = "Title\n\nPara one\n\nPara two\n\u00a0\nComment one\n\u00a0\nComment two"

COMMENT_4 = (
    "> I just had the craziest thought - have you ever noticed how pizza delivery apps are "
    "always trying to get more precise with their location tracking? Like, I'm sure it's "
    "for safety reasons, but sometimes it feels like they're just trying to find out where "
    "you live 🍕😂. And don't even get me started on the whole tipping culture - is it "
    "really necessary that we have to tip for something as simple as bringing us a slice "
    "of pizza? It seems like an extra hassle and some places are already starting to "
    "phase it out.\n"
    "\n"
    '— comment #4 on "NYC investigation flags…"'
)


@pytest.fixture
def real(seed_path: Path) -> Thread:
    return read_thread(seed_path)


@pytest.fixture
def small() -> Thread:
    return read_seed(SMALL.encode())


def authored() -> Thread:
    tree = build_tree(
        [
            CommentSpec(
                "First line\n\nSecond paragraph",
                author="alice",
                posted=datetime(2024, 5, 1, 14, 3, 59),
            ),
            CommentSpec("Anonymous but dated", posted=datetime(2024, 5, 2, 9, 0)),
            CommentSpec("Named only", author="bob\x1b[31m"),
        ]
    )
    return Thread(title="Short title", article=("Only paragraph",), tree=tree)


def test_short_title() -> None:
    long = "NYC investigation flags sanctuary law breach by NYPD officer"
    assert short_title(long) == "NYC investigation flags…"
    assert short_title("Short title") == "Short title"
    assert short_title("Exactly twenty-four chrs") == "Exactly twenty-four chrs"
    assert short_title("Supercalifragilisticexpialidocious") == "Supercalifragilisticexp…"
    assert short_title("Hello world, and more words here") == "Hello world, and more…"
    assert len(short_title(long)) <= 24


def test_quote_of_comment_4_in_the_seed(real: Thread) -> None:
    assert quote(real, 4) == COMMENT_4


def test_quote_marks_blank_lines_and_names_author_and_time() -> None:
    thread = authored()
    assert quote(thread, 1) == (
        "> First line\n"
        ">\n"
        "> Second paragraph\n"
        "\n"
        '— alice, 2024-05-01 14:03, comment #1 on "Short title"'
    )
    assert quote(thread, 2).endswith('\n\n— 2024-05-02 09:00, comment #2 on "Short title"')
    assert quote(thread, 3).endswith('\n\n— bob, comment #3 on "Short title"')


def test_quote_of_the_article(small: Thread) -> None:
    assert quote(small, 0) == '> Para one\n>\n> Para two\n\n— "Title", article'
    assert quote(small, 0, paragraph=1) == '> Para two\n\n— "Title", article, paragraph 2'


def test_quote_of_a_missing_post_raises_index_error(small: Thread) -> None:
    with pytest.raises(IndexError):
        quote(small, 3)
    with pytest.raises(IndexError):
        quote(small, 0, paragraph=2)


def test_plain_is_the_cleaned_text(small: Thread) -> None:
    assert plain(small, 0) == "Para one\n\nPara two"
    assert plain(small, 0, 0) == "Para one"
    assert plain(small, 2) == "Comment two"
    hostile = read_seed("T\n\nx\n\u00a0\nsafe\x1b]52;c;aGk=\x07 text\u202e".encode())
    assert plain(hostile, 1) == "safe text"
    assert quote(hostile, 1).startswith("> safe text\n\n")
