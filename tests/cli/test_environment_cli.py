"""Environment variables that name files: a bad one is one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from repo_paths import REPO as ROOT

from tui.cli import main

NOBODY = "~nosuchuser-threadread"


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("command", [["config", "--path"], ["themes"]])
def test_unknown_user_in_threadread_config(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THREADREAD_CONFIG", f"{NOBODY}/config.toml")
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"threadread: THREADREAD_CONFIG={NOBODY}/config.toml: no such user")


def test_unknown_user_in_threadread_config_when_opening_a_thread(tmp_path: Path) -> None:
    result = run(
        [str(ROOT / "tests" / "fixtures" / "000_43ec0b9f999082d5.txt")],
        THREADREAD_CONFIG=f"{NOBODY}/config.toml",
        THREADREAD_STATE=str(tmp_path / "state.sqlite3"),
    )
    assert result.returncode == 2
    assert result.stderr.startswith("threadread: THREADREAD_CONFIG=")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_unknown_user_in_threadread_state_when_opening_a_thread(tmp_path: Path) -> None:
    result = run(
        [str(ROOT / "tests" / "fixtures" / "000_43ec0b9f999082d5.txt")],
        THREADREAD_CONFIG=str(tmp_path / "config.toml"),
        THREADREAD_STATE=f"{NOBODY}/state.sqlite3",
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"threadread: THREADREAD_STATE={NOBODY}/state.sqlite3: no such user: {NOBODY}\n"
    )
