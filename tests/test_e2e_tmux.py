"""End to end: the installed `threadread` command in a real terminal (a tmux pane).

Each test starts a private tmux server (`tmux -L <unique name>`), drives the app with
`send-keys`, reads the screen with `capture-pane` and the clipboard with `show-buffer`
(the app copies by OSC 52 inside tmux and `set-clipboard on` turns that into a tmux
buffer), and kills the server afterwards.  Every wait polls with a deadline, so a slow
machine costs time, not a failure.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from tui.clipboard import quote
from tui.reader import read_thread

SEED_TITLE = "NYC investigation flags sanctuary law breach by NYPD officer, calling for reforms"
WIDTH, HEIGHT = 120, 40
START_TIMEOUT = 60.0
STEP_TIMEOUT = 30.0
# Pane modes a shell expects; a full-screen app must leave them as it found them.
RESTORED_MODES = {
    "alternate_on": "0",
    "cursor_flag": "1",
    "wrap_flag": "1",
    "mouse_any_flag": "0",
    "mouse_button_flag": "0",
    "mouse_standard_flag": "0",
    "mouse_sgr_flag": "0",
}
TMUX_CONFIG = """\
set -g default-shell /bin/sh
set -g default-terminal xterm-256color
set -g status off
set -g set-clipboard on
"""

T = TypeVar("T")


def _unavailable(reason: str) -> NoReturn:
    """Skip with `reason`, except in CI, where .ci/run provides everything needed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run is expected to provide it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def threadread_command() -> Path:
    """The console script pip installed beside the interpreter running the tests."""
    script = Path(sys.executable).parent / "threadread"
    if not script.is_file():
        _unavailable(
            f"no installed `threadread` script at {script}: "
            "install the project (pip install -e '.[test]') into this interpreter's env"
        )
    return script


@pytest.fixture(scope="module")
def tmux_binary() -> str:
    binary = shutil.which("tmux")
    if binary is None:
        _unavailable("tmux is not installed")
    return binary


