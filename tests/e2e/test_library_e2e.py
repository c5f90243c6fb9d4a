"""End to end: `threadread FOLDER` in a real terminal (a tmux pane): open the library,
search across it, land on the right comment, come back and quit."""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_harness import START_TIMEOUT, STEP_TIMEOUT, Tmux, installed_command, tmux_server

NBSP = "\u00a0"


@pytest.fixture
def threadread_command() -> Path:
    return installed_command()


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    yield from tmux_server(tmp_path, height=36)


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
