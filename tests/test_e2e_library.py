"""End to end: `threadread FOLDER` in a real terminal (a tmux pane): open the library,
search across it, land on the right comment, come back and quit.

A private tmux server (`tmux -L <unique name>`) runs the installed command; keys go in
with `send-keys`, the screen comes out with `capture-pane`, and the server is killed
afterwards.  Every wait polls with a deadline, so a slow machine costs time, not a
failure.
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

import pytest

WIDTH, HEIGHT = 120, 36
START_TIMEOUT = 60.0
STEP_TIMEOUT = 30.0
NBSP = "\u00a0"
TMUX_CONFIG = """\
set -g default-shell /bin/sh
set -g default-terminal xterm-256color
set -g status off
"""


def _unavailable(reason: str) -> None:
    """Skip, except in CI, where .ci/run provides everything needed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run is expected to provide it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def threadread_command() -> Path:
    script = Path(sys.executable).parent / "threadread"
    if not script.is_file():
        _unavailable(f"no installed `threadread` script at {script}")
    return script


@pytest.fixture(scope="module")
def tmux_binary() -> str:
    binary = shutil.which("tmux")
    if binary is None:
        _unavailable("tmux is not installed")
    assert binary is not None
    return binary


class Tmux:
    """A private tmux server with one session, `main`, sized WIDTH x HEIGHT."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.socket = f"threadread-e2e-library-{uuid.uuid4().hex[:12]}"
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
        size = ["-x", str(WIDTH), "-y", str(HEIGHT)]
        self.run("-f", str(self.config), "new-session", "-d", *size, "-s", "main", "-c", str(cwd))
        self.run("respawn-pane", "-k", "-t", "main", command)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "main", "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-J", "-t", "main").stdout.decode("utf-8", "replace")

    def wait_for(
        self, probe: Callable[[str], bool], what: str, timeout: float = STEP_TIMEOUT
    ) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if probe(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{screen}")
            time.sleep(0.1)

    def wait_for_text(self, text: str, timeout: float = STEP_TIMEOUT) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def kill(self) -> None:
        self.run("kill-server", check=False)
        self.socket_path.unlink(missing_ok=True)


@pytest.fixture
def tmux(tmux_binary: str, tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmux_binary, tmp_path)
    try:
        yield server
    finally:
        server.kill()


def make_library(root: Path) -> None:
    """Forty threads; "Harbour news 17" says zeppelin in comment 5."""
    root.mkdir()
    for i in range(40):
        posts = [f"Comment {n}: nothing to see in thread {i}." for n in range(1, 12)]
        if i == 17:
            posts[4] = "A zeppelin was moored at the pier all morning."
        head = f"Harbour news {i}\n\nThe article of thread {i}.\n"
        text = f"{NBSP}\n".join([head, *(p + "\n" for p in posts)])
        (root / f"{i:03d}_news.txt").write_text(text, encoding="utf-8")
    (root / "readme.md").write_text("not a thread", encoding="utf-8")


def test_open_a_folder_search_it_and_land_on_the_comment(
    tmux: Tmux, threadread_command: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    make_library(library)
    status_file = tmp_path / "exit-status"
    command = (
        f"{shlex.quote(str(threadread_command))} {shlex.quote(str(library))}; "
        f"echo EXIT=$? > {shlex.quote(str(status_file))}; exec sleep 600"
    )
    tmux.start(command, cwd=tmp_path)

    tmux.wait_for_text("Harbour news 0 ", timeout=START_TIMEOUT)
    tmux.wait_for_text("40 threads")
    tmux.wait_for_text("readme.md")  # the notice of what was skipped

    tmux.keys("C-f")
    tmux.wait_for_text("search every thread")
    tmux.type("zeppelin")
    screen = tmux.wait_for_text("1 match in 1 thread")
    result = [line for line in screen.splitlines() if "zeppelin was moored" in line]
    assert result and "#5" in result[0] and "Harbour news 17" in result[0], screen

    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: re.search(r"\b1/1\b", s) is not None, "the reader's 1/1")
    focused = [line for line in screen.splitlines() if line.startswith("▌")]
    assert focused and re.search(r"#5\b", focused[0]), screen
    assert "Harbour news 17" in screen
    assert "A zeppelin was moored at the pier all morning." in screen

    tmux.keys("Escape")
    tmux.wait_for_text("Cancel / back")
    tmux.keys("Escape")
    tmux.wait_for_text("40 threads")
    tmux.keys("C-q")
    deadline = time.monotonic() + STEP_TIMEOUT
    while not status_file.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status_file.read_text(encoding="utf-8") == "EXIT=0\n"
