"""End to end: the installed `threadread` command in a real terminal (a tmux pane).

Opens the seed thread, goes to comment #4, searches, copies a quote by OSC 52 into the
tmux buffer and quits, checking the terminal is left as the shell expects.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_harness import (
    RESTORED_MODES,
    START_TIMEOUT,
    STEP_TIMEOUT,
    Tmux,
    installed_command,
    tmux_server,
    wait_for_file,
    wait_until,
)

from tui.core.formats.detect import read_thread
from tui.core.quoting import quote

SEED_TITLE = "NYC investigation flags sanctuary law breach by NYPD officer, calling for reforms"


@pytest.fixture
def threadread_command() -> Path:
    return installed_command()


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    yield from tmux_server(tmp_path)


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
