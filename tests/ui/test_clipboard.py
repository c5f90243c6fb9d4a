"""The clipboard routes: system (pyperclip), terminal (OSC 52), auto and off; never a
traceback, always one line, and nothing unsafe leaves through them."""

from __future__ import annotations

import pyperclip
import pytest

from tui.ui import clipboard
from tui.ui.clipboard import CopyResult, copy

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
    assert set(clipboard.ROUTES) == {"auto", "system", "osc52", "off"}
