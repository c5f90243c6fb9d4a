"""A private tmux server for end-to-end tests of the installed `threadread` command.

Each test gets its own server (`tmux -L <unique name>`), drives the app with
`send-keys`, reads the screen with `capture-pane` and the clipboard with `show-buffer`
(inside tmux the app copies by OSC 52, which `set-clipboard on` turns into a buffer),
and the server is killed afterwards.  Every wait polls with a deadline, so a slow
machine costs time, not a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

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


def unavailable(reason: str) -> NoReturn:
    """Skip with `reason`, except in CI, where .ci/run provides everything needed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run is expected to provide it)")
    pytest.skip(reason)


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
    """A private tmux server with one session, `main`, sized width x height."""

    def __init__(
        self, binary: str, workdir: Path, width: int = WIDTH, height: int = HEIGHT
    ) -> None:
        self.binary = binary
        self.width = width
        self.height = height
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
            str(self.width),
            "-y",
            str(self.height),
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

    def wait_for(
        self, test: Callable[[str], bool], what: str, timeout: float = STEP_TIMEOUT
    ) -> str:
        """Wait until `test(screen)` holds; return that screen."""

        def probe() -> str | None:
            screen = self.screen()
            return screen if test(screen) else None

        return wait_until(probe, what, timeout, self.describe)

    def wait_for_text(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        return self.wait_for(lambda screen: text in screen, f"{text!r} on the screen", timeout)

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


def wait_for_file(path: Path, what: str, tmux: Tmux, timeout: float = STEP_TIMEOUT) -> str:
    """Wait until `path` holds a complete line of text; return the text."""

    def probe() -> str | None:
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        return text if text.endswith("\n") else None

    return wait_until(probe, what, timeout, tmux.describe)


def installed_command() -> Path:
    """The console script pip installed beside the interpreter running the tests."""
    script = Path(sys.executable).parent / "threadread"
    if not script.is_file():
        unavailable(
            f"no installed `threadread` script at {script}: "
            "install the project (pip install -e '.[test]') into this interpreter's env"
        )
    return script


def tmux_binary() -> str:
    binary = shutil.which("tmux")
    if binary is None:
        unavailable("tmux is not installed")
    return binary


def tmux_server(workdir: Path, width: int = WIDTH, height: int = HEIGHT) -> Iterator[Tmux]:
    """A server for one test, killed (and its socket removed) afterwards."""
    server = Tmux(tmux_binary(), workdir, width, height)
    try:
        yield server
    finally:
        server.kill()