def wait_until(
    probe: Callable[[], T | None],
    what: str,
    timeout: float = STEP_TIMEOUT,
    describe: Callable[[], str] | None = None,
) -> T:
    """Call `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f"\n{describe()}" if describe else ""
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}{detail}")
        time.sleep(0.1)


class Tmux:
    """A private tmux server with one session, `main`, sized WIDTH x HEIGHT."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.socket = f"threadread-e2e-{uuid.uuid4().hex[:12]}"
        self.config = workdir / "tmux.conf"
        self.config.write_text(TMUX_CONFIG, encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if k not in {"TMUX", "TMUX_PANE"}}
        self.env["TERM"] = "xterm-256color"
        tmpdir = self.env.get("TMUX_TMPDIR") or "/tmp"
        self.socket_path = Path(tmpdir) / f"tmux-{os.getuid()}" / self.socket

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [self.binary, "-L", self.socket, *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=STEP_TIMEOUT,
            check=check,
        )

    def start(self, command: str, cwd: Path) -> None:
        self.run(
            "-f",
            str(self.config),
            "new-session",
            "-d",
            "-x",
            str(WIDTH),
            "-y",
            str(HEIGHT),
            "-s",
            "main",
            "-c",
            str(cwd),
            command,
        )

    def keys(self, *keys: str) -> None:
        """Send tmux key names (Enter, Escape...)."""
        self.run("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        """Send `text` literally, character by character as a user types it."""
        self.run("send-keys", "-t", "main", "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-J", "-t", "main").stdout.decode("utf-8", "replace")

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen().splitlines() if line.strip()]

    def buffer(self) -> str | None:
        result = self.run("show-buffer", check=False)
        return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None

    def modes(self) -> dict[str, str]:
        names = list(RESTORED_MODES)
        fmt = "\t".join(f"#{{{name}}}" for name in names)
        out = self.run("display-message", "-p", "-t", "main", fmt).stdout.decode().rstrip("\n")
        return dict(zip(names, out.split("\t"), strict=True))

    def describe(self) -> str:
        return f"--- screen ---\n{self.screen()}--- modes ---\n{self.modes()}"

    def wait_for_text(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        def probe() -> str | None:
            screen = self.screen()
            return screen if text in screen else None

        return wait_until(probe, f"{text!r} on the screen", timeout, self.describe)

    def wait_without_text(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        def probe() -> str | None:
            screen = self.screen()
            return screen if text not in screen else None

        return wait_until(probe, f"{text!r} to leave the screen", timeout, self.describe)

    def kill(self) -> None:
        """Stop the server and remove its socket file, which tmux leaves behind."""
        self.run("kill-server", check=False)
        if self.run("has-session", check=False).returncode == 0:
            raise AssertionError(f"tmux server {self.socket} survived kill-server")
        self.socket_path.unlink(missing_ok=True)


@pytest.fixture
def tmux(tmux_binary: str, tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmux_binary, tmp_path)
    try:
        yield server
    finally:
        server.kill()


def wait_for_file(path: Path, what: str, tmux: Tmux, timeout: float = STEP_TIMEOUT) -> str:
    def probe() -> str | None:
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        return text if text.endswith("\n") else None

    return wait_until(probe, what, timeout, tmux.describe)


def shell_command(threadread: Path, argument: str, workdir: Path) -> str:
    """Run threadread in the pane, record $TMUX and the exit status, then keep the pane
    open on an idle process so the screen after exit can be inspected."""
    return (
        f'printf "%s\\n" "$TMUX" > {shlex.quote(str(workdir / "tmux-env"))}; '
        f"{shlex.quote(str(threadread))} {shlex.quote(argument)}; "
        f"echo EXIT=$? > {shlex.quote(str(workdir / 'exit-status'))}; "
        "exec sleep 600"
    )


def assert_terminal_restored(tmux: Tmux) -> None:
    wait_until(
        lambda: tmux.modes() == RESTORED_MODES,
        f"the pane modes to return to {RESTORED_MODES}",
        describe=tmux.describe,
    )


def test_read_goto_search_copy_quit(
    tmux: Tmux, threadread_command: Path, seed_path: Path, tmp_path: Path
) -> None:
    expected_quote = quote(read_thread(seed_path), 4)
    tmux.start(shell_command(threadread_command, str(seed_path), tmp_path), cwd=tmp_path)

    tmux.wait_for_text(SEED_TITLE, timeout=START_TIMEOUT)
    pane_tmux = wait_for_file(tmp_path / "tmux-env", "the pane's $TMUX", tmux).strip()
    assert tmux.socket in pane_tmux, f"the command did not see this server in $TMUX: {pane_tmux!r}"

    tmux.type(":")
    tmux.wait_for_text("comment number")
    tmux.type("4")
    tmux.wait_without_text("comment number")
    tmux.keys("Enter")
    screen = tmux.wait_for_text("I just had the craziest thought")
    focused = [line for line in screen.splitlines() if line.startswith("▌")]
    assert focused, f"no focused comment on the screen:\n{screen}"
    assert re.search(r"#4\b", focused[0]), f"#4 is not the focused comment:\n{screen}"

    tmux.type("/")
    tmux.wait_for_text("Close search")
    tmux.type("pizza")
    tmux.wait_for_text("1/2")

    tmux.keys("Escape")
    tmux.wait_without_text("Close search")
    tmux.type("y")

    def copied_quote() -> str | None:
        text = tmux.buffer()
        return text if text and "comment #4" in text else None

    copied = wait_until(
        copied_quote, "the quote of #4 in the tmux paste buffer (OSC 52)", describe=tmux.describe
    )
    assert copied.startswith("> I just had the craziest thought"), copied
    assert '— comment #4 on "NYC investigation flags…"' in copied, copied
    assert copied == expected_quote

    tmux.type("q")
    status = wait_for_file(tmp_path / "exit-status", "threadread to exit", tmux)
    assert status == "EXIT=0\n"
    assert_terminal_restored(tmux)
    wait_until(lambda: not tmux.lines(), "the pane to be blank after exit", describe=tmux.describe)


def test_missing_file_is_one_line_and_status_2(
    tmux: Tmux, threadread_command: Path, tmp_path: Path
) -> None:
    tmux.start(shell_command(threadread_command, "missing-thread.txt", tmp_path), cwd=tmp_path)

    status = wait_for_file(tmp_path / "exit-status", "threadread to exit", tmux)
    assert status == "EXIT=2\n"
    expected = "threadread: missing-thread.txt: no such file"
    tmux.wait_for_text(expected)
    assert tmux.lines() == [expected]
    assert_terminal_restored(tmux)


def test_missing_file_writes_only_stderr(threadread_command: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(threadread_command), "missing-thread.txt"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "threadread: missing-thread.txt: no such file\n",
    )
