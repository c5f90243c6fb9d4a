"""Quotes, cleaning and clipboard routes: what leaves the reader must be safe to paste."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyperclip
import pytest

from tui.core import quoting
from tui.core.formats.detect import read_thread
from tui.core.formats.plaintext import read_seed
from tui.core.model import CommentSpec, Thread, build_tree
from tui.core.quoting import CopyResult, clean, copy, plain, quote, short_title

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


# -- clean ------------------------------------------------------------------------------


def test_clean_removes_whole_escape_sequences() -> None:
    assert clean("a\x1b[2Jb") == "ab"
    assert clean("a\x1b]52;c;aGk=\x07b") == "ab"
    assert clean("a\x1b]52;c;aGk=\x1b\\b") == "ab"
    assert clean("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert clean("red\x1b[1;31mtext\x1b[0m") == "redtext"
    assert clean("a\x1b[?25lb") == "ab"


def test_clean_keeps_the_words_of_mis_decoded_quotes() -> None:
    assert clean("â€\x9cquote\x07â€\x9d and â€\x9cmore â€\x9d") == "â€quoteâ€ and â€more â€"


def test_clean_removes_control_characters() -> None:
    assert clean("ding\x07dong") == "dingdong"
    assert clean("evil\u202eexe.txt") == "evilexe.txt"
    assert clean("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069x") == "x"
    assert clean("a\x00b\x7fc\x85d\x9fe\x1b") == "abcde"
    assert clean("reset\x1bc here") == "reset here"


def test_clean_keeps_newlines_tabs_and_text() -> None:
    assert clean("one\r\ntwo\rthree\n\tfour") == "one\ntwo\nthree\n\tfour"
    text = "Ünïcödé, emoji 🍕😂, Arabic مرحبا, zero\u200bwidth"
    assert clean(text) == text


# -- titles and quotes ---------------------------------------------------------------


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


# -- copy -----------------------------------------------------------------------------


class Recorder:
    """Stands in for the clipboard: remembers what it was given, or fails."""

    def __init__(self, error: Exception | None = None) -> None:
        self.got: list[str] = []
        self.error = error

    def __call__(self, text: str) -> None:
        if self.error is not None:
            raise self.error
        self.got.append(text)


@pytest.fixture
def system(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    fake = Recorder()
    monkeypatch.setattr(pyperclip, "copy", fake)
    return fake


@pytest.fixture
def broken_system(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    fake = Recorder(pyperclip.PyperclipException("could not find a copy/paste mechanism"))
    monkeypatch.setattr(pyperclip, "copy", fake)
    return fake


def test_system_route(system: Recorder) -> None:
    osc = Recorder()
    result = copy("hello", route="system", osc52=osc, what="quote of #4")
    assert result == CopyResult(True, "system", "Copied quote of #4 (5 chars) via system clipboard")
    assert system.got == ["hello"]
    assert osc.got == []


def test_system_route_failure_is_reported_not_raised(broken_system: Recorder) -> None:
    osc = Recorder()
    result = copy("hello", route="system", osc52=osc)
    assert not result.ok
    assert result.route is None
    assert "could not find a copy/paste mechanism" in result.message
    assert "\n" not in result.message
    assert osc.got == []


def test_osc52_route(system: Recorder) -> None:
    osc = Recorder()
    result = copy("hi", route="osc52", osc52=osc, what="text of #2")
    assert result.ok
    assert result.route == "osc52"
    assert result.message.startswith("Copied text of #2 (2 chars) via ")
    assert osc.got == ["hi"]
    assert system.got == []


def test_osc52_route_without_a_terminal_or_failing() -> None:
    assert not copy("hi", route="osc52").ok
    result = copy("hi", route="osc52", osc52=Recorder(RuntimeError("no driver")))
    assert not result.ok
    assert "no driver" in result.message


def test_off_route(system: Recorder) -> None:
    osc = Recorder()
    result = copy("hello", route="off", osc52=osc)
    assert not result.ok
    assert "off" in result.message.lower()
    assert system.got == [] and osc.got == []


def test_unknown_route_and_empty_text(system: Recorder) -> None:
    assert not copy("hello", route="carrier pigeon").ok
    assert not copy("\x1b[2J", route="system").ok
    assert system.got == []


@pytest.mark.parametrize(
    "env",
    [
        {"SSH_TTY": "/dev/pts/3"},
        {"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"},
        {"TMUX": "/tmp/t,1,0"},
    ],
)
def test_auto_prefers_osc52_over_ssh_and_in_tmux(system: Recorder, env: dict[str, str]) -> None:
    osc = Recorder()
    result = copy("hello", osc52=osc, env=env)
    assert result.route == "osc52"
    assert osc.got == ["hello"]
    assert system.got == []


def test_auto_prefers_system_locally(system: Recorder) -> None:
    osc = Recorder()
    result = copy("hello", osc52=osc, env={"TERM": "xterm"})
    assert result.ok and result.route == "system"
    assert system.got == ["hello"]
    assert osc.got == []


def test_auto_falls_back_to_osc52_when_pyperclip_fails(broken_system: Recorder) -> None:
    osc = Recorder()
    result = copy("hello", osc52=osc, env={})
    assert result.ok and result.route == "osc52"
    assert osc.got == ["hello"]


def test_auto_falls_back_to_system_over_ssh_without_a_terminal(system: Recorder) -> None:
    result = copy("hello", env={"SSH_TTY": "/dev/pts/1"})
    assert result.ok and result.route == "system"


def test_auto_with_nothing_working_never_raises(broken_system: Recorder) -> None:
    result = copy("hello", osc52=Recorder(OSError("closed")), env={})
    assert not result.ok
    assert result.route is None
    assert "\n" not in result.message


def test_copy_cleans_what_it_sends(system: Recorder) -> None:
    osc = Recorder()
    copy("a\x1b]52;c;aGk=\x07b\u202ec\r\n", route="system")
    copy("x\x1b[2Jy", route="osc52", osc52=osc)
    assert system.got == ["abc\n"]
    assert osc.got == ["xy"]


def test_routes_are_listed() -> None:
    assert set(quoting.ROUTES) == {"auto", "system", "osc52", "off"}
